"""Recurring shifts: an RRULE materialised as rows up to the horizon, topped up by a command,
and edited one at a time or "this and all following"."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from bfe.volunteering.models import Shift, ShiftSeries
from bfe.volunteering.services import shifts as services

from .factories_shifts import volunteers

pytestmark = pytest.mark.django_db


def next_monday():
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def weekly(opportunity, **kwargs):
    options = {
        "first_day": next_monday(),
        "time_from": datetime.time(10),
        "time_until": datetime.time(12),
        "slots": 3,
        "weekdays": [0, 3],  # Monday and Thursday
    }
    options.update(kwargs)
    return services.create_series(opportunity=opportunity, **options)


def local_days(shifts):
    return [timezone.localtime(shift.starts_at).date() for shift in shifts]


def test_a_weekly_series_with_a_count_makes_exactly_that_many_shifts(opportunity):
    series = weekly(opportunity, count=5)

    shifts = list(series.shifts.order_by("starts_at"))
    monday = next_monday()
    assert local_days(shifts) == [
        monday,
        monday + datetime.timedelta(days=3),
        monday + datetime.timedelta(days=7),
        monday + datetime.timedelta(days=10),
        monday + datetime.timedelta(days=14),
    ]
    assert all(timezone.localtime(s.starts_at).time() == datetime.time(10) for s in shifts)
    assert "UNTIL=" in series.rrule and "COUNT" not in series.rrule


def test_every_second_week_until_a_date(opportunity):
    monday = next_monday()
    series = weekly(
        opportunity, weekdays=[0], interval=2, until=monday + datetime.timedelta(days=35)
    )

    assert local_days(series.shifts.order_by("starts_at")) == [
        monday,
        monday + datetime.timedelta(days=14),
        monday + datetime.timedelta(days=28),
    ]


def test_an_open_series_stops_at_the_horizon_and_the_command_tops_it_up(opportunity):
    series = weekly(opportunity, weekdays=[0])
    horizon = timezone.now() + services.HORIZON
    assert not series.shifts.filter(starts_at__gt=horizon).exists()
    made = series.shifts.count()
    assert 24 <= made <= 28

    later = timezone.now() + datetime.timedelta(days=30)
    assert services.extend_all_series(now=later) >= 4
    assert services.extend_all_series(now=later) == 0  # idempotent
    out = StringIO()
    call_command("extend_shift_series", stdout=out)
    assert "angelegt" in out.getvalue()


def test_a_rule_without_any_date_is_refused(opportunity):
    monday = next_monday()
    with pytest.raises(ValidationError):
        weekly(opportunity, weekdays=[2], until=monday + datetime.timedelta(days=1))
    assert not ShiftSeries.objects.exists()


def test_editing_one_shift_detaches_it_and_changes_nothing_else(opportunity):
    series = weekly(opportunity, count=4)
    first, second, *rest = series.shifts.order_by("starts_at")

    services.edit_shift(
        shift=second,
        starts_at=second.starts_at + datetime.timedelta(hours=4),
        ends_at=second.ends_at + datetime.timedelta(hours=4),
        slots=5,
        note="Diesmal im Garten",
    )

    second.refresh_from_db()
    assert second.is_detached and second.slots == 5
    assert timezone.localtime(second.starts_at).time() == datetime.time(14)
    for other in [first, *rest]:
        other.refresh_from_db()
        assert other.slots == 3 and not other.is_detached


def test_this_and_all_following_changes_the_rest_but_keeps_detached_edits(opportunity):
    series = weekly(opportunity, count=6)
    shifts = list(series.shifts.order_by("starts_at"))
    detached = shifts[4]
    services.edit_shift(
        shift=detached, starts_at=detached.starts_at, ends_at=detached.ends_at, slots=9
    )

    changed = services.edit_following(
        shift=shifts[2],
        time_from=datetime.time(15),
        time_until=datetime.time(17, 30),
        slots=4,
        note="Neue Zeit",
    )

    assert [s.pk for s in changed] == [shifts[2].pk, shifts[3].pk, shifts[5].pk]
    fresh = {s.pk: s for s in Shift.objects.filter(pk__in=[s.pk for s in shifts])}
    for shift in shifts[:2]:
        assert timezone.localtime(fresh[shift.pk].starts_at).time() == datetime.time(10)
        assert fresh[shift.pk].slots == 3
    for shift in (shifts[2], shifts[3], shifts[5]):
        row = fresh[shift.pk]
        assert timezone.localtime(row.starts_at).time() == datetime.time(15)
        assert row.ends_at - row.starts_at == datetime.timedelta(hours=2, minutes=30)
        assert (row.slots, row.note) == (4, "Neue Zeit")
    assert fresh[detached.pk].slots == 9
    assert timezone.localtime(fresh[detached.pk].starts_at).time() == datetime.time(10)
    # The series is split: later shifts follow the new values, the old one ends before.
    new_series = fresh[shifts[2].pk].series
    assert new_series != series and new_series.slots == 4
    series.refresh_from_db()
    assert fresh[shifts[0].pk].series == series
    assert services.extend_series(series) == 0
    assert services.extend_series(new_series) == 0


def test_all_following_is_refused_when_one_has_more_confirmed_than_the_new_slots(
    opportunity, shelter
):
    series = weekly(opportunity, count=3)
    first, _second, third = series.shifts.order_by("starts_at")
    for person in volunteers(shelter, 2):
        services.sign_up(shift=third, volunteer=person)

    with pytest.raises(ValidationError) as refused:
        services.edit_following(
            shift=first, time_from=datetime.time(9), time_until=datetime.time(11), slots=1
        )

    assert refused.value.code == "slots_below_confirmed"
    first.refresh_from_db()
    assert first.slots == 3
    assert timezone.localtime(first.starts_at).time() == datetime.time(10)


def test_editing_from_the_first_shift_keeps_one_series(opportunity):
    series = weekly(opportunity, count=3)
    first = series.shifts.order_by("starts_at").first()

    services.edit_following(
        shift=first, time_from=datetime.time(8), time_until=datetime.time(9), slots=2
    )

    assert ShiftSeries.objects.count() == 1
    (remaining,) = ShiftSeries.objects.all()
    assert remaining.shifts.count() == 3
    assert remaining.slots == 2


def test_a_series_keeps_its_local_time_across_the_change_to_summer_time(opportunity):
    now = timezone.make_aware(datetime.datetime(2030, 3, 1, 9))
    series = weekly(
        opportunity, first_day=datetime.date(2030, 3, 18), weekdays=[0], count=3, now=now
    )

    shifts = list(series.shifts.order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).hour for s in shifts] == [10, 10, 10]
    # Berlin moves its clocks on 31 March 2030: the same 10 o'clock is an hour earlier in UTC.
    assert shifts[0].starts_at.astimezone(datetime.UTC).hour == 9
    assert shifts[2].starts_at.astimezone(datetime.UTC).hour == 8
