"""Reads of the calendar for pages. Every read starts from `Event.objects.visible_to(user)` or
`managed_by(user)`; what the list and month pages show is loaded in a fixed number of queries."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.fetch_modes import FETCH_RAISE
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Role, Roles, User
from bfe.places.models import Region

from ..models import Event, Registration, Series

# Months outside this range answer 404, so that crawlers cannot walk the calendar forever.
FIRST_YEAR, LAST_YEAR = 2016, 2100
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _registration_count(status):
    registrations = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(registrations, output_field=IntegerField()), 0)


def _seat_counts():
    """`confirmed_count` and `waitlist_count` as with_counts() gives them, as subqueries: a
    LIMIT then counts only its own rows (display only, never for decisions)."""
    return {
        "confirmed_count": _registration_count(Registration.Status.CONFIRMED),
        "waitlist_count": _registration_count(Registration.Status.WAITLISTED),
    }


def calendar_events(user):
    """Events the viewer may see, with seat counts and region, ordered by start.

    `seats_left` is None for events without a limit; like the counts, it is for display only.
    The counts are correlated subqueries rather than a join with GROUP BY, so that a page of the
    list counts the registrations of its own rows only and the paginator's count reads no
    registrations at all.
    """
    return (
        Event.objects.visible_to(user)
        .annotate(**_seat_counts())
        .annotate(
            seats_left=Case(
                When(capacity__isnull=True, then=None),
                default=Greatest(F("capacity") - F("confirmed_count"), 0),
                output_field=IntegerField(),
            )
        )
        .select_related("region")
        .order_by("starts_at", "pk")
        .fetch_mode(FETCH_RAISE)
    )


def upcoming_events(user, now=None):
    """The public calendar list: events that have not ended yet."""
    return calendar_events(user).upcoming(now)


def group_by_month(events):
    """[{"month": first day of the month, "events": [...]}, …] in the order given."""
    groups = []
    for event in events:
        month = timezone.localtime(event.starts_at).date().replace(day=1)
        if not groups or groups[-1]["month"] != month:
            groups.append({"month": month, "events": []})
        groups[-1]["events"].append(event)
    return groups


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class Month:
    first: datetime.date
    weeks: list
    previous: datetime.date | None
    next: datetime.date | None
    event_count: int


def is_valid_month(year, month):
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def month_grid(events, year, month, today=None):
    """The weeks (Monday first) of a month, each day with the given events starting on it.

    `events` is a queryset such as `calendar_events(user)`, optionally filtered; one query.
    """
    today = today or timezone.localdate()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first_day, last_day = weeks[0][0], weeks[-1][-1]
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
    )
    days = {
        date: Day(date=date, in_month=date.month == month, is_today=date == today)
        for week in weeks
        for date in week
    }
    for event in events.filter(starts_at__gte=start, starts_at__lt=end):
        days[timezone.localtime(event.starts_at).date()].events.append(event)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return Month(
        first=first,
        weeks=[[days[date] for date in week] for week in weeks],
        previous=previous if is_valid_month(previous.year, previous.month) else None,
        next=following if is_valid_month(following.year, following.month) else None,
        event_count=sum(len(day.events) for day in days.values() if day.in_month),
    )


def event_for_detail(user, pk):
    """One event the viewer may see or manage, with counts, organisers and series loaded.

    Raises Event.DoesNotExist otherwise.
    """
    scope = Q(pk__in=Event.objects.visible_to(user).values("pk")) | Q(
        pk__in=Event.objects.managed_by(user).values("pk")
    )
    organisers = User.objects.order_by("full_name", "email")
    return (
        Event.objects.filter(scope)
        .with_counts()
        .select_related("region", "series", "training_series", "module")
        .prefetch_related(Prefetch("organisers", queryset=organisers))
        .get(pk=pk)
    )


def registration_of(user, event):
    """The viewer's own registration for the event (any status), or None."""
    return Registration.objects.of(user).filter(event=event).first()


def can_manage(user, event):
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


def sees_online_link(registration, can_manage):
    """Only people with a confirmed seat, and the event's managers, get the online link."""
    return can_manage or (
        registration is not None and registration.status == Registration.Status.CONFIRMED
    )


