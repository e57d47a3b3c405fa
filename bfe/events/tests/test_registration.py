"""Registration of signed-in people: seats, waiting list, deadlines, pages and permissions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.events.emails import Mail
from bfe.events.models import Audience, Event, Registration
from bfe.events.services import registration as services
from bfe.events.views.registration import registration_box_context
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import (
    EventFactory,
    JourFixeFactory,
    RegistrationFactory,
    TrainingModuleEventFactory,
    in_days,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


def coordinator(district="01", **kwargs):
    """A current coordinator of a shelter in the district (01 Mitte is in region Nord)."""
    person = UserFactory(**kwargs)
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district(district)), person=person
    )
    return person


def regional_coordinator(slug="nord", **kwargs):
    person = UserFactory(**kwargs)
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug))
    return person


def frozen_at(monkeypatch, moment):
    """Every `timezone.now()` answers `moment` for the rest of the test."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


# --- Seats and the waiting list --------------------------------------------------------------


def test_a_free_seat_confirms_the_registration():
    event = JourFixeFactory(capacity=2)
    registration = services.register(event=event, person=coordinator())
    assert registration.status == Status.CONFIRMED
    assert registration.confirmed_at is not None
    assert registration.waitlisted_at is None


def test_a_full_event_puts_the_person_on_the_waiting_list():
    event = JourFixeFactory(capacity=1)
    services.register(event=event, person=coordinator())
    second = services.register(event=event, person=coordinator())
    assert second.status == Status.WAITLISTED
    assert second.waitlisted_at is not None
    assert services.waitlist_position(second) == 1


def test_capacity_zero_means_waiting_list_only():
    event = JourFixeFactory(capacity=0)
    assert services.register(event=event, person=coordinator()).status == Status.WAITLISTED


def test_no_capacity_means_unlimited_seats():
    event = JourFixeFactory(capacity=None)
    statuses = {services.register(event=event, person=coordinator()).status for _ in range(30)}
    assert statuses == {Status.CONFIRMED}


def test_unconfirmed_guests_and_cancelled_registrations_hold_no_seat():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, status=Status.CANCELLED)
    from .factories import GuestRegistrationFactory

    GuestRegistrationFactory(event=event, status=Status.UNCONFIRMED, confirmed_at=None)
    assert services.register(event=event, person=coordinator()).status == Status.CONFIRMED


def test_registering_twice_returns_the_same_registration(django_capture_on_commit_callbacks):
    event, person = JourFixeFactory(), coordinator()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.register(event=event, person=person)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = services.register(event=event, person=person)
    assert first.pk == second.pk
    assert Registration.objects.filter(event=event, person=person).count() == 1
    assert len(callbacks) == 1
    assert second_callbacks == []  # nothing e-mailed twice


def test_registering_again_while_waiting_keeps_the_place_in_the_queue():
    event = JourFixeFactory(capacity=0)
    person = coordinator()
    first = services.register(event=event, person=person)
    again = services.register(event=event, person=person)
    assert again.pk == first.pk
    assert again.status == Status.WAITLISTED
    assert again.waitlisted_at == first.waitlisted_at


def test_registering_after_cancelling_reactivates_the_same_row():
    event, person = JourFixeFactory(capacity=3), coordinator()
    registration = services.register(event=event, person=person)
    services.cancel_registration(registration=registration, by=person)
    again = services.register(event=event, person=person)
    assert again.pk == registration.pk
    assert again.status == Status.CONFIRMED
    assert again.cancelled_at is None


def test_people_waiting_get_freed_seats_before_newcomers():
    event = JourFixeFactory(capacity=1)
    services.register(event=event, person=coordinator())
    waiting = services.register(event=event, person=coordinator())
    Event.objects.filter(pk=event.pk).update(capacity=2)  # an organiser adds a seat

    newcomer = services.register(event=event, person=coordinator())

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert newcomer.status == Status.WAITLISTED


# --- Registration window -----------------------------------------------------------------------


def test_registration_is_open_until_the_deadline_itself(monkeypatch):
    deadline = in_days(3)
    event = JourFixeFactory(registration_closes_at=deadline)
    frozen_at(monkeypatch, deadline)
    assert services.register(event=event, person=coordinator()).status == Status.CONFIRMED


def test_registration_closes_right_after_the_deadline(monkeypatch):
    deadline = in_days(3)
    event = JourFixeFactory(registration_closes_at=deadline)
    frozen_at(monkeypatch, deadline + datetime.timedelta(microseconds=1))
    with pytest.raises(ValidationError) as error:
        services.register(event=event, person=coordinator())
    assert error.value.code == "closed"
    assert not Registration.objects.filter(event=event).exists()


def test_registration_before_it_opens_is_refused():
    event = JourFixeFactory(registration_opens_at=in_days(2))
    with pytest.raises(ValidationError) as error:
        services.register(event=event, person=coordinator())
    assert error.value.code == "not_yet_open"


