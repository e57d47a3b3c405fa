"""The outreach list: shelters nobody reached lately, vacant posts and new coordinators."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import DateField, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations import selectors
from bfe.places.models import Shelter, today
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    RegionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import ConsultationFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 25)  # six months before: 25 May 2026


def regional(slug):
    role = RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug))
    return role.user


@pytest.fixture
def nord():
    return regional("nord")


@pytest.fixture
def west():
    return regional("west")


@pytest.fixture
def admin():
    return RoleFactory(kind=Role.Kind.ADMIN).user


def shelter_in(number, **fields):
    return ShelterFactory(district=berlin_district(number), **fields)


def consulted(shelter, held_on, region="nord"):
    return ConsultationFactory(shelter=shelter, region=berlin_region(region), held_on=held_on)


def quiet_names(user, **kwargs):
    kwargs.setdefault("on", ON)
    return [s.name for s in selectors.shelters_without_recent_contact(user, **kwargs)]


# Which shelters are listed


def test_shelters_without_a_consultation_in_six_months_are_listed_with_their_last_contact(nord):
    long_ago = shelter_in("01", name="GU Lange her")
    consulted(long_ago, datetime.date(2026, 4, 30))
    consulted(long_ago, datetime.date(2025, 9, 1))
    recent = shelter_in("03", name="GU Neulich")
    consulted(recent, datetime.date(2026, 9, 1))
    never = shelter_in("11", name="GU Nie")

    shelters = {s.name: s for s in selectors.shelters_without_recent_contact(nord, on=ON)}

    assert set(shelters) == {long_ago.name, never.name}
    assert shelters["GU Lange her"].last_contact_on == datetime.date(2026, 4, 30)
    assert shelters["GU Nie"].last_contact_on is None
    assert recent.name not in shelters


def test_a_consultation_on_the_first_day_of_the_window_counts_as_contact(nord):
    on_the_day = shelter_in("01", name="GU Am Stichtag")
    consulted(on_the_day, datetime.date(2026, 5, 25))
    day_before = shelter_in("01", name="GU Am Vortag")
    consulted(day_before, datetime.date(2026, 5, 24))

    assert quiet_names(nord) == ["GU Am Vortag"]


def test_the_window_follows_the_number_of_months(nord):
    seven_months = shelter_in("01", name="GU Sieben Monate")
    consulted(seven_months, datetime.date(2026, 4, 20))

    assert quiet_names(nord, months=6) == ["GU Sieben Monate"]
    assert quiet_names(nord, months=12) == []
    assert quiet_names(nord, months=1) == ["GU Sieben Monate"]


def test_a_consultation_logged_in_another_region_still_counts_as_contact(nord):
    shelter = shelter_in("01", name="GU Umgezogen")
    consulted(shelter, datetime.date(2026, 10, 1), region="west")

    assert quiet_names(nord) == []


def test_closed_shelters_are_left_out(nord):
    shelter_in("01", name="GU Geschlossen", closed_on=datetime.date(2026, 1, 31))
    shelter_in("01", name="GU Schließt bald", closed_on=datetime.date(2027, 3, 31))

    assert quiet_names(nord) == ["GU Schließt bald"]


def test_most_residents_come_first(nord):
    shelter_in("01", name="GU Klein", residents=40)
    shelter_in("03", name="GU Groß", residents=900)
    shelter_in("12", name="GU Mittel", residents=300)

    assert quiet_names(nord) == ["GU Groß", "GU Mittel", "GU Klein"]


def test_vacancy_is_shown_with_each_shelter(nord):
    staffed = shelter_in("01", name="GU Besetzt")
    CoordinatorPositionFactory(shelter=staffed)
    shelter_in("01", name="GU Unbesetzt")

    shelters = {s.name: s.is_staffed for s in selectors.shelters_without_recent_contact(nord)}

    assert shelters == {"GU Besetzt": True, "GU Unbesetzt": False}


# Whose shelters


def test_a_regional_coordinator_sees_only_her_regions_shelters(nord, west):
    shelter_in("01", name="GU Mitte")
    shelter_in("05", name="GU Spandau")

    assert quiet_names(nord) == ["GU Mitte"]
    assert quiet_names(west) == ["GU Spandau"]


def test_the_lead_sees_every_region_and_can_narrow_to_one(admin):
    shelter_in("01", name="GU Mitte", residents=100)
    shelter_in("05", name="GU Spandau", residents=200)

    assert quiet_names(admin) == ["GU Spandau", "GU Mitte"]
    assert quiet_names(admin, region=berlin_region("nord")) == ["GU Mitte"]


def test_a_region_outside_her_scope_gives_a_regional_coordinator_nothing(nord):
    shelter_in("05", name="GU Spandau")

    assert quiet_names(nord, region=berlin_region("west")) == []


def test_a_shelter_in_a_district_of_two_regions_is_listed_once(nord):
    RegionFactory(name="Sonderregion", districts=[berlin_district("01")])
    shelter_in("01", name="GU Mitte")

    assert quiet_names(nord) == ["GU Mitte"]
    assert len(quiet_names(RoleFactory(kind=Role.Kind.ADMIN).user)) == 1


@pytest.mark.parametrize("kind", [Role.Kind.PARTNER, Role.Kind.VOLUNTEER, None])
def test_people_who_are_not_bfe_staff_get_nothing(kind):
    shelter_in("01", name="GU Mitte")
    person = RoleFactory(kind=kind).user if kind else UserFactory()
    if kind is None:  # a coordinator
        CoordinatorPositionFactory(shelter=shelter_in("01"), person=person)

    assert quiet_names(person) == []
    assert list(selectors.vacant_shelters(person)) == []
    assert list(selectors.new_coordinator_positions(person)) == []


# Where event attendance will join


def test_last_contact_is_the_latest_over_all_contact_sources(nord, monkeypatch):
    consulted_lately = shelter_in("01", name="GU Beraten", residents=300)
    consulted(consulted_lately, datetime.date(2026, 1, 10))
    shelter_in("01", name="GU Nie", residents=100)

    def met_at_an_event():
        return Value(datetime.date(2026, 2, 1), output_field=DateField())

    monkeypatch.setitem(selectors.CONTACT_SOURCES, "last_attendance_on", met_at_an_event)
    shelters = list(selectors.shelters_without_recent_contact(nord, on=ON))

    assert [(s.name, s.last_contact_on) for s in shelters] == [
        ("GU Beraten", datetime.date(2026, 2, 1)),
        ("GU Nie", datetime.date(2026, 2, 1)),
    ]
    assert shelters[0].last_consultation_on == datetime.date(2026, 1, 10)
    assert shelters[1].last_consultation_on is None


def test_a_source_without_dates_leaves_the_others_in_charge(nord, monkeypatch):
    shelter = shelter_in("01", name="GU Beraten")
    consulted(shelter, datetime.date(2026, 1, 10))
    shelter_in("01", name="GU Nie", residents=10)

    monkeypatch.setitem(
        selectors.CONTACT_SOURCES,
        "last_attendance_on",
        lambda: Value(None, output_field=DateField()),
    )
    shelters = selectors.shelters_without_recent_contact(nord, on=ON)

    assert [(s.name, s.last_contact_on) for s in shelters] == [
        ("GU Beraten", datetime.date(2026, 1, 10)),
        ("GU Nie", None),
    ]


# Vacant posts


def test_vacant_shelters_with_the_date_since_when_they_are_vacant(nord):
    open_post = shelter_in("01", name="GU Offene Stelle", residents=500)
    CoordinatorPositionFactory(shelter=open_post, person=None, starts_on=datetime.date(2026, 8, 1))
    CoordinatorPositionFactory(
        shelter=open_post,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2026, 7, 31),
    )
    left = shelter_in("03", name="GU Gegangen", residents=300)
    CoordinatorPositionFactory(
        shelter=left, starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2024, 5, 31)
    )
    CoordinatorPositionFactory(
        shelter=left, starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2026, 3, 15)
    )
    shelter_in("11", name="GU Nie besetzt", residents=100)
    CoordinatorPositionFactory(shelter=shelter_in("01", name="GU Besetzt", residents=999))
    shelter_in("01", name="GU Zu", closed_on=datetime.date(2026, 1, 1))
    shelter_in("05", name="GU Spandau")

    vacancies = [(s.name, s.vacant_since) for s in selectors.vacant_shelters(nord, on=ON)]

    assert vacancies == [
        ("GU Offene Stelle", datetime.date(2026, 8, 1)),
        ("GU Gegangen", datetime.date(2026, 3, 15)),
        ("GU Nie besetzt", None),
    ]


# New coordinators


def test_new_coordinators_are_those_who_started_in_the_last_twelve_months(nord):
    newest = CoordinatorPositionFactory(
        shelter=shelter_in("01"), starts_on=datetime.date(2026, 10, 1)
    )
    newer = CoordinatorPositionFactory(
        shelter=shelter_in("03"), starts_on=datetime.date(2025, 12, 1)
    )
    CoordinatorPositionFactory(shelter=shelter_in("01"), starts_on=datetime.date(2025, 11, 1))
    CoordinatorPositionFactory(
        shelter=shelter_in("01"),
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    CoordinatorPositionFactory(
        shelter=shelter_in("01"), person=None, starts_on=datetime.date(2026, 6, 1)
    )
    CoordinatorPositionFactory(shelter=shelter_in("05"), starts_on=datetime.date(2026, 6, 1))

    positions = list(selectors.new_coordinator_positions(nord, on=ON))

    assert positions == [newest, newer]


def test_people_already_enrolled_in_training_can_be_left_out(nord):
    enrolled = CoordinatorPositionFactory(
        shelter=shelter_in("01"), starts_on=datetime.date(2026, 9, 1)
    )
    not_yet = CoordinatorPositionFactory(
        shelter=shelter_in("01"), starts_on=datetime.date(2026, 8, 1)
    )
    people = type(enrolled.person).objects.filter(pk=enrolled.person_id).values("pk")

    positions = selectors.new_coordinator_positions(nord, on=ON, enrolled_people=people)

    assert list(positions) == [not_yet]


def test_new_coordinators_enrolled_in_a_basis_series_leave_the_list(nord):
    from bfe.events.tests.factories import EnrolmentFactory

    enrolled, waiting = UserFactory(), UserFactory()
    for person in (enrolled, waiting):
        CoordinatorPositionFactory(
            shelter=shelter_in("01"), person=person, starts_on=today() - datetime.timedelta(days=30)
        )
    EnrolmentFactory(person=enrolled)

    newcomers = selectors.new_coordinator_positions(
        nord, enrolled_people=selectors.basis_series_enrolments()
    )

    assert [p.person for p in newcomers] == [waiting]


# The page


def test_the_start_page_lists_quiet_shelters_with_a_one_click_link_to_log_contact(client, nord):
    shelter = shelter_in("01", name="GU Am Wiesengrund", residents=420)
    consulted(shelter, today() - datetime.timedelta(days=300))
    client.force_login(nord)

    response = client.get(reverse("consultations:outreach"))

    assert response.status_code == 200
    assert "GU Am Wiesengrund" in response.text
    assert f"{reverse('consultations:create')}?shelter={shelter.pk}" in response.text
    assert response.context["overview"].shelter_count == 1
    assert response.context["overview"].resident_count == 420


def test_the_months_parameter_widens_the_window(client, nord):
    shelter = shelter_in("01", name="GU Acht Monate")
    consulted(shelter, today() - datetime.timedelta(days=240))
    client.force_login(nord)

    six = client.get(reverse("consultations:outreach"))
    twelve = client.get(reverse("consultations:outreach"), {"monate": "12"})

    assert [s.name for s in six.context["page"]] == ["GU Acht Monate"]
    assert list(twelve.context["page"]) == []
    assert twelve.context["overview"].months == 12


@pytest.mark.parametrize("value", ["abc", "0", "37", "-3", "6.5", "9" * 30])
def test_bad_months_fall_back_to_six_with_a_message(client, nord, value):
    client.force_login(nord)

    response = client.get(reverse("consultations:outreach"), {"monate": value})

    assert response.status_code == 200
    assert response.context["overview"].months == 6
    messages = [str(m) for m in response.context["messages"]]
    assert any("6 Monaten" in m for m in messages)


def test_the_lead_filters_by_region_and_a_wrong_region_shows_all(client, admin):
    shelter_in("01", name="GU Mitte")
    shelter_in("05", name="GU Spandau")
    client.force_login(admin)

    west = client.get(reverse("consultations:outreach"), {"region": "west"})
    wrong = client.get(reverse("consultations:outreach"), {"region": "atlantis"})

    assert [s.name for s in west.context["page"]] == ["GU Spandau"]
    assert wrong.status_code == 200
    assert {s.name for s in wrong.context["page"]} == {"GU Spandau", "GU Mitte"}
    assert list(wrong.context["messages"])


def test_a_regional_coordinator_with_one_region_gets_no_region_filter(client, nord):
    client.force_login(nord)

    response = client.get(reverse("consultations:outreach"), {"region": "west"})

    assert "region" not in response.context["form"].fields
    assert response.context["region"] is None


def test_vacancies_and_new_coordinators_are_on_the_page(client, nord):
    CoordinatorPositionFactory(
        shelter=shelter_in("01", name="GU Verwaist"),
        person=None,
        starts_on=today() - datetime.timedelta(days=40),
    )
    CoordinatorPositionFactory(
        shelter=shelter_in("03", name="GU Neustart"),
        person=UserFactory(full_name="Nina Neu"),
        starts_on=today() - datetime.timedelta(days=30),
    )
    client.force_login(nord)

    response = client.get(reverse("consultations:outreach"))

    overview = response.context["overview"]
    assert [s.name for s in overview.vacancies] == ["GU Verwaist"]
    assert overview.new_coordinator_count == 1
    assert "Nina Neu" in response.text
    assert "Basisreihe" in response.text  # the note on what the list will become


def test_empty_lists_say_so(client, nord):
    shelter = shelter_in("01", name="GU Gut betreut")
    CoordinatorPositionFactory(shelter=shelter, starts_on=datetime.date(2020, 1, 1))
    consulted(shelter, today())
    client.force_login(nord)

    response = client.get(reverse("consultations:outreach"))

    assert "Alle Unterkünfte erreicht" in response.text
    assert "Keine unbesetzten Stellen" in response.text
    assert "Keine neuen Koordinator:innen" in response.text


@pytest.mark.parametrize("kind", [Role.Kind.PARTNER, Role.Kind.VOLUNTEER])
def test_people_who_are_not_bfe_staff_are_refused(client, kind):
    client.force_login(RoleFactory(kind=kind).user)

    assert client.get(reverse("consultations:outreach")).status_code == 404


def test_a_coordinator_is_refused(client):
    coordinator = CoordinatorPositionFactory(shelter=shelter_in("01")).person
    client.force_login(coordinator)

    assert client.get(reverse("consultations:outreach")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("consultations:outreach"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Query counts


def make_region_data(copies):
    for n in range(copies):
        quiet = shelter_in("01", residents=100 + n)
        consulted(quiet, today() - datetime.timedelta(days=400))
        CoordinatorPositionFactory(shelter=quiet, starts_on=today() - datetime.timedelta(days=20))
        vacant = shelter_in("03", residents=50 + n)
        CoordinatorPositionFactory(
            shelter=vacant, person=None, starts_on=today() - datetime.timedelta(days=10)
        )
        reached = shelter_in("12")
        consulted(reached, today() - datetime.timedelta(days=3))
        CoordinatorPositionFactory(shelter=reached, starts_on=datetime.date(2020, 1, 1))


@pytest.mark.parametrize("who", ["nord", "admin"])
def test_the_page_needs_the_same_number_of_queries_for_ten_times_the_data(client, who):
    user = regional("nord") if who == "nord" else RoleFactory(kind=Role.Kind.ADMIN).user
    client.force_login(user)
    url = reverse("consultations:outreach")
    make_region_data(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    make_region_data(27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    # Quiet: the long-ago consulted and the vacant ones, never consulted.
    assert response.context["overview"].shelter_count == 60
    assert response.context["overview"].vacancy_count == 30
    assert response.context["overview"].new_coordinator_count == 30
    assert len(large) == len(small)


# In the browser


def test_a_regional_coordinator_finds_quiet_shelters_and_the_figures_accessibly(page, axe):
    from allauth.account.models import EmailAddress
    from playwright.sync_api import expect

    user = regional("nord")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    shelter = shelter_in("01", name="GU Am Wiesengrund", residents=420)
    consulted(shelter, today() - datetime.timedelta(days=300))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/konto/login/")
    page.get_by_label("E-Mail").first.fill(user.email)
    page.get_by_label("Passwort").first.fill("demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(reverse("consultations:outreach"))

    expect(page.get_by_role("link", name="GU Am Wiesengrund").first).to_be_visible()
    log_contact = page.get_by_role("link", name=re.compile("Kontakt erfassen.*GU Am Wiesengrund"))
    expect(log_contact.first).to_have_attribute(
        "href", f"/beratung/protokoll/neu/?shelter={shelter.pk}"
    )
    assert axe() == []
    page.get_by_role("link", name="Zahlen").click()
    expect(page.get_by_role("heading", name="Beratungen in Zahlen")).to_be_visible()
    assert axe() == []


def test_a_coordinator_attending_a_bfe_event_counts_as_recent_contact(nord):
    from bfe.events.tests.factories import JourFixeFactory, RegistrationFactory, in_days

    came, stayed_away = shelter_in("01", name="GU Kam"), shelter_in("01", name="GU Fern")
    coordinator = UserFactory()
    CoordinatorPositionFactory(shelter=came, person=coordinator)
    CoordinatorPositionFactory(shelter=stayed_away)
    event = JourFixeFactory(starts_at=in_days(-20), ends_at=in_days(-20, 12))
    RegistrationFactory(event=event, person=coordinator, attended=True)

    quiet = {s.name for s in selectors.shelters_without_recent_contact(nord)}

    assert "GU Kam" not in quiet
    assert "GU Fern" in quiet
    assert selectors.with_last_contact(
        Shelter.objects.filter(pk=came.pk)
    ).get().last_contact_on == (event.starts_at.astimezone(timezone.get_current_timezone()).date())
