"""Check-in at the door, walk-ins, the participants page and the attendance counts for reports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.events.models import Event, Registration
from bfe.events.services.attendance import (
    AttendanceCounts,
    add_walk_in,
    attendance_counts,
    participant_list,
    set_attendance,
)
from bfe.events.tests.factories import (
    EventFactory,
    GuestRegistrationFactory,
    JourFixeFactory,
    RegistrationFactory,
)
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


def regional(slug):
    person = UserFactory()
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug))
    return person


def coordinator(district="01", shelter_name=None):
    person = UserFactory()
    shelter = ShelterFactory(
        district=berlin_district(district), **({"name": shelter_name} if shelter_name else {})
    )
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def today_event(**kwargs):
    """An event running now, so that the door is open."""
    now = timezone.now()
    return JourFixeFactory(
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def organiser():
    return regional("nord")


@pytest.fixture
def event(organiser):
    return today_event(organisers=[organiser])


# Services: set_attendance ----------------------------------------------------------------------


def test_an_organiser_marks_a_participant_present_and_takes_it_back(event, organiser):
    registration = RegistrationFactory(event=event)

    set_attendance(registration=registration, attended=True, by=organiser)
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.checked_in_at is not None

    set_attendance(registration=registration, attended=False, by=organiser)
    registration.refresh_from_db()
    assert registration.attended is False
    assert registration.checked_in_at is None


def test_a_repeated_tap_with_the_same_state_changes_nothing(event, organiser):
    registration = RegistrationFactory(event=event)
    set_attendance(registration=registration, attended=True, by=organiser)
    first = Registration.objects.get(pk=registration.pk).checked_in_at

    set_attendance(registration=registration, attended=True, by=organiser)

    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.checked_in_at == first


def test_regional_staff_of_the_events_region_may_check_people_in_without_being_organisers(event):
    registration = RegistrationFactory(event=event)
    set_attendance(registration=registration, attended=True, by=regional("nord"))
    assert Registration.objects.get(pk=registration.pk).attended


@pytest.mark.parametrize("who", ["regional_west", "coordinator", "participant"])
def test_nobody_outside_the_events_management_may_check_people_in(event, who):
    registration = RegistrationFactory(event=event)
    person = {
        "regional_west": lambda: regional("west"),
        "coordinator": coordinator,
        "participant": lambda: registration.person,
    }[who]()

    with pytest.raises(PermissionDenied):
        set_attendance(registration=registration, attended=True, by=person)
    assert not Registration.objects.get(pk=registration.pk).attended


def test_attendance_cannot_be_recorded_before_the_events_day(organiser):
    event = JourFixeFactory(organisers=[organiser])  # in 14 days
    registration = RegistrationFactory(event=event)

    with pytest.raises(ValidationError, match="am Tag der Veranstaltung"):
        set_attendance(registration=registration, attended=True, by=organiser)


def test_attendance_is_not_recorded_for_a_cancelled_event(organiser):
    event = today_event(organisers=[organiser], status=Event.Status.CANCELLED)
    registration = RegistrationFactory(event=event)

    with pytest.raises(ValidationError, match="abgesagt"):
        set_attendance(registration=registration, attended=True, by=organiser)


def test_people_on_the_waiting_list_are_not_checked_in_by_tap(event, organiser):
    registration = RegistrationFactory(
        event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="Nur angemeldete"):
        set_attendance(registration=registration, attended=True, by=organiser)


# Services: add_walk_in -------------------------------------------------------------------------


def test_a_walk_in_is_a_confirmed_present_registration_even_when_the_event_is_full(organiser):
    event = today_event(organisers=[organiser], capacity=1)
    RegistrationFactory(event=event)

    registration, created = add_walk_in(
        event=event, name="Leyla Demir", email="", organisation="Bezirksamt Mitte", by=organiser
    )

    assert created
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.attended and registration.is_walk_in
    assert registration.checked_in_at is not None
    assert registration.person is None
    assert (registration.guest_name, registration.guest_organisation) == (
        "Leyla Demir",
        "Bezirksamt Mitte",
    )
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 2


def test_a_walk_in_with_the_email_of_a_registration_marks_that_one_present(event, organiser):
    existing = RegistrationFactory(event=event, person=UserFactory(email="anna@example.org"))

    registration, created = add_walk_in(
        event=event, name="Anna", email="ANNA@example.org ", organisation="", by=organiser
    )

    assert not created
    assert registration.pk == existing.pk
    assert event.registrations.count() == 1
    existing.refresh_from_db()
    assert existing.attended
    assert not existing.is_walk_in


def test_a_guest_on_the_waiting_list_who_comes_anyway_becomes_a_confirmed_walk_in(event, organiser):
    waiting = GuestRegistrationFactory(
        event=event,
        guest_email="gast@example.org",
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now(),
        confirmed_at=None,
    )

    registration, created = add_walk_in(
        event=event, name="Gast", email="Gast@Example.org", organisation="", by=organiser
    )

    assert not created and registration.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.waitlisted_at is None
    assert waiting.attended and waiting.is_walk_in


def test_a_walk_in_with_an_accounts_email_is_registered_for_that_account(event, organiser):
    person = coordinator()

    registration, created = add_walk_in(
        event=event, name="egal", email=person.email.upper(), organisation="", by=organiser
    )

    assert created
    assert registration.person == person
    assert registration.guest_email == ""
    assert participant_list(event).confirmed[0].name == person.get_full_name()


def test_walk_ins_are_refused_to_people_who_do_not_manage_the_event(event):
    with pytest.raises(PermissionDenied):
        add_walk_in(event=event, name="X", email="", organisation="", by=coordinator())
    assert not event.registrations.exists()


# Selectors: participant_list and attendance_counts ----------------------------------------------


def test_the_participant_list_sorts_by_name_and_the_waiting_list_in_promotion_order(event):
    RegistrationFactory(event=event, person=UserFactory(full_name="Zoe Zander"))
    RegistrationFactory(event=event, person=UserFactory(full_name="Ali Acar"))
    GuestRegistrationFactory(event=event, guest_name="Mia Meier")
    now = timezone.now()
    second = RegistrationFactory(
        event=event, status=Status.WAITLISTED, waitlisted_at=now, confirmed_at=None
    )
    first = GuestRegistrationFactory(
        event=event,
        status=Status.WAITLISTED,
        waitlisted_at=now - datetime.timedelta(hours=1),
        confirmed_at=None,
    )
    RegistrationFactory(event=event, status=Status.CANCELLED)

    participants = participant_list(event)

    assert [p.name for p in participants.confirmed] == ["Ali Acar", "Mia Meier", "Zoe Zander"]
    assert [p.pk for p in participants.waitlist] == [first.pk, second.pk]
    assert [p.waitlist_position for p in participants.waitlist] == [1, 2]
    assert participants.guest_count == 1


def test_organisation_is_the_guests_own_or_the_coordinators_current_shelter(event):
    person = coordinator(shelter_name="GU Am See")
    RegistrationFactory(event=event, person=person)
    GuestRegistrationFactory(event=event, guest_organisation="Bezirksamt Pankow")

    organisations = sorted(p.organisation for p in participant_list(event).confirmed)

    assert organisations == ["Bezirksamt Pankow", "GU Am See"]


def test_attendance_counts_give_confirmed_present_and_walk_ins_per_event(organiser):
    event = today_event(organisers=[organiser])
    other = today_event(organisers=[organiser])
    empty = today_event(organisers=[organiser])
    present = RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now())
    RegistrationFactory(event=event, status=Status.CANCELLED, attended=True)
    set_attendance(registration=present, attended=True, by=organiser)
    add_walk_in(event=event, name="Spontan", email="", organisation="", by=organiser)
    RegistrationFactory(event=other)

    # A queryset with joins (organisers, distinct) must not inflate the counts.
    counts = attendance_counts(Event.objects.managed_by(organiser))

    assert counts[event.pk] == AttendanceCounts(confirmed=3, attended=2, walk_ins=1)
    assert counts[event.pk].no_shows == 1
    assert counts[other.pk] == AttendanceCounts(confirmed=1, attended=0, walk_ins=0)
    assert counts[empty.pk] == AttendanceCounts()


def test_attendance_counts_take_two_queries_whatever_the_number_of_events(organiser):
    for _ in range(5):
        RegistrationFactory(event=today_event(organisers=[organiser]))

    with CaptureQueriesContext(connection) as queries:
        attendance_counts(Event.objects.all())

    assert len(queries) == 2


# Views: check-in -------------------------------------------------------------------------------


def check_in_url(event):
    return reverse("events:check_in", args=[event.pk])


def toggle_url(registration):
    return reverse("events:check_in_toggle", args=[registration.event_id, registration.pk])


def test_the_check_in_page_lists_the_confirmed_and_counts_who_is_there(client, event, organiser):
    present = RegistrationFactory(event=event, person=UserFactory(full_name="Berta Brandt"))
    RegistrationFactory(event=event, person=UserFactory(full_name="Carl Conrad"))
    RegistrationFactory(
        event=event,
        person=UserFactory(full_name="Wanda Warteliste"),
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    set_attendance(registration=present, attended=True, by=organiser)
    client.force_login(organiser)

    response = client.get(check_in_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 von 2 da" in html
    assert "Berta Brandt" in html and "Carl Conrad" in html
    assert "Wanda Warteliste" not in html
    assert f'id="toggle-{present.pk}"' in html
    assert 'aria-pressed="true"' in html and 'aria-pressed="false"' in html
    assert response["Cache-Control"].startswith("private") or "private" in response["Cache-Control"]


def test_the_search_filters_the_list_on_the_server_and_keeps_the_totals(client, event, organiser):
    RegistrationFactory(event=event, person=UserFactory(full_name="Jürgen Özdemir"))
    RegistrationFactory(event=event, person=UserFactory(full_name="Carl Conrad"))
    client.force_login(organiser)

    response = client.get(check_in_url(event), {"q": "özdem"})

    html = response.content.decode()
    assert "Jürgen Özdemir" in html
    assert "Carl Conrad" not in html
    assert "0 von 2 da" in html
    assert "1 Treffer" in html
    assert "<script>" not in html and " style=" not in html


def test_a_tap_marks_the_person_present_and_returns_to_the_list_at_the_person(
    client, event, organiser
):
    registration = RegistrationFactory(event=event)
    client.force_login(organiser)

    response = client.post(toggle_url(registration), {"attended": "1", "q": "ber"})

    assert response.status_code == 302
    assert response["Location"] == f"{check_in_url(event)}?q=ber#person-{registration.pk}"
    assert Registration.objects.get(pk=registration.pk).attended


def test_a_tap_with_htmx_answers_with_the_row_and_the_new_counts(client, event, organiser):
    registration = RegistrationFactory(event=event, person=UserFactory(full_name="Hanna Htmx"))
    RegistrationFactory(event=event)
    client.force_login(organiser)

    response = client.post(
        toggle_url(registration), {"attended": "1"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'<li id="person-{registration.pk}"' in html
    assert "Hanna Htmx" in html
    assert 'aria-pressed="true"' in html
    assert 'name="attended" value="0"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "1 von 2 da" in html


def test_an_incomplete_tap_changes_nothing(client, event, organiser):
    registration = RegistrationFactory(event=event)
    client.force_login(organiser)

    response = client.post(toggle_url(registration), {})

    assert response.status_code == 302
    assert not Registration.objects.get(pk=registration.pk).attended


def test_a_tap_before_the_events_day_is_refused_with_a_message(client, organiser):
    registration = RegistrationFactory(event=JourFixeFactory(organisers=[organiser]))
    client.force_login(organiser)

    response = client.post(toggle_url(registration), {"attended": "1"}, follow=True)

    assert "am Tag der Veranstaltung" in response.content.decode()
    assert not Registration.objects.get(pk=registration.pk).attended


def test_a_failed_tap_with_htmx_reloads_the_page_to_show_the_message(client, organiser):
    registration = RegistrationFactory(event=JourFixeFactory(organisers=[organiser]))
    client.force_login(organiser)

    response = client.post(
        toggle_url(registration), {"attended": "1"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_only_confirmed_registrations_of_this_event_can_be_tapped(client, event, organiser):
    elsewhere = RegistrationFactory(event=today_event(organisers=[organiser]))
    waiting = RegistrationFactory(
        event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(organiser)

    wrong_event = reverse("events:check_in_toggle", args=[event.pk, elsewhere.pk])
    assert client.post(wrong_event, {"attended": "1"}).status_code == 404
    assert client.post(toggle_url(waiting), {"attended": "1"}).status_code == 404


def test_a_coordinator_of_nord_cannot_use_the_check_in_of_a_west_jour_fixe(client):
    west_event = today_event(region=berlin_region("west"))
    registration = RegistrationFactory(event=west_event)
    client.force_login(regional("nord"))

    assert client.get(check_in_url(west_event)).status_code == 404
    assert client.post(toggle_url(registration), {"attended": "1"}).status_code == 404
    assert not Registration.objects.get(pk=registration.pk).attended


def test_a_walk_in_is_added_from_the_check_in_page(client, event, organiser):
    RegistrationFactory(event=event)
    client.force_login(organiser)

    response = client.post(
        reverse("events:walk_in", args=[event.pk]),
        {"name": "Paula Spontan", "email": "", "organisation": "Nachbarschaftshaus"},
        follow=True,
    )

    registration = event.registrations.get(guest_name="Paula Spontan")
    assert response.redirect_chain[-1][0].endswith(f"#person-{registration.pk}")
    html = response.content.decode()
    assert "Paula Spontan ist als spontan dazugekommen eingetragen." in html
    assert "1 von 2 da" in html


def test_an_empty_walk_in_form_is_shown_again_with_its_error(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("events:walk_in", args=[event.pk]),
        {"name": "", "email": "kaputt", "organisation": "Verein X"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "field--invalid" in html
    assert 'value="Verein X"' in html
    assert not event.registrations.exists()


# Views: participants ---------------------------------------------------------------------------


def test_the_participants_page_shows_both_lists_guests_and_the_exports(client, event, organiser):
    RegistrationFactory(event=event, person=UserFactory(full_name="Ali Acar"))
    GuestRegistrationFactory(event=event, guest_name="Gerda Gast")
    RegistrationFactory(
        event=event,
        person=UserFactory(full_name="Wanda Warteliste"),
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    client.force_login(organiser)

    response = client.get(reverse("events:participants", args=[event.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ali Acar" in html and "Gerda Gast" in html and "Wanda Warteliste" in html
    assert ">Gast</span>" in html
    for name in ("participants_csv", "participants_xlsx", "attendance_pdf", "check_in"):
        assert reverse(f"events:{name}", args=[event.pk]) in html


def test_the_participants_page_reads_in_a_fixed_number_of_queries(
    client, event, organiser, django_assert_max_num_queries
):
    RegistrationFactory.create_batch(12, event=event)
    GuestRegistrationFactory.create_batch(3, event=event)
    RegistrationFactory.create_batch(
        4, event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(organiser)

    # Session and roles, the event, registrations with accounts, their coordinator posts.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:participants", args=[event.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('data-label="Nr."') == 15


def test_a_regional_coordinator_of_nord_cannot_see_wests_participants(client):
    west_event = JourFixeFactory(region=berlin_region("west"))
    RegistrationFactory(event=west_event)
    client.force_login(regional("nord"))

    for name in ("participants", "participants_csv", "participants_xlsx", "attendance_pdf"):
        assert client.get(reverse(f"events:{name}", args=[west_event.pk])).status_code == 404


def test_organisers_who_are_not_staff_manage_their_own_event_only(client):
    person = coordinator()
    own = EventFactory(organisers=[person])
    other = EventFactory()
    client.force_login(person)

    assert client.get(reverse("events:participants", args=[own.pk])).status_code == 200
    assert client.get(reverse("events:participants", args=[other.pk])).status_code == 404


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["participants", "check_in", "participants_csv", "participants_xlsx"]
)
def test_pages_and_exports_take_the_same_number_of_queries_for_3_or_30_people(
    client, organiser, name
):
    small, large = today_event(organisers=[organiser]), today_event(organisers=[organiser])
    for event, size in ((small, 3), (large, 30)):
        for index in range(size):
            if index % 3 == 0:
                GuestRegistrationFactory(event=event)
            elif index % 3 == 1:
                RegistrationFactory(event=event, person=coordinator())
            else:
                RegistrationFactory(
                    event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now()
                )
    client.force_login(organiser)
    _queries_for(client, reverse(f"events:{name}", args=[small.pk]))  # warm the session

    assert _queries_for(client, reverse(f"events:{name}", args=[small.pk])) == _queries_for(
        client, reverse(f"events:{name}", args=[large.pk])
    )