def test_registration_closes_when_the_event_begins():
    event = JourFixeFactory(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        services.register(event=event, person=coordinator())
    assert error.value.code == "started"


@pytest.mark.parametrize(
    ("status", "code"), [(Event.Status.CANCELLED, "cancelled"), (Event.Status.DRAFT, "draft")]
)
def test_cancelled_and_draft_events_take_no_registrations(status, code):
    event = JourFixeFactory(status=status)
    with pytest.raises(ValidationError) as error:
        services.register(event=event, person=regional_coordinator())
    assert error.value.code == code


def test_training_modules_are_booked_through_their_series():
    event = TrainingModuleEventFactory()
    with pytest.raises(ValidationError) as error:
        services.register(event=event, person=coordinator())
    assert error.value.code == "training_module"


def test_a_person_who_may_not_see_the_event_cannot_register():
    volunteer = UserFactory()
    RoleFactory(user=volunteer, kind=Role.Kind.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        services.register(event=JourFixeFactory(), person=volunteer)


def test_a_volunteer_may_register_for_an_event_open_to_guests():
    volunteer = UserFactory()
    RoleFactory(user=volunteer, kind=Role.Kind.VOLUNTEER)
    event = EventFactory(audience=Audience.GUESTS)
    assert services.register(event=event, person=volunteer).status == Status.CONFIRMED


# --- Cancelling and promotion ------------------------------------------------------------------


def test_waitlisted_person_is_promoted_when_a_seat_frees(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = JourFixeFactory(capacity=1)
    first, second = coordinator(), coordinator(email="zweite@example.org")
    seat = services.register(event=event, person=first)
    waiting = services.register(event=event, person=second)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seat, by=first)

    waiting.refresh_from_db()
    seat.refresh_from_db()
    assert seat.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert [mail.to for mail in mailoutbox] == [["zweite@example.org"]]
    assert "Ein Platz ist frei geworden" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][2].startswith("text/calendar")


def test_the_earliest_on_the_waiting_list_moves_up_first():
    event = JourFixeFactory(capacity=1)
    holder = coordinator()
    seat = services.register(event=event, person=holder)
    early = services.register(event=event, person=coordinator())
    late = services.register(event=event, person=coordinator())
    # Whoever was saved first, the earlier waitlisted_at wins.
    Registration.objects.filter(pk=late.pk).update(
        waitlisted_at=early.waitlisted_at + datetime.timedelta(seconds=1)
    )

    services.cancel_registration(registration=seat, by=holder)

    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == Status.CONFIRMED
    assert late.status == Status.WAITLISTED
    assert services.waitlist_position(late) == 1


def test_leaving_the_waiting_list_promotes_nobody(mailoutbox, django_capture_on_commit_callbacks):
    event = JourFixeFactory(capacity=1)
    services.register(event=event, person=coordinator())
    leaving_person = coordinator()
    leaving = services.register(event=event, person=leaving_person)
    staying = services.register(event=event, person=coordinator())

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=leaving, by=leaving_person)

    staying.refresh_from_db()
    assert staying.status == Status.WAITLISTED
    assert services.waitlist_position(staying) == 1
    assert mailoutbox == []


def test_cancelling_twice_changes_nothing():
    event, person = JourFixeFactory(), coordinator()
    registration = services.register(event=event, person=person)
    first = services.cancel_registration(registration=registration, by=person)
    second = services.cancel_registration(registration=registration, by=person)
    assert first.cancelled_at == second.cancelled_at


