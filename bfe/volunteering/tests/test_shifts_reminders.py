"""Reminders the day before: real e-mails, in the volunteer's language, once each."""

from io import StringIO

import pytest
from django.core.management import call_command

from bfe.volunteering.models import ShiftSignup

from .factories import ShiftSignupFactory, VolunteerFactory
from .factories_shifts import shift_in

pytestmark = pytest.mark.django_db
Status = ShiftSignup.Status


@pytest.fixture
def run_command(django_capture_on_commit_callbacks):
    def run():
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_shift_reminders", stdout=out)
        return out.getvalue()

    return run


def test_a_confirmed_volunteer_is_reminded_once_with_time_place_and_cancel_link(
    opportunity, volunteer, mailoutbox, run_command
):
    shelter = opportunity.shelter
    shelter.address_public = False
    shelter.save()
    ShiftSignupFactory(shift=shift_in(opportunity, hours=20, note="Eingang B"), volunteer=volunteer)

    assert "1 Erinnerung" in run_command()
    assert "0 Erinnerung" in run_command()

    (mail,) = mailoutbox
    assert mail.to == [volunteer.email]
    assert mail.subject.startswith("[BfE] Erinnerung: " + opportunity.title)
    assert shelter.district.name in mail.body
    assert shelter.street not in mail.body
    assert "Eingang B" in mail.body
    assert "/mein-engagement/link/" in mail.body
    html = mail.alternatives[0][0]
    assert "/mein-engagement/link/" in html


def test_a_public_address_is_named_in_full(opportunity, volunteer, mailoutbox, run_command):
    shelter = opportunity.shelter
    shelter.address_public = True
    shelter.save()
    ShiftSignupFactory(shift=shift_in(opportunity, hours=5), volunteer=volunteer)

    run_command()

    assert shelter.street in mailoutbox[0].body


def test_the_reminder_is_in_her_language(opportunity, shelter, mailoutbox, run_command):
    english = VolunteerFactory(shelter=shelter, language="en")
    ShiftSignupFactory(shift=shift_in(opportunity, hours=10), volunteer=english)

    run_command()

    (mail,) = mailoutbox
    assert mail.subject.startswith("[BfE] Reminder: ")
    assert "Dear" in mail.body or "Hello" in mail.body


def test_waiting_cancelled_far_away_and_called_off_shifts_get_no_reminder(
    opportunity, shelter, mailoutbox, run_command
):
    ShiftSignupFactory(shift=shift_in(opportunity, hours=48))
    ShiftSignupFactory(shift=shift_in(opportunity, hours=10), status=Status.WAITLISTED)
    ShiftSignupFactory(shift=shift_in(opportunity, hours=10), status=Status.CANCELLED)
    ShiftSignupFactory(shift=shift_in(opportunity, hours=10, is_cancelled=True))
    ShiftSignupFactory(shift=shift_in(opportunity, hours=-3))

    assert "0 Erinnerung" in run_command()
    assert mailoutbox == []
