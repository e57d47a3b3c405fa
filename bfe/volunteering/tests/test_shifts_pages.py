"""The shift pages: a coordinator's shifts (scoped to her shelter), "my shifts" by account and
by personal link, and the private iCal feed that a new link revokes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bfe.volunteering.models import Shift, ShiftSignup, Volunteer
from bfe.volunteering.services import links
from bfe.volunteering.services import shifts as services

from .factories import OpportunityFactory, ShiftFactory, ShiftSignupFactory, VolunteerFactory
from .factories_shifts import volunteers

pytestmark = pytest.mark.django_db
Status = ShiftSignup.Status


def list_url(opportunity):
    return reverse("volunteering:shifts_list", args=[opportunity.pk])


def detail_url(shift):
    return reverse("volunteering:shift_detail", args=[shift.pk])


def link_url(volunteer):
    return reverse("volunteering:shifts_link", args=[links.volunteer_token(volunteer)])


def feed_url(volunteer):
    return reverse("volunteering:shifts_link_feed", args=[links.volunteer_token(volunteer)])


def in_a_week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


# --- Coordinators -----------------------------------------------------------------------------


def test_a_coordinator_creates_a_one_off_shift(client, coordinator, opportunity):
    client.force_login(coordinator)

    response = client.post(
        list_url(opportunity),
        {"day": in_a_week(), "time_from": "10:00", "time_until": "12:00", "slots": "4",
         "repeat": "once"},
    )  # fmt: skip

    assert response.status_code == 302
    (shift,) = Shift.objects.filter(opportunity=opportunity)
    assert shift.slots == 4 and shift.series is None
    page = client.get(list_url(opportunity))
    assert page.status_code == 200
    assert "4 frei" in page.content.decode()


def test_a_coordinator_creates_a_weekly_series(client, coordinator, opportunity):
    client.force_login(coordinator)

    response = client.post(
        list_url(opportunity),
        {"day": in_a_week(), "time_from": "17:00", "time_until": "19:00", "slots": "2",
         "repeat": "weekly", "weekdays": ["1", "3"], "interval": "1", "ends": "count",
         "count": "6"},
    )  # fmt: skip

    assert response.status_code == 302
    assert Shift.objects.filter(opportunity=opportunity, series__isnull=False).count() == 6


def test_bad_input_is_shown_again_with_what_was_entered(client, coordinator, opportunity):
    client.force_login(coordinator)

    response = client.post(
        list_url(opportunity),
        {"day": "2001-01-01", "time_from": "12:00", "time_until": "10:00", "slots": "0",
         "repeat": "weekly", "ends": "until", "note": "Bitte pünktlich"},
    )  # fmt: skip

    assert response.status_code == 200
    form = response.context["form"]
    assert {"day", "time_until", "slots"} <= set(form.errors)
    assert "Bitte pünktlich" in response.content.decode()
    assert not Shift.objects.exists()


def test_reducing_slots_below_the_confirmed_is_refused_with_a_message(
    client, coordinator, opportunity, shelter
):
    shift = ShiftFactory(opportunity=opportunity, slots=3)
    for person in volunteers(shelter, 2):
        services.sign_up(shift=shift, volunteer=person)
    client.force_login(coordinator)
    local = timezone.localtime(shift.starts_at)

    response = client.post(
        detail_url(shift),
        {"action": "edit", "day": local.date().isoformat(), "time_from": "10:00",
         "time_until": "12:00", "slots": "1"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "2 Personen eingetragen" in str(response.context["edit_form"].errors["slots"])
    shift.refresh_from_db()
    assert shift.slots == 3


def test_a_coordinator_assigns_and_removes_a_volunteer(
    client, coordinator, opportunity, volunteer, mailoutbox, django_capture_on_commit_callbacks
):
    shift = ShiftFactory(opportunity=opportunity)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(shift), {"action": "assign", "volunteer": volunteer.pk})

    signup = ShiftSignup.objects.get(shift=shift, volunteer=volunteer)
    assert signup.status == Status.CONFIRMED and signup.assigned_by == coordinator
    assert mailoutbox[0].to == [volunteer.email]
    page = client.get(detail_url(shift)).content.decode()
    assert volunteer.full_name in page

    client.post(detail_url(shift), {"action": "remove", "signup": signup.pk})
    signup.refresh_from_db()
    assert signup.status == Status.CANCELLED


def test_volunteers_of_another_shelter_cannot_be_assigned(
    client, coordinator, opportunity, other_shelter
):
    shift = ShiftFactory(opportunity=opportunity)
    stranger = VolunteerFactory(shelter=other_shelter)
    client.force_login(coordinator)

    response = client.post(detail_url(shift), {"action": "assign", "volunteer": stranger.pk})

    assert response.status_code == 200
    assert "volunteer" in response.context["assign_form"].errors
    assert not ShiftSignup.objects.exists()


def test_cancelling_a_shift_needs_the_confirmation(client, coordinator, opportunity):
    shift = ShiftFactory(opportunity=opportunity)
    client.force_login(coordinator)

    client.post(detail_url(shift), {"action": "cancel"})
    shift.refresh_from_db()
    assert not shift.is_cancelled

    client.post(detail_url(shift), {"action": "cancel", "confirm": "1"})
    shift.refresh_from_db()
    assert shift.is_cancelled


@pytest.mark.parametrize(
    "who", ["other_coordinator", "regional_coordinator", "lead", "partner", "volunteer_user"]
)
def test_everyone_but_the_shelters_coordinators_gets_404(client, request, opportunity, who):
    shift = ShiftFactory(opportunity=opportunity)
    client.force_login(request.getfixturevalue(who))

    assert client.get(list_url(opportunity)).status_code == 404
    assert client.get(detail_url(shift)).status_code == 404
    refused = client.post(detail_url(shift), {"action": "cancel", "confirm": "1"})
    assert refused.status_code == 404
    shift.refresh_from_db()
    assert not shift.is_cancelled


# --- A volunteer's own shifts -----------------------------------------------------------------


@pytest.fixture
def her_record(volunteer_user, shelter):
    return VolunteerFactory(shelter=shelter, user=volunteer_user)


def test_my_shifts_lists_open_shifts_and_signs_her_up(
    client, volunteer_user, her_record, opportunity
):
    shift = ShiftFactory(opportunity=opportunity, slots=1)
    elsewhere = ShiftFactory(opportunity=OpportunityFactory())
    client.force_login(volunteer_user)
    url = reverse("volunteering:shifts_mine")

    page = client.get(url)
    assert list(page.context["open_page"]) == [shift]

    client.post(url, {"action": "signup", "shift": shift.pk})
    signup = ShiftSignup.objects.get(shift=shift)
    assert signup.volunteer == her_record and signup.status == Status.CONFIRMED
    client.post(url, {"action": "signup", "shift": elsewhere.pk})
    assert not ShiftSignup.objects.filter(shift=elsewhere).exists()

    page = client.get(url)
    assert page.context["signups"] == [signup]
    client.post(url, {"action": "cancel", "signup": signup.pk})
    signup.refresh_from_db()
    assert signup.status == Status.CANCELLED


def test_she_cannot_cancel_someone_elses_sign_up(client, volunteer_user, her_record, opportunity):
    other = ShiftSignupFactory(shift=ShiftFactory(opportunity=opportunity))
    client.force_login(volunteer_user)

    client.post(reverse("volunteering:shifts_mine"), {"action": "cancel", "signup": other.pk})

    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_a_paused_volunteer_sees_why_she_cannot_sign_up(
    client, volunteer_user, shelter, opportunity
):
    VolunteerFactory(shelter=shelter, user=volunteer_user, stage=Volunteer.Stage.PAUSED)
    ShiftFactory(opportunity=opportunity)
    client.force_login(volunteer_user)

    page = client.get(reverse("volunteering:shifts_mine"))

    assert "sobald Sie in der Einarbeitung oder aktiv sind" in page.content.decode()


def test_someone_without_a_record_sees_an_empty_state(client, someone):
    client.force_login(someone)

    page = client.get(reverse("volunteering:shifts_mine"))

    assert page.status_code == 200
    assert "noch kein Engagement" in page.content.decode()


def test_the_personal_link_works_without_an_account(client, volunteer, opportunity):
    shift = ShiftFactory(opportunity=opportunity)
    url = link_url(volunteer)

    page = client.get(url)
    assert page.status_code == 200
    assert volunteer.full_name in page.content.decode()

    client.post(url, {"action": "signup", "shift": shift.pk})
    assert ShiftSignup.objects.get(shift=shift).volunteer == volunteer


def test_an_unknown_or_revoked_link_gets_a_friendly_404(client, volunteer):
    old = link_url(volunteer)
    links.revoke_volunteer_link(volunteer)

    for url in (old, reverse("volunteering:shifts_link", args=["12.nonsense"])):
        response = client.get(url)
        assert response.status_code == 404
        assert "Dieser Link gilt nicht (mehr)" in response.content.decode()


def test_the_feed_lists_her_shifts_at_district_level(client, volunteer, opportunity):
    shift = ShiftFactory(opportunity=opportunity, note="Bitte klingeln")
    ShiftSignupFactory(shift=shift, volunteer=volunteer)
    shelter = opportunity.shelter
    shelter.address_public = False
    shelter.save()

    response = client.get(feed_url(volunteer))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == opportunity.title
    assert shelter.district.name in str(event["location"])
    assert shelter.street not in response.content.decode()


def test_a_new_link_revokes_the_old_feed(client, volunteer):
    old_feed, old_page = feed_url(volunteer), link_url(volunteer)

    response = client.post(old_page, {"action": "renew", "volunteer": volunteer.pk})

    volunteer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == link_url(volunteer)
    assert client.get(old_feed).status_code == 404
    assert client.get(feed_url(volunteer)).status_code == 200


def test_signed_in_volunteers_see_their_feed_link(client, volunteer_user, her_record):
    client.force_login(volunteer_user)

    page = client.get(reverse("volunteering:shifts_mine")).content.decode()

    her_record.refresh_from_db()
    assert feed_url(her_record) in page
    assert "webcal://" in page


@pytest.mark.parametrize("bad", ["abc", "", "1e5", "99999999999999999999"])
def test_nonsense_ids_find_nothing_and_never_fail(client, coordinator, opportunity, volunteer, bad):
    shift = ShiftFactory(opportunity=opportunity)
    client.force_login(coordinator)

    assert client.post(detail_url(shift), {"action": "remove", "signup": bad}).status_code == 302
    page = link_url(volunteer)
    assert client.post(page, {"action": "signup", "shift": bad}).status_code == 302
    assert client.post(page, {"action": "cancel", "signup": bad}).status_code == 302
    assert not ShiftSignup.objects.exists()