def test_only_the_person_or_a_manager_cancels_a_registration():
    event = JourFixeFactory(capacity=1)
    person = coordinator()
    registration = services.register(event=event, person=person)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=registration, by=coordinator())
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=registration, by=regional_coordinator("west"))
    services.cancel_registration(registration=registration, by=regional_coordinator("nord"))
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_nobody_cancels_once_the_event_has_begun():
    person = coordinator()
    event = JourFixeFactory(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    registration = RegistrationFactory(event=event, person=person)
    with pytest.raises(ValidationError) as error:
        services.cancel_registration(registration=registration, by=person)
    assert error.value.code == "started"


# --- Pages: one click, double click, htmx -------------------------------------------------------


def test_one_click_registers_and_returns_to_the_event(client):
    event, person = JourFixeFactory(), coordinator()
    client.force_login(person)
    response = client.post(reverse("events:register", args=[event.pk]), follow=False)
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert Registration.objects.get(event=event, person=person).status == Status.CONFIRMED


def test_a_registration_post_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # Queries of the write path at every data size: a full event and a long waiting list do
    # not add any (seats are counted once, under the event's lock).
    event, person = JourFixeFactory(capacity=2), coordinator()
    for _ in range(5):
        services.register(event=event, person=coordinator())
    client.force_login(person)
    client.get("/")  # the session and role reads of a signed-in request, once
    with django_assert_max_num_queries(18):
        response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(event=event, person=person).status == Status.WAITLISTED


def test_a_double_clicked_submit_creates_one_registration(client):
    event, person = JourFixeFactory(), coordinator()
    client.force_login(person)
    url = reverse("events:register", args=[event.pk])
    client.post(url)
    client.post(url)
    assert Registration.objects.filter(event=event, person=person).count() == 1
    texts = [
        str(message)
        for message in client.get(reverse("events:my_registrations")).context["messages"]
    ]
    assert "Sie sind für diese Veranstaltung bereits angemeldet." in texts


def test_registering_answers_htmx_with_the_box(client):
    event = JourFixeFactory(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(coordinator())
    response = client.post(
        reverse("events:register", args=[event.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="registration-box"' in html
    assert "Warteliste, Platz 1" in html
    assert "<html" not in html


def test_registration_is_post_only(client):
    event = JourFixeFactory()
    client.force_login(coordinator())
    assert client.get(reverse("events:register", args=[event.pk])).status_code == 405


def test_a_closed_registration_says_so(client):
    event = JourFixeFactory(registration_opens_at=in_days(-5), registration_closes_at=in_days(-1))
    client.force_login(coordinator())
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Die Anmeldung ist geschlossen" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_people_who_cannot_see_the_event_get_404(client):
    volunteer = UserFactory()
    RoleFactory(user=volunteer, kind=Role.Kind.VOLUNTEER)
    client.force_login(volunteer)
    event = JourFixeFactory()
    assert client.post(reverse("events:register", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:unregister", args=[event.pk])).status_code == 404


def test_unregistering_goes_back_to_a_safe_next_page_only(client):
    person = coordinator()
    client.force_login(person)
    mine = reverse("events:my_registrations")
    event = JourFixeFactory()
    RegistrationFactory(event=event, person=person)
    response = client.post(reverse("events:unregister", args=[event.pk]), {"next": mine})
    assert response["Location"] == mine
    assert Registration.objects.get(event=event, person=person).status == Status.CANCELLED

    other = JourFixeFactory()
    RegistrationFactory(event=other, person=person)
    response = client.post(
        reverse("events:unregister", args=[other.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == other.get_absolute_url()


def test_a_person_can_still_cancel_after_losing_sight_of_the_event(client):
    """A coordinator whose post ended keeps the way out of her registrations."""
    person = UserFactory()
    event = JourFixeFactory()
    RegistrationFactory(event=event, person=person)
    client.force_login(person)
    assert client.post(reverse("events:unregister", args=[event.pk])).status_code == 302
    assert Registration.objects.get(event=event, person=person).status == Status.CANCELLED


# --- Meine Anmeldungen --------------------------------------------------------------------------


def test_my_registrations_lists_upcoming_with_waiting_list_place_and_past(client):
    person = coordinator()
    upcoming = JourFixeFactory(title="Jour fixe im Dezember", capacity=1)
    RegistrationFactory(event=upcoming)
    services.register(event=upcoming, person=person)
    past = JourFixeFactory(
        title="Jour fixe im Mai", starts_at=in_days(-30), ends_at=in_days(-30, 12)
    )
    RegistrationFactory(event=past, person=person, attended=True)
    cancelled = JourFixeFactory(title="Abgemeldeter Termin")
    RegistrationFactory(event=cancelled, person=person, status=Status.CANCELLED)
    client.force_login(person)

    html = client.get(reverse("events:my_registrations")).content.decode()

    assert "Jour fixe im Dezember" in html
    assert "Warteliste, Platz 1" in html
    assert "Warteliste verlassen" in html
    assert "Jour fixe im Mai" in html
    assert "teilgenommen" in html
    assert "Abgemeldeter Termin" not in html


def test_my_registrations_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    person = coordinator()
    client.force_login(person)

    def add(count):
        for _ in range(count):
            event = JourFixeFactory(capacity=1)
            RegistrationFactory(event=event)
            services.register(event=event, person=person)
            past = JourFixeFactory(starts_at=in_days(-9), ends_at=in_days(-9, 12))
            RegistrationFactory(event=past, person=person)

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:my_registrations"))
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:my_registrations"))
    assert response.content.decode().count("Warteliste, Platz 1") == 9


# --- Inviting a region --------------------------------------------------------------------------


def test_a_regional_coordinator_invites_her_regions_coordinators(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organiser = regional_coordinator("nord")
    event = JourFixeFactory(region=berlin_region("nord"), organisers=[organiser])
    mitte, pankow = (
        coordinator("01", email="mitte@example.org"),
        coordinator("03", email="pankow@example.org"),
    )
    already = coordinator("11", email="lichtenberg@example.org")
    RegistrationFactory(event=event, person=already)
    coordinator("05", email="spandau@example.org")  # region West
    CoordinatorPositionFactory(shelter=ShelterFactory(district=berlin_district("12")), person=None)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:invite_region", args=[event.pk]), follow=True)

    assert sorted(mail.to[0] for mail in mailoutbox) == [mitte.email, pankow.email]
    assert "2 Koordinator:innen der Region Berlin Nord sind per E-Mail eingeladen." in (
        response.content.decode()
    )
    invitation = mailoutbox[0]
    assert event.get_absolute_url() in invitation.body
    assert invitation.attachments[0][0].endswith(".ics")


def test_inviting_twice_in_a_row_sends_nothing_twice(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organiser = regional_coordinator("nord")
    event = JourFixeFactory(region=berlin_region("nord"))
    coordinator("01")
    client.force_login(organiser)
    url = reverse("events:invite_region", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        response = client.post(url, follow=True)
    assert len(mailoutbox) == 1
    assert "gerade eben eingeladen" in response.content.decode()


def test_a_coordinator_cannot_invite_a_region(client):
    event = JourFixeFactory(region=berlin_region("nord"))
    person = coordinator("01")
    client.force_login(person)
    assert client.post(reverse("events:invite_region", args=[event.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invite_region(event=event, by=person)


def test_west_cannot_invite_to_nords_jour_fixe(client):
    event = JourFixeFactory(region=berlin_region("nord"))
    west = regional_coordinator("west")
    client.force_login(west)
    assert client.post(reverse("events:invite_region", args=[event.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invite_region(event=event, by=west)


def test_only_jours_fixes_invite_a_region(client):
    admin = UserFactory(is_superuser=True)
    workshop = EventFactory()
    client.force_login(admin)
    assert client.post(reverse("events:invite_region", args=[workshop.pk])).status_code == 404


def test_past_jours_fixes_invite_nobody():
    event = JourFixeFactory(starts_at=in_days(-3), ends_at=in_days(-3, 12))
    with pytest.raises(ValidationError):
        services.invite_region(event=event, by=regional_coordinator("nord"))


# --- The registration box ----------------------------------------------------------------------


def render_box(event, user):
    request = RequestFactory().get("/")
    request.user = user
    event = Event.objects.with_counts().get(pk=event.pk)
    context = registration_box_context(user=user, event=event)
    return render_to_string("events/_registration_box.html", {**context, "user": user}, request)


def test_the_box_invites_anonymous_people_to_sign_in_or_register_as_guests():
    from django.contrib.auth.models import AnonymousUser

    html = render_box(EventFactory(capacity=20), AnonymousUser())
    assert "Einloggen und anmelden" in html
    assert reverse("events:guest_register", args=[Event.objects.get().pk]) in html
    assert "Noch 20 von 20 Plätzen frei." in html


def test_the_box_shows_a_confirmed_seat_with_the_online_link_and_a_cancel_button():
    person = coordinator()
    event = JourFixeFactory(online_url="https://meet.example.org/jf")
    services.register(event=event, person=person)
    html = render_box(event, person)
    assert "Sie sind angemeldet" in html
    assert "https://meet.example.org/jf" in html
    assert "Teilnahme absagen" in html


def test_the_box_hides_the_online_link_from_people_without_a_seat():
    event = JourFixeFactory(online_url="https://meet.example.org/jf")
    assert "meet.example.org" not in render_box(event, coordinator())


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"status": Event.Status.CANCELLED}, "Diese Veranstaltung ist abgesagt."),
        ({"registration_opens_at": in_days(3)}, "Die Anmeldung beginnt am"),
        (
            {"registration_opens_at": in_days(-5), "registration_closes_at": in_days(-1)},
            "Die Anmeldung ist geschlossen.",
        ),
        ({"starts_at": in_days(-2), "ends_at": in_days(-2, 12)}, "hat bereits stattgefunden"),
        ({"capacity": 0}, "Auf die Warteliste setzen"),
        ({"capacity": None}, "nicht begrenzt"),
    ],
)
def test_the_box_explains_each_state(changes, text):
    event = JourFixeFactory(**changes)
    assert text in render_box(event, coordinator())


def test_registration_box_context_needs_no_query_for_what_the_page_has(
    django_assert_num_queries,
):
    person = coordinator()
    event = Event.objects.with_counts().get(pk=JourFixeFactory().pk)
    with django_assert_num_queries(0):
        context = registration_box_context(
            user=person, event=event, registration=None, can_manage=False
        )
    assert context["box"].state == "open"


def test_mail_kinds_have_their_templates():
    from django.template.loader import get_template

    for mail in Mail:
        for suffix in ("_subject.txt", ".txt", ".html"):
            get_template(f"email/event_{mail}{suffix}")
