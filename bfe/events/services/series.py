"""Recurring Jours fixes: a series stores an RFC 5545 rule; its occurrences are ordinary events.

Each occurrence remembers its slot (the date the rule gave it). Regenerating creates only slots
that have no event, so occurrences that were moved, edited or cancelled alone stay as they are,
and the unique (series, series_slot) constraint makes duplicates impossible.
"""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles, User

from ..models import Audience, Event, Series
from ..selectors import series_managed_by
from .catalog import DUPLICATE_WINDOW, cancel_event

MAX_OCCURRENCES = 120
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def build_rrule(*, weekday, week_of_month=None, every_weeks=None):
    """ "FREQ=MONTHLY;BYDAY=2WE" (the 2nd Wednesday; -1 is the last) or
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE" (every other Wednesday)."""
    if weekday not in WEEKDAY_CODES:
        raise ValueError(f"Unknown weekday {weekday!r}")
    if week_of_month is not None:
        if week_of_month not in (1, 2, 3, 4, -1):
            raise ValueError(f"Unknown week of month {week_of_month!r}")
        return f"FREQ=MONTHLY;BYDAY={week_of_month}{weekday}"
    if every_weeks == 1:
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    return f"FREQ=WEEKLY;INTERVAL={int(every_weeks)};BYDAY={weekday}"


def occurrence_dates(rrule, starts_on, until):
    """The dates the rule gives from `starts_on` to `until`, both included."""
    dtstart = datetime.datetime.combine(starts_on, datetime.time.min)
    if not rrule.upper().startswith(("FREQ=WEEKLY", "FREQ=MONTHLY")):
        raise ValueError("Only weekly and monthly rules are supported.")
    rule = rrulestr(rrule, dtstart=dtstart)
    last = datetime.datetime.combine(until, datetime.time.max)
    return [moment.date() for moment in rule.between(dtstart, last, inc=True)]


def wall_clock(date, time):
    """Berlin wall-clock time on a date, aware: 10:00 stays 10:00 across the DST switch."""
    return timezone.make_aware(
        datetime.datetime.combine(date, time), timezone.get_default_timezone()
    )


def _check_manages_region(user, region):
    roles = Roles.of(user)
    if not (roles.is_admin or region.pk in roles.region_ids):
        raise PermissionDenied


@transaction.atomic
def create_series(
    *,
    creator,
    region,
    title,
    rrule,
    starts_on,
    until,
    start_time,
    end_time,
    description="",
    venue_name="",
    venue_address="",
    online_url="",
    capacity=None,
):
    """Create a series of a region and all its occurrences (published Jours fixes).

    Only admins and the region's regional coordinators may. Raises ValidationError for a rule
    that gives no date or more than MAX_OCCURRENCES. A double submit (same person, region,
    title, rule and period within a minute) returns the series created first.
    """
    _check_manages_region(creator, region)
    # One person's series are serialised, so that a double click cannot slip past the check.
    User.objects.select_for_update().get(pk=creator.pk)
    existing = Series.objects.filter(
        organisers=creator,
        region=region,
        title=title,
        rrule=rrule,
        starts_on=starts_on,
        until=until,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if existing:
        return existing
    series = Series(
        region=region,
        title=title,
        description=description,
        rrule=rrule,
        starts_on=starts_on,
        until=until,
        start_time=start_time,
        end_time=end_time,
        venue_name=venue_name,
        venue_address=venue_address,
        online_url=online_url,
        capacity=capacity,
    )
    series.full_clean()
    dates = occurrence_dates(rrule, starts_on, until)
    if not dates:
        raise ValidationError(_("In diesem Zeitraum ergibt die Regel keinen Termin."))
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            _("Eine Reihe hat höchstens %(max)s Termine.") % {"max": MAX_OCCURRENCES}
        )
    series.save()
    series.organisers.set([creator])
    _create_occurrences(series, dates, creator)
    return series


def _create_occurrences(series, dates, creator):
    """Events for the given slots of a series, with the series' organisers; returns them."""
    events = [
        Event(
            kind=Event.Kind.JOUR_FIXE,
            status=Event.Status.PUBLISHED,
            audience=Audience.COORDINATORS,
            title=series.title,
            description=series.description,
            region=series.region,
            starts_at=wall_clock(date, series.start_time),
            ends_at=wall_clock(date, series.end_time),
            venue_name=series.venue_name,
            venue_address=series.venue_address,
            online_url=series.online_url,
            capacity=series.capacity,
            series=series,
            series_slot=date,
            created_by=creator,
        )
        for date in dates
    ]
    Event.objects.bulk_create(events)
    organiser_ids = list(series.organisers.values_list("pk", flat=True))
    Event.organisers.through.objects.bulk_create(
        [
            Event.organisers.through(event_id=event.pk, user_id=user_id)
            for event in events
            for user_id in organiser_ids
        ]
    )
    return events


@transaction.atomic
def update_series_until(*, series, until, by, now=None):
    """Move the end of a series; returns {"added": n, "deleted": n, "cancelled": n}.

    Later: slots from today on that have no event get one (slots of moved, edited or cancelled
    occurrences keep theirs). Earlier: future occurrences beyond the new end are deleted if
    nobody ever registered, otherwise cancelled, so that registered people are told.
    """
    if not series_managed_by(by).filter(pk=series.pk).exists():
        raise PermissionDenied
    now = now or timezone.now()
    locked = Series.objects.select_for_update().get(pk=series.pk)
    if until < locked.starts_on:
        raise ValidationError(_("Das Ende der Reihe liegt vor ihrem Anfang."))
    dates = occurrence_dates(locked.rrule, locked.starts_on, until)
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            _("Eine Reihe hat höchstens %(max)s Termine.") % {"max": MAX_OCCURRENCES}
        )
    result = {"added": 0, "deleted": 0, "cancelled": 0}
    beyond = Event.objects.filter(series=locked, series_slot__gt=until, starts_at__gte=now)
    _total, deleted = beyond.filter(registrations__isnull=True).delete()
    result["deleted"] = deleted.get(Event._meta.label, 0)
    for event in beyond.exclude(status=Event.Status.CANCELLED):
        cancel_event(event=event, by=by, message="")
        result["cancelled"] += 1
    existing = set(Event.objects.filter(series=locked).values_list("series_slot", flat=True))
    today = timezone.localtime(now).date()
    missing = [date for date in dates if date not in existing and date >= today]
    result["added"] = len(_create_occurrences(locked, missing, by))
    locked.until = until
    locked.save(update_fields=["until"])
    series.until = until
    return result
