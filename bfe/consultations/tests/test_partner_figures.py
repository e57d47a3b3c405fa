"""Partners' figures withhold counts below 5, on the page and in the CSV, so that no person can be
inferred, and no withheld count can be recovered from the totals; BfE staff see exact numbers."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations import selectors
from bfe.consultations.models import Format
from bfe.places.tests.factories import ShelterFactory, berlin_district, berlin_region

from .factories import ConsultationFactory, topic

pytestmark = pytest.mark.django_db

PERIOD = {"von": "2026-01-01", "bis": "2026-12-31"}
ADDS_UP = {"Region", "Form", "Monat"}  # every consultation counts once; topics may overlap


def person(kind, region=None):
    return RoleFactory(kind=kind, region=berlin_region(region) if region else None).user


def log(n, *, region, fmt, month, slug, shelter, people=()):
    for _ in range(n):
        ConsultationFactory(
            region=berlin_region(region),
            shelter=shelter,
            format=fmt,
            held_on=datetime.date(2026, month, 10),
            duration_minutes=60,
            topics=[topic(slug)],
            participants=list(people),
        )


@pytest.fixture
def year():
    """11 consultations in 2026: Nord 8, West 3; on site 6, phone 4, video 1; January 6,
    February 4, March 1; topics Gewinnung 9 and Konflikte 2; two shelters, six people."""
    mitte = ShelterFactory(name="GU Geheimweg", district=berlin_district("01"))
    spandau = ShelterFactory(name="GU Spandau", district=berlin_district("05"))
    people = [UserFactory(full_name=f"Person {n}") for n in range(6)]
    on_site, phone, video = Format.ON_SITE, Format.PHONE, Format.VIDEO
    log(6, region="nord", fmt=on_site, month=1, slug="gewinnung", shelter=mitte, people=people)
    log(2, region="nord", fmt=phone, month=2, slug="gewinnung", shelter=mitte)
    log(2, region="west", fmt=phone, month=2, slug="konflikte", shelter=spandau)
    log(1, region="west", fmt=video, month=3, slug="gewinnung", shelter=spandau)


def read_csv(response):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[1:]


def shown_counts(html):
    """The figures of the page as shown: the four totals and every cell of the count column."""
    totals = re.findall(r'<span class="stat__value">(.*?)</span>', html)
    cells = re.findall(r'<th scope="row">.*?</th>\s*<td class="num">(.*?)</td>', html, re.S)
    return [value.replace("&lt;&nbsp;", "<").strip() for value in totals + cells]


def is_exact_small(value):
    return value.isdigit() and 0 < int(value) < 5


def possible_values(rows, total):
    """For each "<5" of a breakdown that adds up to `total`: the values it can take, given the
    other cells as shown, with "<5" meaning 1–4 and "x" at least 5 (interval arithmetic)."""
    bounds = {"<5": (1, 4), "x": (5, total)}
    hidden = [bounds[value] for value in rows if value in bounds]
    rest = total - sum(int(value) for value in rows if value not in bounds)
    found = []
    for i, value in enumerate(v for v in rows if v in bounds):
        if value != "<5":
            continue
        others = [b for j, b in enumerate(hidden) if j != i]
        low = max(1, rest - sum(high for _, high in others))
        high = min(4, rest - sum(low for low, _ in others))
        found.append(range(low, high + 1))
    return found


def test_a_partner_sees_no_exact_count_below_five_on_the_page(client, year):
    client.force_login(person(Role.Kind.PARTNER))

    html = client.get(reverse("consultations:statistics"), PERIOD).text

    values = shown_counts(html)
    assert len(values) == 4 + 3 + 3 + 12 + 12  # totals, regions, formats, topics, months
    assert [value for value in values if is_exact_small(value)] == []
    assert values[:4] == ["11", "11,0", "<5", "6"]  # two shelters reached
    assert "<5" in values
    assert "x" in values
    assert "primäre und sekundäre Geheimhaltung" in html


def test_a_partners_csv_writes_less_than_five_and_no_exact_small_count(client, year):
    client.force_login(person(Role.Kind.PARTNER))

    rows = read_csv(client.get(reverse("consultations:statistics_csv"), PERIOD))

    assert [row for row in rows if is_exact_small(row[3])] == []
    by_category = {(row[1], row[2]): row[3] for row in rows}
    assert by_category[("Region", "Berlin West")] == "<5"
    assert by_category[("Region", "Berlin Nord")] == "x"
    assert by_category[("Region", "Berlin Südost")] == "0"
    assert by_category[("Form", "Video")] == "<5"
    assert by_category[("Monat", "2026-03")] == "<5"
    assert by_category[("Gesamt", "erreichte Unterkünfte")] == "<5"


def test_no_withheld_count_can_be_recovered_from_the_totals(client, year):
    client.force_login(person(Role.Kind.PARTNER))

    rows = read_csv(client.get(reverse("consultations:statistics_csv"), PERIOD))

    total = int(next(row[3] for row in rows if row[1:3] == ["Gesamt", "Beratungen"]))
    for group in ADDS_UP:
        cells = [row[3] for row in rows if row[1] == group]
        assert sum(value == "<5" for value in cells) >= 1, group
        # Subtracting the shown cells from the total leaves every "<5" with several values.
        assert all(len(values) >= 2 for values in possible_values(cells, total)), (group, cells)


def test_a_breakdown_that_would_give_a_small_count_away_is_withheld_as_a_whole(client):
    mitte = ShelterFactory(district=berlin_district("01"))
    # January 5 and March 1 of 6: withholding January too would still leave March at 6 - 5.
    log(5, region="nord", fmt=Format.ON_SITE, month=1, slug="gewinnung", shelter=mitte)
    log(1, region="nord", fmt=Format.ON_SITE, month=3, slug="gewinnung", shelter=mitte)
    client.force_login(person(Role.Kind.PARTNER))

    response = client.get(reverse("consultations:statistics"), PERIOD)
    rows = read_csv(client.get(reverse("consultations:statistics_csv"), PERIOD))

    assert "by_month" in response.context["figures"].withheld_breakdowns
    assert "Zu wenige Beratungen, um sie hier aufzuschlüsseln" in response.text
    assert [row[2:] for row in rows if row[1] == "Monat"] == [["", "x"]]


def test_below_five_consultations_a_partner_sees_no_breakdown_and_no_hours(client):
    log(3, region="nord", fmt=Format.ON_SITE, month=1, slug="gewinnung", shelter=ShelterFactory())
    client.force_login(person(Role.Kind.PARTNER))

    rows = read_csv(client.get(reverse("consultations:statistics_csv"), PERIOD))

    assert [row[2:] for row in rows if row[1] == "Gesamt"] == [
        ["Beratungen", "<5"],
        ["Stunden", "x"],
        ["erreichte Unterkünfte", "<5"],
        ["beratene Personen", "0"],
    ]
    assert [row[3] for row in rows if row[1] != "Gesamt"] == ["x"] * 4


@pytest.mark.parametrize(
    ("kind", "region"), [(Role.Kind.ADMIN, None), (Role.Kind.REGIONAL_COORDINATOR, "west")]
)
def test_bfe_staff_see_the_exact_numbers(client, year, kind, region):
    client.force_login(person(kind, region))

    html = client.get(reverse("consultations:statistics"), PERIOD).text
    rows = read_csv(client.get(reverse("consultations:statistics_csv"), PERIOD))

    assert ["Region", "Berlin West", "3"] in [row[1:] for row in rows]
    assert ["Gesamt", "erreichte Unterkünfte", "1" if region else "2"] in [row[1:] for row in rows]
    assert "<5" not in shown_counts(html)
    assert "x" not in [row[3] for row in rows]
    assert "primäre und sekundäre Geheimhaltung" not in html


def test_a_partner_who_is_also_bfe_staff_sees_the_exact_numbers(year):
    lead = person(Role.Kind.ADMIN)
    RoleFactory(user=lead, kind=Role.Kind.PARTNER)

    figures = selectors.consultation_figures(
        lead, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )

    assert not figures.protected
    assert {row.label: row.count for row in figures.by_region}["Berlin West"] == 3


@pytest.mark.parametrize("name", ["consultations:statistics", "consultations:statistics_csv"])
def test_a_partners_figures_need_the_same_number_of_queries_for_more_data(client, name):
    client.force_login(person(Role.Kind.PARTNER))
    shelter = ShelterFactory(district=berlin_district("01"))
    log(3, region="nord", fmt=Format.PHONE, month=2, slug="konflikte", shelter=shelter)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name), PERIOD).status_code == 200

    log(30, region="west", fmt=Format.VIDEO, month=5, slug="gewinnung", shelter=shelter)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(name), PERIOD)

    assert len(large) == len(small)
    if name == "consultations:statistics":
        assert response.context["figures"].totals.consultations == 33
