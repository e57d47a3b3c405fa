"""Figures of consultations: exact counts on a hand-built year, scoped by role; page and CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations import selectors
from bfe.consultations.models import Format
from bfe.places.models import today
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import ConsultationFactory, topic

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def person(kind, region=None):
    return RoleFactory(kind=kind, region=berlin_region(region) if region else None).user


@pytest.fixture
def year():
    """Four consultations in 2026 (three in Nord, one in West) and two just outside it."""
    nord, west = berlin_region("nord"), berlin_region("west")
    mitte = ShelterFactory(name="GU Geheimweg", district=berlin_district("01"))
    pankow = ShelterFactory(name="GU Pankow", district=berlin_district("03"))
    spandau = ShelterFactory(name="GU Spandau", district=berlin_district("05"))
    petra = UserFactory(full_name="Petra Vertraulich")
    p2, p3, p4 = UserFactory(), UserFactory(), UserFactory()

    def log(shelter, region, held_on, fmt, minutes, slugs, people):
        return ConsultationFactory(
            shelter=shelter,
            region=region,
            held_on=held_on,
            format=fmt,
            duration_minutes=minutes,
            topics=[topic(slug) for slug in slugs],
            participants=people,
            confidential_note="Streng vertraulich: Ärger mit der Heimleitung.",
        )

    log(
        mitte,
        nord,
        datetime.date(2026, 1, 1),
        Format.ON_SITE,
        60,
        ["gewinnung", "konflikte"],
        [petra],
    )
    log(mitte, nord, datetime.date(2026, 1, 20), Format.PHONE, 30, ["gewinnung"], [petra])
    log(pankow, nord, datetime.date(2026, 3, 5), Format.VIDEO, 90, ["datenschutz"], [p2, p3])
    log(spandau, west, datetime.date(2026, 12, 31), Format.ON_SITE, 45, ["konflikte"], [p4])
    log(mitte, nord, datetime.date(2025, 12, 31), Format.ON_SITE, 60, ["versicherung"], [petra])
    log(spandau, west, datetime.date(2027, 1, 1), Format.PHONE, 60, ["versicherung"], [p4])


def counts(rows):
    return {row.key: row.count for row in rows}


# The selectors, with exact numbers


def test_the_lead_counts_every_consultation_of_the_period(year):
    figures = selectors.consultation_figures(person(Role.Kind.ADMIN), start=START, end=END)

    assert figures.totals == selectors.Totals(
        consultations=4, minutes=225, shelters=3, coordinators=4
    )
    assert figures.totals.hours == Decimal("3.8")
    assert counts(figures.by_region) == {"nord": 3, "west": 1, "suedost": 0}
    assert [row.label for row in figures.by_region] == [
        "Berlin Nord",
        "Berlin Südost",
        "Berlin West",
    ]
    assert [row.share for row in figures.by_region] == [75, 0, 25]
    topics = counts(figures.by_topic)
    assert (topics["gewinnung"], topics["konflikte"], topics["datenschutz"]) == (2, 2, 1)
    assert topics["versicherung"] == 0
    assert len(topics) == 12
    assert counts(figures.by_format) == {"on_site": 2, "phone": 1, "video": 1}
    months = counts(figures.by_month)
    assert list(months) == [datetime.date(2026, m, 1) for m in range(1, 13)]
    assert [months[datetime.date(2026, m, 1)] for m in (1, 2, 3, 12)] == [2, 0, 1, 1]
    assert sum(months.values()) == 4


def test_a_regional_coordinator_counts_her_regions_consultations_only(year):
    nord = person(Role.Kind.REGIONAL_COORDINATOR, "nord")

    figures = selectors.consultation_figures(nord, start=START, end=END)

    assert figures.totals == selectors.Totals(
        consultations=3, minutes=180, shelters=2, coordinators=3
    )
    assert figures.totals.hours == Decimal("3.0")
    assert counts(figures.by_region) == {"nord": 3}
    assert counts(figures.by_format) == {"on_site": 1, "phone": 1, "video": 1}
    assert counts(figures.by_topic)["konflikte"] == 1


def test_partners_count_everything_like_the_lead_with_small_counts_withheld(year):
    partner = selectors.consultation_figures(person(Role.Kind.PARTNER), start=START, end=END)
    lead = selectors.consultation_figures(person(Role.Kind.ADMIN), start=START, end=END)

    assert partner == selectors.withhold_small_counts(lead)
    assert partner.protected and not lead.protected


@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, None])
def test_people_without_figures_count_nothing(year, kind):
    someone = person(kind) if kind else UserFactory()
    if kind is None:
        CoordinatorPositionFactory(
            shelter=ShelterFactory(district=berlin_district("01")), person=someone
        )

    figures = selectors.consultation_figures(someone, start=START, end=END)

    assert figures.totals.consultations == 0
    assert figures.by_region == []


def test_the_period_is_inclusive_at_both_ends(year):
    lead = person(Role.Kind.ADMIN)

    first_day = selectors.consultation_figures(lead, start=START, end=START)
    last_day = selectors.consultation_figures(lead, start=END, end=END)

    assert first_day.totals.consultations == 1
    assert last_day.totals.consultations == 1
    assert len(first_day.by_month) == 1


def test_a_retired_topic_keeps_its_count_and_an_unused_one_disappears(year):
    konflikte, versicherung = topic("konflikte"), topic("versicherung")
    konflikte.is_active = versicherung.is_active = False
    konflikte.save()
    versicherung.save()

    figures = selectors.consultation_figures(person(Role.Kind.ADMIN), start=START, end=END)

    assert counts(figures.by_topic)["konflikte"] == 2
    assert "versicherung" not in counts(figures.by_topic)


def test_a_consultation_with_several_topics_counts_for_each(year):
    rows = {
        row.key: row
        for row in selectors.counts_by_topic(
            selectors.countable_consultations(person(Role.Kind.ADMIN)).in_period(START, END)
        )
    }

    assert (rows["gewinnung"].count, rows["gewinnung"].share) == (2, 50)
    assert (rows["konflikte"].count, rows["konflikte"].share) == (2, 50)
    assert (rows["datenschutz"].count, rows["datenschutz"].share) == (1, 25)


def test_no_consultations_give_zeros_not_errors():
    figures = selectors.consultation_figures(person(Role.Kind.ADMIN), start=START, end=END)

    assert figures.totals == selectors.Totals(0, 0, 0, 0)
    assert figures.totals.hours == Decimal("0.0")
    assert {row.count for row in figures.by_topic + figures.by_format + figures.by_month} == {0}


def test_the_default_period_is_the_current_year():
    assert selectors.default_period(datetime.date(2026, 11, 25)) == (START, END)


# The page


def test_the_page_shows_the_current_years_figures_by_default(client, year):
    client.force_login(person(Role.Kind.ADMIN))

    response = client.get(reverse("consultations:statistics"))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.start, figures.end) == selectors.default_period()
    assert f'value="{today().year}-01-01"' in response.text


def test_the_page_shows_the_chosen_period(client, year):
    client.force_login(person(Role.Kind.REGIONAL_COORDINATOR, "nord"))

    response = client.get(
        reverse("consultations:statistics"), {"von": "2026-01-01", "bis": "2026-12-31"}
    )

    assert response.context["figures"].totals.consultations == 3
    assert "Berlin Nord" in response.text
    assert "Datenschutz" in response.text
    assert "März 2026" in response.text


def test_partners_see_counts_but_no_names_of_people_or_shelters(client, year):
    client.force_login(person(Role.Kind.PARTNER))

    response = client.get(
        reverse("consultations:statistics"), {"von": "2026-01-01", "bis": "2026-12-31"}
    )
    download = client.get(
        reverse("consultations:statistics_csv"), {"von": "2026-01-01", "bis": "2026-12-31"}
    )

    assert response.status_code == 200
    assert response.context["figures"].protected  # test_partner_figures.py: the numbers
    for text in (response.text, download.content.decode("utf-8-sig")):
        assert "GU Geheimweg" not in text
        assert "Petra Vertraulich" not in text
        assert "Streng vertraulich" not in text
    assert "ohne Namen" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"von": "2026-13-01", "bis": "2026-12-31"},
        {"von": "kein Datum"},
        {"von": "2026-06-01", "bis": "2026-01-01"},
        {"von": "1999-12-31", "bis": "2000-06-30"},
        {"von": "2001-01-01", "bis": "2026-12-31"},
        {"von": "0001-01-01", "bis": "9999-12-31"},
    ],
)
def test_a_wrong_period_gets_a_message_keeps_the_input_and_shows_the_current_year(client, query):
    client.force_login(person(Role.Kind.ADMIN))

    response = client.get(reverse("consultations:statistics"), query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert f'value="{query["von"]}"' in response.text
    figures = response.context["figures"]
    assert (figures.start, figures.end) == selectors.default_period()


def test_one_side_of_the_period_completes_the_year():
    from bfe.consultations.forms.figures import PeriodForm

    assert PeriodForm({"von": "2024-03-01"}).period() == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 12, 31),
    )
    assert PeriodForm({"bis": "2023-05-31"}).period() == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 5, 31),
    )


@pytest.mark.parametrize("name", ["consultations:statistics", "consultations:statistics_csv"])
@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, None])
def test_volunteers_and_coordinators_are_refused(client, name, kind):
    someone = person(kind) if kind else UserFactory()
    if kind is None:
        CoordinatorPositionFactory(
            shelter=ShelterFactory(district=berlin_district("01")), person=someone
        )
    client.force_login(someone)

    assert client.get(reverse(name)).status_code == 404


# The CSV


def read_csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_the_csv_opens_in_german_excel_with_the_same_figures(client, year):
    client.force_login(person(Role.Kind.ADMIN))

    response = client.get(
        reverse("consultations:statistics_csv"), {"von": "2026-01-01", "bis": "2026-12-31"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="beratungen_2026-01-01_bis_2026-12-31.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == ["Zeitraum", "Gliederung", "Kategorie", "Wert"]
    period = "01.01.2026–31.12.2026"
    assert rows[1:5] == [
        [period, "Gesamt", "Beratungen", "4"],
        [period, "Gesamt", "Stunden", "3,8"],
        [period, "Gesamt", "erreichte Unterkünfte", "3"],
        [period, "Gesamt", "beratene Personen", "4"],
    ]
    assert [period, "Region", "Berlin Nord", "3"] in rows
    assert [period, "Thema", "Gewinnung von Freiwilligen", "2"] in rows
    assert [period, "Form", "Video", "1"] in rows
    assert [period, "Monat", "2026-03", "1"] in rows
    assert len([row for row in rows if row[1] == "Monat"]) == 12


def test_the_csv_of_a_regional_coordinator_holds_her_region_only(client, year):
    client.force_login(person(Role.Kind.REGIONAL_COORDINATOR, "west"))

    rows = read_csv(client.get(reverse("consultations:statistics_csv"), {"von": "2026-01-01"}))

    assert [row[2] for row in rows if row[1] == "Region"] == ["Berlin West"]
    assert rows[1][3] == "1"


def test_a_csv_for_a_wrong_period_sends_back_to_the_page_that_explains(client):
    client.force_login(person(Role.Kind.ADMIN))

    response = client.get(reverse("consultations:statistics_csv"), {"von": "2026-02-30"})

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:statistics") + "?von=2026-02-30"


# Query counts


def make_data(copies):
    nord, west = berlin_region("nord"), berlin_region("west")
    for n in range(copies):
        shelter = ShelterFactory(district=berlin_district("01" if n % 2 else "05"))
        ConsultationFactory(
            shelter=shelter,
            region=nord if n % 2 else west,
            held_on=today().replace(day=1),
            topics=[topic("konflikte"), topic("gewinnung")],
            participants=[UserFactory()],
        )


@pytest.mark.parametrize("name", ["consultations:statistics", "consultations:statistics_csv"])
def test_the_figures_need_the_same_number_of_queries_for_ten_times_the_data(client, name):
    client.force_login(person(Role.Kind.ADMIN))
    make_data(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200

    make_data(27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(name))

    assert len(large) == len(small)
    if name == "consultations:statistics":
        assert response.context["figures"].totals.consultations == 30


def test_cached_figures_count_a_consultation_logged_after_they_were_read(year):
    lead = person(Role.Kind.ADMIN)
    before = selectors.consultation_figures(lead, start=START, end=END)
    ConsultationFactory(held_on=datetime.date(2026, 6, 1), topics=[topic("konflikte")])

    after = selectors.consultation_figures(lead, start=START, end=END)

    assert after.totals.consultations == before.totals.consultations + 1


def test_cached_figures_are_not_shared_between_scopes(year):
    nord = person(Role.Kind.REGIONAL_COORDINATOR, "nord")
    west = person(Role.Kind.REGIONAL_COORDINATOR, "west")
    partner = person(Role.Kind.PARTNER)

    assert selectors.consultation_figures(nord, start=START, end=END).totals.consultations == 3
    assert selectors.consultation_figures(west, start=START, end=END).totals.consultations == 1
    assert selectors.consultation_figures(partner, start=START, end=END).protected


def test_a_years_statistics_page_needs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    client.force_login(person(Role.Kind.ADMIN))
    make_data(5)
    # Session, user, roles (2), then totals, people, regions, by region, topics, by topic,
    # by format, by month: 12 at most, whatever the data; a second read comes from the cache.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:statistics")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("consultations:statistics")).status_code == 200
