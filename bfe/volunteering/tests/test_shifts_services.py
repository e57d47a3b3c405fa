"""Sign-up, waiting list, cancellation and promotion: the rules of services/shifts.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bfe.volunteering.models import Opportunity, ShiftSignup, Volunteer
from bfe.volunteering.services import shifts as services

from .factories import ShiftFactory, VolunteerFactory
from .factories_shifts import shift_in, volunteers

pytestmark = pytest.mark.django_db
Status = ShiftSignup.Status


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def statuses(shift):
    return list(shift.signups.order_by("pk").values_list("status", flat=True))


def test_sign_ups_are_confirmed_while_slots_are_free_then_waitlisted(opportunity, shelter):
    shift = ShiftFactory(opportunity=opportunity, slots=2)
    people = volunteers(shelter, 3)

    results = [services.sign_up(shift=shift, volunteer=person) for person in people]

    assert [r.status for r in results] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert results[2].waitlisted_at is not None
    shift.refresh_from_db()
    assert shift.confirmed_count == 2


def test_a_shift_is_never_overfilled_by_assignments_either(opportunity, shelter, coordinator):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    first, second = volunteers(shelter, 2)

    services.sign_up(shift=shift, volunteer=first, assigned_by=coordinator)
    assigned = services.sign_up(shift=shift, volunteer=second, assigned_by=coordinator)

    assert assigned.status == Status.WAITLISTED
    assert assigned.assigned_by == coordinator
    assert statuses(shift).count(Status.CONFIRMED) == 1


def test_signing_up_twice_keeps_the_one_sign_up(opportunity, volunteer):
    shift = ShiftFactory(opportunity=opportunity)

    first = services.sign_up(shift=shift, volunteer=volunteer)
    again = services.sign_up(shift=shift, volunteer=volunteer)

    assert first.pk == again.pk
    assert ShiftSignup.objects.count() == 1


def test_cancelling_frees_the_slot_and_promotes_the_first_waiting_with_a_mail(
    opportunity, shelter, run_on_commit, mailoutbox
):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    holder, first_waiting, second_waiting = volunteers(shelter, 3)
    held = services.sign_up(shift=shift, volunteer=holder)
    promoted = services.sign_up(shift=shift, volunteer=first_waiting)
    services.sign_up(shift=shift, volunteer=second_waiting)

    run_on_commit(services.cancel, signup=held)

    promoted.refresh_from_db()
    assert promoted.status == Status.CONFIRMED
    assert statuses(shift) == [Status.CANCELLED, Status.CONFIRMED, Status.WAITLISTED]
    shift.refresh_from_db()
    assert shift.confirmed_count == 1
    (mail,) = mailoutbox
    assert mail.to == [first_waiting.email]
    assert "Platz ist frei geworden" in mail.subject
    assert "/mein-engagement/link/" in mail.body


def test_cancelling_without_a_waiting_list_leaves_the_slot_free(opportunity, volunteer):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    signup = services.sign_up(shift=shift, volunteer=volunteer)

    services.cancel(signup=signup)
    services.cancel(signup=signup)

    shift.refresh_from_db()
    assert shift.confirmed_count == 0
    assert shift.free_slots == 1


def test_a_cancelled_sign_up_can_be_taken_again(opportunity, volunteer):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    signup = services.sign_up(shift=shift, volunteer=volunteer)
    services.cancel(signup=signup)

    again = services.sign_up(shift=shift, volunteer=volunteer)

    assert again.pk == signup.pk
    assert again.status == Status.CONFIRMED


@pytest.mark.parametrize(
    "stage", [Volunteer.Stage.APPLIED, Volunteer.Stage.PAUSED, Volunteer.Stage.ENDED]
)
def test_only_onboarding_and_active_volunteers_may_sign_up(opportunity, shelter, stage):
    shift = ShiftFactory(opportunity=opportunity)
    (person,) = volunteers(shelter, 1, stage=stage)

    with pytest.raises(ValidationError) as refused:
        services.sign_up(shift=shift, volunteer=person)

    assert refused.value.code == "stage"
    assert not ShiftSignup.objects.exists()


def test_volunteers_in_onboarding_may_sign_up(opportunity, shelter):
    (person,) = volunteers(shelter, 1, stage=Volunteer.Stage.ONBOARDING)

    signup = services.sign_up(shift=ShiftFactory(opportunity=opportunity), volunteer=person)

    assert signup.status == Status.CONFIRMED


def test_a_record_of_another_shelter_cannot_take_the_shift(opportunity, other_shelter):
    shift = ShiftFactory(opportunity=opportunity)

    with pytest.raises(ValidationError) as refused:
        services.sign_up(shift=shift, volunteer=VolunteerFactory(shelter=other_shelter))

    assert refused.value.code == "other_shelter"


def test_cancelled_started_and_closed_shifts_take_nobody(opportunity, volunteer):
    cancelled = ShiftFactory(opportunity=opportunity, is_cancelled=True)
    started = shift_in(opportunity, hours=-1)
    codes = []
    for shift in (cancelled, started):
        with pytest.raises(ValidationError) as refused:
            services.sign_up(shift=shift, volunteer=volunteer)
        codes.append(refused.value.code)
    opportunity.status = Opportunity.Status.CLOSED
    opportunity.save()
    with pytest.raises(ValidationError) as refused:
        services.sign_up(shift=ShiftFactory(opportunity=opportunity), volunteer=volunteer)
    codes.append(refused.value.code)

    assert codes == ["cancelled", "started", "opportunity"]


def test_nobody_cancels_a_shift_that_has_begun(opportunity, volunteer):
    shift = shift_in(opportunity, hours=2)
    signup = services.sign_up(shift=shift, volunteer=volunteer)
    shift.starts_at = shift.starts_at.replace(year=2020)
    shift.ends_at = shift.ends_at.replace(year=2020)
    shift.save()

    with pytest.raises(ValidationError):
        services.cancel(signup=signup)


def test_cancelling_a_shift_tells_everyone_signed_up_or_waiting(
    opportunity, shelter, run_on_commit, mailoutbox
):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    people = volunteers(shelter, 2)
    for person in people:
        services.sign_up(shift=shift, volunteer=person)

    run_on_commit(services.cancel_shift, shift=shift)
    run_on_commit(services.cancel_shift, shift=shift)

    shift.refresh_from_db()
    assert shift.is_cancelled
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(p.email for p in people)
    assert all("Abgesagt" in mail.subject for mail in mailoutbox)


def test_more_slots_move_the_waiting_list_up(opportunity, shelter):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    first, second = volunteers(shelter, 2)
    services.sign_up(shift=shift, volunteer=first)
    waiting = services.sign_up(shift=shift, volunteer=second)

    services.edit_shift(shift=shift, starts_at=shift.starts_at, ends_at=shift.ends_at, slots=2)

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_fewer_slots_than_confirmed_sign_ups_are_refused(opportunity, shelter):
    shift = ShiftFactory(opportunity=opportunity, slots=3)
    for person in volunteers(shelter, 2):
        services.sign_up(shift=shift, volunteer=person)

    with pytest.raises(ValidationError) as refused:
        services.edit_shift(shift=shift, starts_at=shift.starts_at, ends_at=shift.ends_at, slots=1)

    assert refused.value.code == "slots_below_confirmed"
    shift.refresh_from_db()
    assert shift.slots == 3


def test_the_start_page_reads_list_this_weeks_open_shifts_and_her_next_ones(
    opportunity, shelter, coordinator, other_coordinator, volunteer_user
):
    full = ShiftFactory(opportunity=opportunity, slots=1)
    soon = shift_in(opportunity, hours=30)
    shift_in(opportunity, hours=24 * 10)  # next week and later: not yet
    (person,) = volunteers(shelter, 1)
    person.user = volunteer_user
    person.save()
    mine = services.sign_up(shift=full, volunteer=person)

    assert list(services.open_this_week(coordinator)) == [soon]
    assert list(services.open_this_week(other_coordinator)) == []
    assert list(services.next_shifts_of(volunteer_user)) == [mine]


def test_a_new_time_is_mailed_to_everyone_signed_up_but_not_a_new_note(
    opportunity, shelter, run_on_commit, mailoutbox
):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    holder, waiting = volunteers(shelter, 2)
    services.sign_up(shift=shift, volunteer=holder)
    services.sign_up(shift=shift, volunteer=waiting)

    run_on_commit(
        services.edit_shift,
        shift=shift,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        slots=1,
        note="Nur ein neuer Hinweis",
    )
    assert mailoutbox == []

    later = datetime.timedelta(hours=3)
    run_on_commit(
        services.edit_shift,
        shift=shift,
        starts_at=shift.starts_at + later,
        ends_at=shift.ends_at + later,
        slots=1,
    )

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([holder.email, waiting.email])
    assert all(mail.subject.startswith("[BfE] Neue Zeit:") for mail in mailoutbox)
