"""Reminders the day before, sent once, and the hourly command that also clears stale guests."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bfe.events.models import Event, Registration
from bfe.events.services import registration as services

from .factories import EventFactory, GuestRegistrationFactory, JourFixeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def hours(count):
    return timezone.now() + datetime.timedelta(hours=count)


def event_in(hours_from_now, **kwargs):
    start = hours(hours_from_now)
    return JourFixeFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs)


def seat(event, *, confirmed_hours_ago=72, **kwargs):
    return RegistrationFactory(event=event, confirmed_at=hours(-confirmed_hours_ago), **kwargs)


@pytest.fixture
def run_reminders(django_capture_on_commit_callbacks):
    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_due_reminders(now)

    return run


def test_a_confirmed_participant_is_reminded_the_day_before(mailoutbox, run_reminders):
    event = event_in(20, online_url="https://meet.example.org/jf")
    registration = seat(event)

    assert run_reminders() == 1

    (mail,) = mailoutbox
    assert mail.to == [registration.person.email]
    assert mail.subject.startswith("[BfE] Erinnerung: ")
    assert "https://meet.example.org/jf" in mail.body
    assert mail.attachments[0][0].endswith(".ics")
    registration.refresh_from_db()
    assert registration.reminder_sent_at is not None


def test_each_reminder_goes_out_once(mailoutbox, run_reminders):
    seat(event_in(20))
    assert run_reminders() == 1
    assert run_reminders() == 0
    assert run_reminders(hours(5)) == 0
    assert len(mailoutbox) == 1


def test_events_further_away_wait_for_their_day(mailoutbox, run_reminders):
    registration = seat(event_in(30))
    assert run_reminders() == 0
    assert run_reminders(hours(7)) == 1  # an hourly run seven hours later
    registration.refresh_from_db()
    assert registration.reminder_sent_at is not None


def test_who_registered_within_the_last_day_needs_no_reminder(mailoutbox, run_reminders):
    seat(event_in(20), confirmed_hours_ago=2)
    assert run_reminders() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    "registration_status", [Status.WAITLISTED, Status.CANCELLED, Status.UNCONFIRMED]
)
def test_only_confirmed_seats_are_reminded(registration_status, mailoutbox, run_reminders):
    seat(event_in(20), status=registration_status)
    assert run_reminders() == 0


def test_cancelled_and_past_events_are_not_reminded(mailoutbox, run_reminders):
    seat(event_in(20, status=Event.Status.CANCELLED))
    seat(event_in(-3))
    assert run_reminders() == 0


def test_guests_are_reminded_with_their_personal_link(mailoutbox, run_reminders):
    start = hours(10)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    guest = GuestRegistrationFactory(event=event, confirmed_at=hours(-50))
    assert run_reminders() == 1
    assert services.guest_token(guest) in mailoutbox[0].body


def test_the_command_reminds_and_clears_stale_guest_registrations(
    mailoutbox, django_capture_on_commit_callbacks
):
    seat(event_in(20))
    stale = GuestRegistrationFactory(event=EventFactory(), status=Status.UNCONFIRMED)
    Registration.objects.filter(pk=stale.pk).update(created_at=hours(-49))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=out)

    assert out.getvalue().strip() == (
        "1 Erinnerung(en) eingereiht, 1 unbestätigte Gastanmeldung(en) gelöscht."
    )
    assert len(mailoutbox) == 1
    assert not Registration.objects.filter(pk=stale.pk).exists()


def test_the_command_documents_how_often_to_run_it():
    from bfe.events.management.commands.send_event_reminders import Command

    assert "Stündlich" in Command.help
    assert "db_worker" in Command.help