def staff_people():
    """People who may organise events: the project lead and the regional coordinators."""
    return (
        User.objects.filter(
            Q(is_superuser=True)
            | Q(role_set__kind__in=[Role.Kind.ADMIN, Role.Kind.REGIONAL_COORDINATOR])
        )
        .filter(is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def series_managed_by(user):
    """Jour-fixe series a person may change: admins all, regional coordinators those of their
    regions, and the series' organisers."""
    roles = Roles.of(user)
    if roles.is_admin:
        return Series.objects.all()
    if not roles.is_authenticated:
        return Series.objects.none()
    scope = Q(organisers=user)
    if roles.region_ids:
        scope |= Q(region__in=roles.region_ids)
    return Series.objects.filter(scope).distinct()


def series_for_detail(user, pk):
    """A series the person manages, with its region. Raises Series.DoesNotExist otherwise."""
    return series_managed_by(user).select_related("region").get(pk=pk)


def series_occurrences(series):
    """All occurrences of a series by their slot, with counts; moved ones are flagged."""
    events = list(
        Event.objects.filter(series=series)
        .with_counts()
        .order_by("series_slot", "starts_at", "pk")
        .fetch_mode(FETCH_RAISE)
    )
    for event in events:
        event.is_moved = timezone.localtime(event.starts_at).date() != event.series_slot
    return events


def describe_rrule(rrule):
    """A German description of the rules the series form writes, e.g. "jeden 2. Mittwoch"."""
    parts = dict(part.split("=", 1) for part in rrule.upper().split(";") if "=" in part)
    byday = parts.get("BYDAY", "")
    code = byday[-2:]
    if code not in WEEKDAY_CODES:
        return rrule
    weekday = _weekday_name(WEEKDAY_CODES.index(code))
    if parts.get("FREQ") == "MONTHLY" and byday[:-2]:
        position = int(byday[:-2])
        if position == -1:
            return _("jeden letzten %(weekday)s im Monat") % {"weekday": weekday}
        return _("jeden %(position)s. %(weekday)s im Monat") % {
            "position": position,
            "weekday": weekday,
        }
    if parts.get("FREQ") == "WEEKLY":
        interval = int(parts.get("INTERVAL", "1"))
        if interval == 1:
            return _("jeden %(weekday)s") % {"weekday": weekday}
        return _("alle %(interval)s Wochen am %(weekday)s") % {
            "interval": interval,
            "weekday": weekday,
        }
    return rrule


def _weekday_name(index):
    names = [
        _("Montag"),
        _("Dienstag"),
        _("Mittwoch"),
        _("Donnerstag"),
        _("Freitag"),
        _("Samstag"),
        _("Sonntag"),
    ]
    return names[index]


# --- The start page -----------------------------------------------------------------------------
# Each read below is bounded (LIMIT, a region, a week), so the start page costs the same whatever
# the size of the calendar.

START_LIST_LIMIT = 5
START_WEEK_LIMIT = 10


def next_jour_fixe_for(user, now=None):
    """The next published Jour fixe, not yet begun, of the current regions of the shelters the
    person coordinates, with seat counts and region; None if there is none. One query."""
    roles = Roles.of(user)
    if not roles.shelter_ids:
        return None
    regions = Region.objects.current().filter(districts__shelters__in=roles.shelter_ids)
    return (
        calendar_events(user)
        .filter(
            kind=Event.Kind.JOUR_FIXE,
            status=Event.Status.PUBLISHED,
            region__in=regions.values("pk"),
            starts_at__gt=now or timezone.now(),
        )
        .first()
    )


def upcoming_registrations_for(user, *, now=None, limit=START_LIST_LIMIT):
    """The person's seats and waiting-list places at events that have not ended, soonest first;
    at most `limit` + 1 rows, so that the page knows whether there are more. One query."""
    registrations = (
        Registration.objects.of(user)
        .active()
        .filter(event__ends_at__gte=now or timezone.now())
        .select_related("event", "event__region")
        .order_by("event__starts_at", "pk")
    )
    return list(registrations[: limit + 1])


def region_jours_fixes_for(user, *, now=None, limit=START_LIST_LIMIT):
    """The next Jours fixes of the person's regions that she manages (drafts and cancelled ones
    included, marked), soonest first, each with confirmed and waiting-list counts. One query."""
    roles = Roles.of(user)
    if not roles.region_ids:
        return []
    events = (
        Event.objects.managed_by(user)
        .filter(kind=Event.Kind.JOUR_FIXE, region__in=roles.region_ids)
        .upcoming(now)
        .annotate(**_seat_counts())
        .select_related("region")
        .order_by("starts_at", "pk")
    )
    return list(events[:limit])


def week_of(day):
    """(Monday, next Monday) of the calendar week of `day`, as aware datetimes."""
    monday = day - datetime.timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min)
    )
    return start, end


def week_events_for(user, *, today=None, limit=START_WEEK_LIMIT):
    """Events of the current calendar week (Monday to Sunday) that the person manages, in date
    order, each with confirmed and waiting-list counts; at most `limit` + 1, so that the page
    knows whether there are more. One query."""
    start, end = week_of(today or timezone.localdate())
    events = (
        Event.objects.managed_by(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(**_seat_counts())
        .select_related("region")
        .order_by("starts_at", "pk")
    )
    return list(events[: limit + 1])
