"""/start/: what each role has to do today, from the sections the apps register.

Every section's data is scoped by the apps' QuerySet methods; these tests check what each role
sees and does not see, the empty states, and that the number of queries does not grow with data.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import ConsultationRequest
from bfe.consultations.tests.factories import (
    ConsultationFactory,
    ConsultationRequestFactory,
    FollowUpFactory,
)
from bfe.events.models import Certificate, Event, Registration
from bfe.events.selectors.training import progress, training_summary_for
from bfe.events.tests.factories import (
    EnrolmentFactory,
    EventFactory,
    JourFixeFactory,
    RegistrationFactory,
    in_days,
)
from bfe.events.tests.training_helpers import attend, series_with_modules
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db

START = reverse("core:dashboard")
MITTE, SPANDAU = "01", "05"  # region Nord, region West


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


def coordinator_at(district, name=None):
    shelter = ShelterFactory(district=berlin_district(district), **({"name": name} if name else {}))
    person = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person, shelter


def staff(kind, region=None):
    person = UserFactory()
    RoleFactory(user=person, kind=kind, region=berlin_region(region) if region else None)
    return person


def start_page(client, person):
    client.force_login(person)
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def section_html(html, anchor):
    """The HTML of one start-page section, up to the next one."""
    rest = html.split(f'id="start-{anchor}"', 1)[1]
    return rest.split('<section class="card start-section', 1)[0]


def section_ids(html):
    return {
        part.split('"')[0] for part in html.split('id="start-')[1:] if "heading" not in part[:60]
    }


# --- The coordinator ----------------------------------------------------------------------------


def test_coordinator_sees_her_regions_next_jour_fixe_with_a_registration_button(client):
    person, _shelter = coordinator_at(MITTE)
    JourFixeFactory(title="Jour fixe Nord im Dezember", starts_at=in_days(6))
    JourFixeFactory(title="Jour fixe Nord danach", starts_at=in_days(30))
    JourFixeFactory(title="Jour fixe West", region=berlin_region("west"), starts_at=in_days(2))

    html = start_page(client, person)

    assert "Jour fixe Nord im Dezember" in html
    assert "Jour fixe West" not in html
    assert "Jetzt anmelden" in html
    assert f'name="next" value="{START}"' in html


def test_coordinator_registers_from_the_start_page_without_javascript_and_comes_back(client):
    person, _shelter = coordinator_at(MITTE)
    event = JourFixeFactory(starts_at=in_days(6))
    client.force_login(person)

    response = client.post(reverse("events:register", args=[event.pk]), {"next": START})

    assert response.status_code == 302
    assert response["Location"] == START
    assert Registration.objects.get(event=event, person=person).status == "confirmed"
    assert "Sie sind angemeldet" in client.get(START).content.decode()


def test_coordinator_registers_from_the_start_page_with_htmx_and_gets_the_box_back(client):
    person, _shelter = coordinator_at(MITTE)
    event = JourFixeFactory(starts_at=in_days(6))
    client.force_login(person)

    response = client.post(
        reverse("events:register", args=[event.pk]), {"next": START}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="registration-box"' in html
    assert "Sie sind angemeldet" in html


def test_coordinator_sees_her_upcoming_registrations_but_not_cancelled_or_past_ones(client):
    person, _shelter = coordinator_at(MITTE)
    RegistrationFactory(person=person, event=EventFactory(title="Werkstatt Anerkennung"))
    RegistrationFactory(
        person=person,
        event=EventFactory(title="Werkstatt Warteliste"),
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(
        person=person,
        event=EventFactory(title="Werkstatt abgemeldet"),
        status=Registration.Status.CANCELLED,
    )
    RegistrationFactory(
        person=person,
        event=EventFactory(
            title="Werkstatt vorbei",
            starts_at=in_days(-10),
            ends_at=in_days(-10) + datetime.timedelta(hours=2),
        ),
    )

    html = start_page(client, person)

    assert "Werkstatt Anerkennung" in html
    assert "Werkstatt Warteliste" in html
    assert "Werkstatt abgemeldet" not in html
    assert "Werkstatt vorbei" not in html


def test_coordinator_sees_the_next_steps_of_her_consultations_never_the_note(client):
    person, shelter = coordinator_at(MITTE)
    ConsultationFactory(
        shelter=shelter,
        participants=[person],
        held_on=timezone.localdate() - datetime.timedelta(days=10),
        next_steps="Vorlage für Ehrenamtsvereinbarung schicken.",
        confidential_note="Vertraulich: Streit mit der Heimleitung.",
    )

    html = start_page(client, person)

    assert "Vorlage für Ehrenamtsvereinbarung schicken." in html
    assert "Streit mit der Heimleitung" not in html


def test_coordinator_never_sees_the_next_steps_of_another_shelter(client):
    person, shelter = coordinator_at(MITTE)
    colleague, other = coordinator_at(MITTE)
    recently = timezone.localdate() - datetime.timedelta(days=10)
    ConsultationFactory(
        shelter=other, participants=[colleague], held_on=recently, next_steps="Fremder Schritt."
    )
    # Even one she attended elsewhere is not her shelter's business today.
    ConsultationFactory(
        shelter=other, participants=[person], held_on=recently, next_steps="Alter Ort."
    )
    # A colleague's consultation at her own shelter is the colleague's to see.
    ConsultationFactory(
        shelter=shelter, participants=[colleague], held_on=recently, next_steps="Kollegin."
    )

    html = start_page(client, person)

    assert "Fremder Schritt." not in html
    assert "Alter Ort." not in html
    assert "Kollegin." not in html
    assert "Keine offenen Schritte" in html


def test_next_steps_agreed_long_ago_are_no_longer_open(client):
    person, shelter = coordinator_at(MITTE)
    ConsultationFactory(
        shelter=shelter,
        participants=[person],
        held_on=timezone.localdate() - datetime.timedelta(days=400),
        next_steps="Längst erledigt.",
    )

    assert "Längst erledigt." not in start_page(client, person)


def test_coordinator_sees_her_training_progress(client):
    person, _shelter = coordinator_at(MITTE)
    series = series_with_modules(first_in_days=-60)
    EnrolmentFactory(series=series, person=person)
    attend(person, series, 1, 2, 3)

    html = start_page(client, person)

    assert "3 von 8 Modulen besucht" in html
    assert "für den Abschluss nötig: 7" in html


def test_coordinator_with_a_certificate_gets_its_link(client):
    person, _shelter = coordinator_at(MITTE)
    series = series_with_modules(first_in_days=-90)
    EnrolmentFactory(series=series, person=person)
    attend(person, series, *range(1, 9))
    certificate = Certificate.objects.create(
        person=person, series=series, holder_name="Test", verification_code="ABCD2345", hours=48
    )

    html = start_page(client, person)

    assert "8 von 8 Modulen besucht" in html
    assert reverse("events:certificate_pdf", args=[certificate.pk]) in html


def test_a_revoked_certificate_is_not_linked(client):
    person, _shelter = coordinator_at(MITTE)
    series = series_with_modules(first_in_days=-90)
    attend(person, series, *range(1, 9))
    certificate = Certificate.objects.create(
        person=person,
        series=series,
        holder_name="Test",
        verification_code="ABCD2346",
        hours=48,
        revoked_at=timezone.now(),
    )

    html = start_page(client, person)

    assert reverse("events:certificate_pdf", args=[certificate.pk]) not in html
    assert "abgeschlossen" in html


@pytest.mark.parametrize("attended", [0, 6, 7, 8])
def test_start_page_completion_agrees_with_the_progress_page(attended):
    person, _shelter = coordinator_at(MITTE)
    series = series_with_modules(first_in_days=-90, completion_percent=80)
    EnrolmentFactory(series=series, person=person)
    attend(person, series, *range(1, attended + 1))

    (summary,) = training_summary_for(person)
    full = progress(person, "basis")

    assert (summary.attended_count, summary.total) == (full.attended_count, full.total)
    assert summary.is_complete == full.is_complete


def test_coordinators_empty_start_page_says_what_to_do(client):
    person, _shelter = coordinator_at(MITTE)

    html = start_page(client, person)

    assert "Kein Jour fixe geplant" in html
    assert "Keine Anmeldungen" in html
    assert "Keine offenen Schritte" in html
    assert "Noch keine Fortbildung" in html
    assert reverse("consultations:request_create") in html


# --- The regional coordinator -------------------------------------------------------------------


def test_regional_coordinator_sees_her_regions_open_requests_only(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    ConsultationRequestFactory(shelter=ShelterFactory(name="GU Nordhang"))
    ConsultationRequestFactory(
        shelter=ShelterFactory(name="GU Westend", district=berlin_district(SPANDAU)),
        region=berlin_region("west"),
    )
    ConsultationRequestFactory(
        shelter=ShelterFactory(name="GU Erledigt"), status=ConsultationRequest.Status.DONE
    )

    html = start_page(client, nord)

    assert "GU Nordhang" in html
    assert "GU Westend" not in html
    assert "GU Erledigt" not in html
    assert "1 Anfrage wartet" in html


def test_regional_coordinator_sees_her_due_follow_ups_and_which_are_overdue(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    colleague = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    today = timezone.localdate()
    FollowUpFactory(owner=nord, title="Rückruf überfällig", due_on=today - datetime.timedelta(3))
    FollowUpFactory(owner=nord, title="Rückruf morgen", due_on=today + datetime.timedelta(1))
    FollowUpFactory(
        owner=nord, title="Rückruf in einem Monat", due_on=today + datetime.timedelta(30)
    )
    FollowUpFactory(owner=nord, title="Rückruf erledigt", due_on=today, done_at=timezone.now())
    FollowUpFactory(owner=colleague, title="Aufgabe der Kollegin", due_on=today)

    html = start_page(client, nord)

    assert "Rückruf überfällig" in html
    assert "Rückruf morgen" in html
    assert "Rückruf in einem Monat" not in html
    assert "Rückruf erledigt" not in html
    assert "Aufgabe der Kollegin" not in html
    assert "davon 1 überfällig" in html


def test_regional_coordinator_sees_her_next_jours_fixes_with_seats_and_waiting_list(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    event = JourFixeFactory(title="Jour fixe Nord voll", capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    JourFixeFactory(title="Jour fixe West", region=berlin_region("west"))

    html = start_page(client, nord)

    assert "Jour fixe Nord voll" in html
    assert "2/2 Plätze" in html
    assert "Warteliste: 1" in html
    assert "Jour fixe West" not in html


def test_regional_coordinator_sees_the_top_of_her_outreach_list(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    ShelterFactory(name="NU Nie Erreicht", district=berlin_district(MITTE))
    reached = ShelterFactory(name="GU Gerade Beraten", district=berlin_district(MITTE))
    ConsultationFactory(shelter=reached, held_on=timezone.localdate())
    ShelterFactory(name="NU Im Westen", district=berlin_district(SPANDAU))

    html = start_page(client, nord)

    assert "NU Nie Erreicht" in html
    assert "nie erreicht" in html
    assert "GU Gerade Beraten" not in section_html(html, "consultations-outreach")
    assert "NU Im Westen" not in html
    assert reverse("consultations:outreach") in html


def test_regional_coordinators_empty_start_page_says_what_to_do(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")

    html = start_page(client, nord)

    assert "Keine offenen Anfragen" in html
    assert "Nichts fällig" in html
    assert "Kein Jour fixe geplant" in html
    assert "Alle Unterkünfte erreicht" in html
    assert reverse("events:series_create") in html


# --- The BfE lead -------------------------------------------------------------------------------


def test_admin_sees_this_weeks_events_with_fill_levels(client):
    admin = staff(Role.Kind.ADMIN)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    this_week = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(18)))
    event = EventFactory(title="Werkstatt diese Woche", starts_at=this_week, capacity=10)
    RegistrationFactory.create_batch(3, event=event)
    EventFactory(title="Werkstatt nächste Woche", starts_at=this_week + datetime.timedelta(7))

    html = start_page(client, admin)

    assert "Werkstatt diese Woche" in html
    assert "3/10 Plätze" in html
    assert "Werkstatt nächste Woche" not in html


def test_admin_sees_open_requests_of_every_region_with_their_counts(client):
    admin = staff(Role.Kind.ADMIN)
    ConsultationRequestFactory(shelter=ShelterFactory(name="GU Nordhang"))
    ConsultationRequestFactory(
        shelter=ShelterFactory(name="GU Westend", district=berlin_district(SPANDAU)),
        region=berlin_region("west"),
    )

    html = start_page(client, admin)

    assert "GU Nordhang" in html
    assert "GU Westend" in html
    assert "2 Anfragen warten" in html
    assert "Berlin West" in html


def test_admin_sees_vacancies_with_their_number(client):
    admin = staff(Role.Kind.ADMIN)
    CoordinatorPositionFactory(shelter=ShelterFactory(name="GU Vakant Eins"), person=None)
    CoordinatorPositionFactory(shelter=ShelterFactory(name="GU Vakant Zwei"), person=None)
    CoordinatorPositionFactory(shelter=ShelterFactory(name="GU Besetzt"))

    html = start_page(client, admin)
    vacancies = section_html(html, "consultations-vacancies")

    assert "GU Vakant Eins" in vacancies
    assert "GU Vakant Zwei" in vacancies
    assert "GU Besetzt" not in vacancies
    assert "2 offene Unterkünfte haben keine besetzte Koordination" in vacancies


def test_admins_empty_start_page_says_what_to_do(client):
    admin = staff(Role.Kind.ADMIN)

    html = start_page(client, admin)

    assert "Keine Veranstaltungen in dieser Woche" in html
    assert "Keine offenen Anfragen" in html
    assert "Alle Stellen besetzt" in html


# --- Who sees none of it ------------------------------------------------------------------------

WORK_SECTIONS = {
    "events-next-jour-fixe",
    "events-registrations",
    "events-training",
    "events-region-jours-fixes",
    "events-week",
    "consultations-next-steps",
    "consultations-open-requests",
    "consultations-follow-ups",
    "consultations-outreach",
    "consultations-vacancies",
    "places-shelters",
}


# What they get instead: partners volunteering's counts, volunteers their own engagement.
OWN_SECTIONS = {
    Role.Kind.PARTNER: {"places-welcome", "volunteering-figures"},
    Role.Kind.VOLUNTEER: {
        "places-welcome",
        "volunteering-my-shifts",
        "volunteering-my-applications",
        "volunteering-my-hours",
    },
}


@pytest.mark.parametrize("kind", [Role.Kind.PARTNER, Role.Kind.VOLUNTEER])
def test_partners_and_volunteers_see_none_of_the_work_sections(client, kind):
    person = staff(kind)
    ConsultationRequestFactory(shelter=ShelterFactory(name="GU Nordhang"))
    FollowUpFactory(owner=person, title="Nicht ihre Aufgabe", due_on=timezone.localdate())
    JourFixeFactory(title="Jour fixe Nord")

    html = start_page(client, person)

    assert section_ids(html) == OWN_SECTIONS[kind]
    assert "GU Nordhang" not in html
    assert "Nicht ihre Aufgabe" not in html
    assert "Unterkünfte ansehen" in html


def test_coordinator_sees_her_sections_and_no_staff_section(client):
    person, _shelter = coordinator_at(MITTE)

    ids = section_ids(start_page(client, person))

    assert ids == {
        "events-next-jour-fixe",
        "events-registrations",
        "consultations-next-steps",
        "events-training",
        "places-shelters",
        "volunteering-pipeline",
        "volunteering-new-applications",
        "volunteering-open-shifts",
        "volunteering-clearances",
        "volunteering-hours-to-confirm",
        "materials-search",
        "materials-my-suggestions",
    }


def test_shortcuts_of_the_old_start_page_stay(client):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")

    html = start_page(client, nord)

    for name in ["consultations:outreach", "consultations:list", "events:list", "events:create"]:
        assert reverse(name) in html


# --- Queries ------------------------------------------------------------------------------------


def coordinator_world(size):
    """A coordinator with `size` of everything her sections show."""
    person, shelter = coordinator_at(MITTE)
    for day in range(size):
        event = JourFixeFactory(starts_at=in_days(3 + 7 * day))
        RegistrationFactory(event=event, person=person)
        RegistrationFactory.create_batch(2, event=event)
        ConsultationFactory(
            shelter=shelter,
            participants=[person],
            held_on=timezone.localdate() - datetime.timedelta(days=day + 1),
        )
    series = series_with_modules(first_in_days=-90)
    EnrolmentFactory(series=series, person=person)
    attend(person, series, *range(1, min(size, 8) + 1))
    aufbau = series_with_modules(level="aufbau", first_in_days=-90, numbers=range(1, 5))
    attend(person, aufbau, 1)
    return person


def regional_world(size):
    nord = staff(Role.Kind.REGIONAL_COORDINATOR, "nord")
    today = timezone.localdate()
    for day in range(size):
        shelter = ShelterFactory(district=berlin_district(MITTE))
        CoordinatorPositionFactory(shelter=ShelterFactory(district=berlin_district(MITTE)))
        ConsultationRequestFactory(shelter=shelter)
        FollowUpFactory(owner=nord, shelter=shelter, due_on=today + datetime.timedelta(day % 5))
        event = JourFixeFactory(starts_at=in_days(3 + 7 * day), organisers=[nord])
        RegistrationFactory.create_batch(2, event=event)
    return nord


def admin_world(size):
    admin = staff(Role.Kind.ADMIN)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for day in range(size):
        starts = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8 + day % 10)))
        event = EventFactory(starts_at=starts, status=Event.Status.PUBLISHED)
        RegistrationFactory.create_batch(2, event=event)
        ConsultationRequestFactory(shelter=ShelterFactory())
        ConsultationRequestFactory(
            shelter=ShelterFactory(district=berlin_district(SPANDAU)),
            region=berlin_region("west"),
        )
        CoordinatorPositionFactory(shelter=ShelterFactory(), person=None)
    return admin


# Session, user, roles (2) and the sections' own reads, the same for 1 and for many rows; the
# coordinator's includes one more for her waiting-list place, when she has one. Volunteering adds
# four for the coordinator (pipeline, applications, shifts, clearances) and one for staff (counts).
# The library adds one for the coordinator (her open suggestions) and two for staff (open
# suggestions, materials due for review).
MAX_QUERIES = {"coordinator": 21, "regional": 16, "admin": 12}


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize(
    "role, world",
    [("coordinator", coordinator_world), ("regional", regional_world), ("admin", admin_world)],
)
def test_start_page_queries_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, role, world, size
):
    person = world(size)
    client.force_login(person)

    with django_assert_max_num_queries(MAX_QUERIES[role]):
        response = client.get(START)

    assert response.status_code == 200
