"""Recurring Jours fixes: rules, generated occurrences, moving one alone, extending, shortening."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bfe.events.models import Event, Registration, Series
from bfe.events.selectors import describe_rrule
from bfe.events.services import catalog as event_services
from bfe.events.services.series import (
    build_rrule,
    create_series,
    occurrence_dates,
    update_series_until,
)
from bfe.places.tests.factories import berlin_region

from .factories import RegistrationFactory
from .test_catalog import make_people, record_notifications

pytestmark = pytest.mark.django_db

D = datetime.date
NEXT_YEAR = timezone.localdate().year + 1


@pytest.fixture
def people(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    return make_people()


@pytest.fixture
def notifications(monkeypatch):
    return record_notifications(monkeypatch)


def make_series(creator, **overrides):
    values = {
        "region": berlin_region("nord"),
        "title": "Jour fixe Nord",
        "rrule": "FREQ=MONTHLY;BYDAY=2WE",
        "starts_on": D(NEXT_YEAR, 1, 1),
        "until": D(NEXT_YEAR, 12, 31),
        "start_time": datetime.time(10),
        "end_time": datetime.time(12),
        "venue_name": "Stadtteilzentrum",
        "capacity": 25,
    }
    values.update(overrides)
    return create_series(creator=creator, **values)


# --- Rules --------------------------------------------------------------------------------------


def test_rules_are_written_as_rfc_5545():
    assert build_rrule(weekday="WE", week_of_month=2) == "FREQ=MONTHLY;BYDAY=2WE"
    assert build_rrule(weekday="MO", week_of_month=-1) == "FREQ=MONTHLY;BYDAY=-1MO"
    assert build_rrule(weekday="TU", every_weeks=1) == "FREQ=WEEKLY;BYDAY=TU"
    assert build_rrule(weekday="FR", every_weeks=2) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"


def test_every_second_wednesday_of_2027_gives_twelve_dates():
    dates = occurrence_dates("FREQ=MONTHLY;BYDAY=2WE", D(2027, 1, 1), D(2027, 12, 31))

    assert len(dates) == 12
    assert dates[0] == D(2027, 1, 13)
    assert all(d.weekday() == 2 and 8 <= d.day <= 14 for d in dates)


def test_every_other_friday_counts_from_the_first_date():
    dates = occurrence_dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", D(2027, 1, 1), D(2027, 3, 1))

    assert dates == [D(2027, 1, 1), D(2027, 1, 15), D(2027, 1, 29), D(2027, 2, 12), D(2027, 2, 26)]


def test_rules_are_described_in_german():
    assert describe_rrule("FREQ=MONTHLY;BYDAY=2WE") == "jeden 2. Mittwoch im Monat"
    assert describe_rrule("FREQ=MONTHLY;BYDAY=-1MO") == "jeden letzten Montag im Monat"
    assert describe_rrule("FREQ=WEEKLY;BYDAY=TU") == "jeden Dienstag"
    assert describe_rrule("FREQ=WEEKLY;INTERVAL=3;BYDAY=FR") == "alle 3 Wochen am Freitag"


# --- Creating -----------------------------------------------------------------------------------


def test_a_series_creates_published_jours_fixes_for_its_slots(people):
    series = make_series(people.regional_nord)

    events = list(series.events.order_by("series_slot"))
    assert len(events) == 12
    first = events[0]
    assert first.kind == Event.Kind.JOUR_FIXE
    assert first.status == Event.Status.PUBLISHED
    assert first.region == berlin_region("nord")
    assert first.series_slot == D(NEXT_YEAR, 1, 1) + datetime.timedelta(
        days=(2 - D(NEXT_YEAR, 1, 1).weekday()) % 7 + 7
    )
    assert timezone.localtime(first.starts_at).date() == first.series_slot
    assert first.capacity == 25
    assert list(first.organisers.all()) == [people.regional_nord]
    assert list(series.organisers.all()) == [people.regional_nord]


def test_occurrences_keep_ten_oclock_berlin_time_across_the_dst_switch(people):
    # Summer time starts on 28 March 2027: 10:00 is 09:00 UTC before and 08:00 UTC after.
    series = make_series(
        people.regional_nord,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        starts_on=D(2027, 3, 15),
        until=D(2027, 4, 12),
    )

    events = list(series.events.order_by("starts_at"))
    assert [timezone.localtime(e.starts_at).time() for e in events] == [datetime.time(10)] * 5
    utc_hours = [e.starts_at.astimezone(datetime.UTC).hour for e in events]
    assert utc_hours == [9, 9, 8, 8, 8]
    assert all(e.ends_at - e.starts_at == datetime.timedelta(hours=2) for e in events)


def test_a_regional_coordinator_of_nord_cannot_create_wests_series(people):
    with pytest.raises(PermissionDenied):
        make_series(people.regional_nord, region=berlin_region("west"))
    assert not Series.objects.exists()


def test_admins_may_create_series_in_any_region(people):
    series = make_series(people.admin, region=berlin_region("suedost"))

    assert series.events.count() == 12


def series_form(**overrides):
    data = {
        "title": "Jour fixe Nord",
        "region": berlin_region("nord").pk,
        "description": "",
        "weekday": "WE",
        "rhythm": "month:2",
        "start_time": "10:00",
        "end_time": "12:00",
        "starts_on": f"{NEXT_YEAR}-01-01",
        "until": f"{NEXT_YEAR}-06-30",
        "venue_name": "Stadtteilzentrum",
        "venue_address": "",
        "online_url": "",
        "capacity": "20",
    }
    data.update(overrides)
    return data


def test_the_series_form_creates_the_series_and_shows_it(client, people):
    client.force_login(people.regional_nord)

    response = client.post(reverse("events:series_create"), series_form())

    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:series_detail", args=[series.pk])
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2WE"
    assert series.events.count() == 6
    page = client.get(response["Location"])
    assert "jeden 2. Mittwoch im Monat" in page.text
    assert len(page.context["occurrences"]) == 6


def test_a_double_submit_creates_one_series(client, people):
    client.force_login(people.regional_nord)

    first = client.post(reverse("events:series_create"), series_form())
    second = client.post(reverse("events:series_create"), series_form())

    assert Series.objects.count() == 1
    assert Event.objects.count() == 6
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"until": f"{NEXT_YEAR - 1}-12-01"}, "until"),
        ({"until": f"{NEXT_YEAR + 5}-12-31", "rhythm": "week:1"}, "until"),
        ({"venue_name": ""}, "venue_name"),
    ],
)
def test_the_series_form_explains_what_is_wrong(client, people, overrides, field):
    client.force_login(people.regional_nord)

    response = client.post(reverse("events:series_create"), series_form(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Series.objects.exists()


def test_the_series_form_offers_a_regional_coordinator_only_her_region(client, people):
    client.force_login(people.regional_nord)

    form = client.get(reverse("events:series_create")).context["form"]
    response = client.post(
        reverse("events:series_create"), series_form(region=berlin_region("west").pk)
    )

    assert [r.slug for r in form.fields["region"].queryset] == ["nord"]
    assert "region" in response.context["form"].errors
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("coordinator", 404), ("partner", 404), ("regional_west", 200), ("admin", 200)],
)
def test_only_bfe_staff_may_open_the_series_form(client, people, viewer, status):
    client.force_login(getattr(people, viewer))

    assert client.get(reverse("events:series_create")).status_code == status


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("coordinator", 404), ("regional_west", 404), ("regional_nord", 200), ("admin", 200)],
)
def test_a_series_page_is_for_its_regions_staff(client, people, viewer, status):
    series = make_series(people.admin)
    client.force_login(getattr(people, viewer))

    assert client.get(reverse("events:series_detail", args=[series.pk])).status_code == status


# --- One occurrence alone -----------------------------------------------------------------------


def test_moving_one_occurrence_leaves_the_others_and_keeps_its_slot(people, notifications):
    series = make_series(people.regional_nord)
    first, second = series.events.order_by("series_slot")[:2]
    moved_to = first.starts_at + datetime.timedelta(days=1)

    event_services.update_event(
        event=first,
        editor=people.regional_nord,
        starts_at=moved_to,
        ends_at=moved_to + datetime.timedelta(hours=2),
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.starts_at == moved_to
    assert first.series_slot == timezone.localtime(moved_to).date() - datetime.timedelta(days=1)
    assert first.sequence == 1
    assert second.sequence == 0


def test_cancelling_one_occurrence_cancels_only_it(people, notifications):
    series = make_series(people.regional_nord)
    first = series.events.order_by("series_slot").first()

    event_services.cancel_event(event=first, by=people.regional_nord, message="")

    statuses = list(series.events.order_by("series_slot").values_list("status", flat=True))
    assert statuses == [Event.Status.CANCELLED] + [Event.Status.PUBLISHED] * 11


def test_the_series_page_marks_moved_and_cancelled_occurrences(client, people, notifications):
    series = make_series(people.regional_nord)
    first, second = series.events.order_by("series_slot")[:2]
    moved_to = first.starts_at + datetime.timedelta(days=2)
    event_services.update_event(
        event=first,
        editor=people.regional_nord,
        starts_at=moved_to,
        ends_at=moved_to + datetime.timedelta(hours=2),
    )
    event_services.cancel_event(event=second, by=people.regional_nord, message="")
    client.force_login(people.regional_nord)

    response = client.get(reverse("events:series_detail", args=[series.pk]))

    occurrences = response.context["occurrences"]
    assert occurrences[0].is_moved is True
    assert occurrences[1].is_moved is False
    assert "verschoben" in response.text
    assert "abgesagt" in response.text
    assert reverse("events:edit", args=[first.pk]) in response.text
    assert reverse("events:cancel", args=[first.pk]) in response.text


# --- Extending and shortening -------------------------------------------------------------------


def test_extending_adds_the_missing_slots_and_keeps_a_moved_occurrence(people, notifications):
    series = make_series(people.regional_nord, until=D(NEXT_YEAR, 6, 30))
    first = series.events.order_by("series_slot").first()
    moved_to = first.starts_at + datetime.timedelta(days=1, hours=4)
    event_services.update_event(
        event=first,
        editor=people.regional_nord,
        title="Jour fixe Nord (verschoben)",
        starts_at=moved_to,
        ends_at=moved_to + datetime.timedelta(hours=2),
    )

    result = update_series_until(series=series, until=D(NEXT_YEAR, 12, 31), by=people.regional_nord)

    assert result == {"added": 6, "deleted": 0, "cancelled": 0}
    assert series.events.count() == 12
    first.refresh_from_db()
    assert first.starts_at == moved_to
    assert first.title == "Jour fixe Nord (verschoben)"
    series.refresh_from_db()
    assert series.until == D(NEXT_YEAR, 12, 31)


def test_regenerating_never_duplicates(people):
    series = make_series(people.regional_nord)

    again = update_series_until(series=series, until=series.until, by=people.regional_nord)

    assert again == {"added": 0, "deleted": 0, "cancelled": 0}
    assert series.events.count() == 12


def test_shortening_deletes_empty_occurrences_and_cancels_those_with_registrations(
    people,
    notifications,
):
    series = make_series(people.regional_nord)
    events = list(series.events.order_by("series_slot"))
    booked = events[9]
    RegistrationFactory(event=booked, person=people.coordinator)

    result = update_series_until(series=series, until=D(NEXT_YEAR, 8, 31), by=people.regional_nord)

    assert result == {"added": 0, "deleted": 3, "cancelled": 1}
    booked.refresh_from_db()
    assert booked.status == Event.Status.CANCELLED
    assert booked.sequence == 1
    assert notifications == [("cancelled", booked.pk, "")]
    assert Registration.objects.filter(event=booked).exists()
    assert series.events.count() == 9


def test_shortening_leaves_past_occurrences_alone(people):
    series = make_series(people.regional_nord)
    later = datetime.datetime(NEXT_YEAR, 12, 31, tzinfo=datetime.UTC)

    result = update_series_until(
        series=series, until=D(NEXT_YEAR, 3, 31), by=people.regional_nord, now=later
    )

    assert result == {"added": 0, "deleted": 0, "cancelled": 0}
    assert series.events.count() == 12


def test_extending_after_shortening_brings_deleted_slots_back(people):
    series = make_series(people.regional_nord)
    update_series_until(series=series, until=D(NEXT_YEAR, 6, 30), by=people.regional_nord)

    result = update_series_until(series=series, until=D(NEXT_YEAR, 12, 31), by=people.regional_nord)

    assert result["added"] == 6
    assert series.events.count() == 12


def test_another_regions_staff_cannot_change_the_series(people):
    series = make_series(people.regional_nord)

    with pytest.raises(PermissionDenied):
        update_series_until(series=series, until=D(NEXT_YEAR, 3, 31), by=people.regional_west)


def test_the_series_page_changes_the_end(client, people):
    series = make_series(people.regional_nord, until=D(NEXT_YEAR, 6, 30))
    client.force_login(people.regional_nord)

    response = client.post(
        reverse("events:series_detail", args=[series.pk]), {"until": f"{NEXT_YEAR}-09-30"}
    )

    assert response.status_code == 302
    assert series.events.count() == 9
    page = client.get(response["Location"])
    assert "3 Termine ergänzt, 0 gelöscht, 0 abgesagt." in page.text


def test_the_end_cannot_move_before_the_start(client, people):
    series = make_series(people.regional_nord)
    client.force_login(people.regional_nord)

    response = client.post(
        reverse("events:series_detail", args=[series.pk]), {"until": f"{NEXT_YEAR - 1}-12-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["until"]
    assert series.events.count() == 12
