"""Hours: proposed from the shifts a volunteer worked, entered by her or her coordinator,
confirmed or rejected by the coordinators of her shelter only."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bfe.volunteering.models import HoursEntry, ShiftSignup
from bfe.volunteering.services.hours import propose_hours_for_past_shifts

from .factories import ShiftFactory, ShiftSignupFactory, VolunteerFactory, in_days
from .factories_self_service import HoursEntryFactory, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_record(shelter, volunteer_user):
    return VolunteerFactory(shelter=shelter, user=volunteer_user, email=volunteer_user.email)


@pytest.fixture
def past_shift(opportunity):
    starts = in_days(-2, 10)
    return ShiftFactory(
        opportunity=opportunity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2.5)
    )


# Proposals from shifts ---------------------------------------------------------------------


def test_a_confirmed_signup_of_an_ended_shift_gets_its_hours_proposed_once(past_shift):
    signup = ShiftSignupFactory(shift=past_shift)

    assert propose_hours_for_past_shifts() == 1
    assert propose_hours_for_past_shifts() == 0

    entry = HoursEntry.objects.get()
    assert entry.volunteer == signup.volunteer
    assert entry.shift == past_shift
    assert entry.status == HoursEntry.Status.PROPOSED
    assert entry.hours == Decimal("2.50")
    assert entry.activity == past_shift.opportunity.title
    assert entry.date == timezone.localdate(past_shift.starts_at)


def test_the_command_proposes_and_running_it_again_adds_nothing(past_shift, capsys):
    ShiftSignupFactory(shift=past_shift)
    ShiftSignupFactory(shift=past_shift)

    call_command("propose_shift_hours")
    call_command("propose_shift_hours")

    assert HoursEntry.objects.count() == 2
    assert "0 Stundeneintrag" in capsys.readouterr().out.splitlines()[-1]


def test_waitlisted_cancelled_and_future_signups_get_no_hours(past_shift, opportunity):
    ShiftSignupFactory(shift=past_shift, status=ShiftSignup.Status.WAITLISTED)
    ShiftSignupFactory(shift=past_shift, status=ShiftSignup.Status.CANCELLED)
    ShiftSignupFactory(shift=ShiftFactory(opportunity=opportunity))  # next week
    cancelled_shift = ShiftFactory(
        opportunity=opportunity, starts_at=in_days(-3), ends_at=in_days(-3, 12), is_cancelled=True
    )
    ShiftSignupFactory(shift=cancelled_shift)

    assert propose_hours_for_past_shifts() == 0
    assert not HoursEntry.objects.exists()


def test_a_shift_still_running_is_proposed_only_once_it_has_ended(opportunity):
    now = timezone.now()
    shift = ShiftFactory(
        opportunity=opportunity,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    ShiftSignupFactory(shift=shift)

    assert propose_hours_for_past_shifts(now=now) == 0
    assert propose_hours_for_past_shifts(now=now + datetime.timedelta(hours=1)) == 1


def test_hours_entered_by_hand_for_the_same_day_do_not_block_the_shifts_proposal(past_shift):
    signup = ShiftSignupFactory(shift=past_shift)
    HoursEntryFactory(volunteer=signup.volunteer, date=past_shift.starts_at.date())

    assert propose_hours_for_past_shifts() == 1


# Entered by the volunteer ------------------------------------------------------------------


def test_a_volunteer_enters_hours_which_wait_for_confirmation(client, volunteer_user, own_record):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_hours"),
        {
            "record": own_record.pk,
            "date": days_ago(1).isoformat(),
            "hours": "2,5",
            "activity": "Begleitung zum Bürgeramt",
        },
    )

    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.volunteer, entry.hours, entry.status) == (
        own_record,
        Decimal("2.5"),
        HoursEntry.Status.PROPOSED,
    )
    assert entry.created_by == volunteer_user


def test_a_date_in_the_future_is_refused_in_german_and_the_input_is_kept(
    client, volunteer_user, own_record
):
    client.force_login(volunteer_user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("volunteering:self_service_hours"),
        {"record": own_record.pk, "date": tomorrow, "hours": "3", "activity": "Kleiderkammer"},
    )

    assert response.status_code == 200
    assert "Das Datum liegt in der Zukunft" in response.text
    assert f'value="{tomorrow}"' in response.text
    assert 'value="Kleiderkammer"' in response.text
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("hours", ["24,25", "0,1", "0", "-2", "100"])
def test_hours_outside_a_quarter_to_24_are_refused_in_german(
    client, volunteer_user, own_record, hours
):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_hours"),
        {"record": own_record.pk, "date": days_ago(1).isoformat(), "hours": hours, "activity": "x"},
    )

    assert response.status_code == 200
    assert "zwischen 0,25 und 24 Stunden" in response.text
    assert f'value="{hours}"' in response.text
    assert not HoursEntry.objects.exists()


def test_24_hours_and_a_quarter_of_an_hour_are_accepted(client, volunteer_user, own_record):
    client.force_login(volunteer_user)
    url = reverse("volunteering:self_service_hours")
    for hours in ["24", "0,25"]:
        client.post(
            url,
            {
                "record": own_record.pk,
                "date": days_ago(1).isoformat(),
                "hours": hours,
                "activity": "x",
            },
        )

    assert sorted(HoursEntry.objects.values_list("hours", flat=True)) == [
        Decimal("0.25"),
        Decimal("24"),
    ]


def test_hours_with_letters_are_refused_with_a_message(client, volunteer_user, own_record):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_hours"),
        {"record": own_record.pk, "date": "gestern", "hours": "zwei", "activity": ""},
    )

    assert response.status_code == 200
    assert "Bitte geben Sie die Stunden als Zahl an" in response.text
    assert "Bitte geben Sie ein gültiges Datum an" in response.text
    assert "Bitte beschreiben Sie kurz" in response.text


def test_a_volunteer_cannot_enter_hours_for_someone_elses_record(
    client, volunteer_user, own_record, volunteer
):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_hours"),
        {"record": volunteer.pk, "date": days_ago(1).isoformat(), "hours": "2", "activity": "x"},
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie eine Ihrer Unterkünfte" in response.text
    assert not HoursEntry.objects.exists()


def test_without_a_record_the_hours_page_points_to_the_board(client, someone):
    client.force_login(someone)

    response = client.get(reverse("volunteering:self_service_hours"))

    assert response.status_code == 200
    assert 'href="/engagement/"' in response.text
    assert "Noch kein Engagement" in response.text


# Confirmed by the coordinator --------------------------------------------------------------


def test_the_coordinator_sees_her_shelters_proposed_hours_only(
    client, coordinator, volunteer, other_shelter
):
    mine = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.PROPOSED)
    theirs = HoursEntryFactory(
        volunteer=VolunteerFactory(shelter=other_shelter), status=HoursEntry.Status.PROPOSED
    )
    client.force_login(coordinator)

    response = client.get(reverse("volunteering:self_service_hours_review"))

    assert response.status_code == 200
    assert mine.volunteer.full_name in response.text
    assert theirs.volunteer.full_name not in response.text


def test_the_coordinator_confirms_ticked_entries_and_the_activity_counts(
    client, coordinator, volunteer
):
    old = timezone.now() - datetime.timedelta(days=90)
    type(volunteer).objects.filter(pk=volunteer.pk).update(last_activity_at=old)
    first, second, left = HoursEntryFactory.create_batch(
        3, volunteer=volunteer, status=HoursEntry.Status.PROPOSED
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("volunteering:self_service_hours_review"),
        {"action": "confirm", "entries": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    statuses = dict(HoursEntry.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: HoursEntry.Status.CONFIRMED,
        second.pk: HoursEntry.Status.CONFIRMED,
        left.pk: HoursEntry.Status.PROPOSED,
    }
    assert HoursEntry.objects.get(pk=first.pk).confirmed_by == coordinator
    volunteer.refresh_from_db()
    assert volunteer.last_activity_at > old


def test_the_coordinator_rejects_one_entry(client, coordinator, volunteer):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.PROPOSED)
    client.force_login(coordinator)

    client.post(
        reverse("volunteering:self_service_hours_entry", args=[entry.pk]), {"action": "reject"}
    )

    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.REJECTED


def test_a_bulk_confirmation_with_another_shelters_entry_changes_nothing(
    client, coordinator, volunteer, other_shelter
):
    mine = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.PROPOSED)
    theirs = HoursEntryFactory(
        volunteer=VolunteerFactory(shelter=other_shelter), status=HoursEntry.Status.PROPOSED
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("volunteering:self_service_hours_review"),
        {"action": "confirm", "entries": [mine.pk, theirs.pk]},
    )

    assert response.status_code == 404
    assert set(HoursEntry.objects.values_list("status", flat=True)) == {HoursEntry.Status.PROPOSED}


@pytest.mark.parametrize(
    "person", ["other_coordinator", "regional_coordinator", "lead", "partner", "volunteer_user"]
)
def test_only_the_shelters_coordinator_may_confirm_an_entry(client, request, volunteer, person):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.PROPOSED)
    client.force_login(request.getfixturevalue(person))

    one = client.post(
        reverse("volunteering:self_service_hours_entry", args=[entry.pk]), {"action": "confirm"}
    )
    bulk = client.post(
        reverse("volunteering:self_service_hours_review"),
        {"action": "confirm", "entries": [entry.pk]},
    )
    page = client.get(reverse("volunteering:self_service_hours_entry", args=[entry.pk]))

    assert (one.status_code, bulk.status_code, page.status_code) == (404, 404, 404)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PROPOSED


def test_an_entry_decided_already_stays_as_it_is(client, coordinator, volunteer):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.REJECTED)
    client.force_login(coordinator)

    client.post(
        reverse("volunteering:self_service_hours_entry", args=[entry.pk]), {"action": "confirm"}
    )

    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.REJECTED


def test_a_coordinator_enters_hours_for_her_volunteer_confirmed_at_once(
    client, coordinator, volunteer
):
    client.force_login(coordinator)

    response = client.post(
        reverse("volunteering:self_service_hours_record"),
        {
            "volunteer": volunteer.pk,
            "date": days_ago(3).isoformat(),
            "hours": "4",
            "activity": "Fest",
        },
    )

    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert entry.status == HoursEntry.Status.CONFIRMED
    assert entry.confirmed_by == coordinator
    assert volunteer.access_log.filter(actor=coordinator).exists()


def test_a_coordinator_cannot_enter_hours_for_another_shelters_volunteer(
    client, coordinator, volunteer, other_shelter
):
    stranger = VolunteerFactory(shelter=other_shelter)
    client.force_login(coordinator)

    response = client.post(
        reverse("volunteering:self_service_hours_record"),
        {"volunteer": stranger.pk, "date": days_ago(3).isoformat(), "hours": "4", "activity": "x"},
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie eine Person Ihrer Unterkunft" in response.text
    assert stranger.full_name not in response.text
    assert not HoursEntry.objects.exists()
