"""Timelines of a shelter and of a coordinator: one list of typed entries, newest first.

A timeline is merged in Python from *timeline sources*. A source is a function

    source(subject, viewer, *, until, limit) -> list[Entry]

that returns at most `limit` entries dated on or before `until` (None: no bound), newest first,
read with a fixed number of queries and scoped by the viewer's roles through the model's
`visible_to` methods. `subject` is a `Subject` with either `shelter` or `person` set; a source
that has nothing for one kind of subject returns []. Each entry names the template that renders
it, so a source brings its own presentation.

Extension point: TIMELINE_SOURCES lists the sources; event attendance and training certificates
come from the events app, read through its selectors (never the other way round).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.fetch_modes import FETCH_RAISE
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bfe.accounts.models import Roles, User
from bfe.events.selectors.attendance import attended_registrations
from bfe.events.selectors.training import issued_certificates
from bfe.places.models import CoordinatorPosition, Shelter

from .models import Consultation, FollowUp

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Subject:
    """Whose timeline: a shelter's or a person's."""

    shelter: Shelter | None = None
    person: User | None = None


@dataclass(frozen=True)
class Entry:
    """One line of a timeline. `kind` is a stable name ("consultation", "follow_up",
    "position_start", "position_end", "vacancy"; later "event_attendance", "training_progress"),
    `template` renders it with `entry` in the context, `item` is what it is about."""

    on: datetime.date
    kind: str
    template: str
    item: object
    # Among entries of the same day: higher comes first.
    rank: int = 0
    extra: dict = field(default_factory=dict)

    def sort_key(self):
        return (self.on, self.rank, getattr(self.item, "pk", 0) or 0)


@dataclass(frozen=True)
class Timeline:
    entries: list
    # Where the next, older page starts ("?bis=…"), or None on the last page.
    older_until: datetime.date | None = None

    def by_month(self):
        """The entries grouped by month, as (first day of the month, entries)."""
        return [
            (month, list(entries))
            for month, entries in groupby(self.entries, key=lambda e: e.on.replace(day=1))
        ]


# Sources ---------------------------------------------------------------------------------------


def consultation_entries(subject, viewer, *, until, limit):
    """Consultations the viewer may see; `visible_note` only where she may read the note."""
    consultations = Consultation.objects.visible_to(viewer)
    if subject.shelter is not None:
        consultations = consultations.filter(shelter=subject.shelter)
    else:
        consultations = consultations.filter(
            pk__in=Consultation.participants.through.objects.filter(user=subject.person).values(
                "consultation_id"
            )
        )
    if until is not None:
        consultations = consultations.filter(held_on__lte=until)
    consultations = (
        consultations.select_related("shelter", "logged_by")
        .prefetch_related(
            "topics", Prefetch("participants", queryset=User.objects.order_by("full_name"))
        )
        .order_by("-held_on", "-pk")
        .fetch_mode(FETCH_RAISE)[:limit]
    )
    return [
        Entry(
            on=c.held_on,
            kind="consultation",
            template="consultations/timeline/_consultation.html",
            item=c,
            rank=20,
        )
        for c in consultations
    ]


def follow_up_entries(subject, viewer, *, until, limit):
    """Follow-ups, for BfE staff only: done ones on the day they were done, open ones on their
    due date."""
    if not Roles.of(viewer).is_bfe_staff:
        return []
    follow_ups = FollowUp.objects.visible_to(viewer)
    if subject.shelter is not None:
        follow_ups = follow_ups.filter(
            Q(shelter=subject.shelter) | Q(consultation__shelter=subject.shelter)
        )
    else:
        took_part = Consultation.participants.through.objects.filter(user=subject.person)
        follow_ups = follow_ups.filter(
            Q(consultation__in=took_part.values("consultation_id")) | Q(owner=subject.person)
        )
    follow_ups = follow_ups.annotate(on=Coalesce(TruncDate("done_at"), F("due_on")))
    if until is not None:
        follow_ups = follow_ups.filter(on__lte=until)
    follow_ups = (
        follow_ups.select_related("owner", "shelter", "consultation__shelter")
        .order_by("-on", "-pk")
        .fetch_mode(FETCH_RAISE)[:limit]
    )
    return [
        Entry(
            on=f.on,
            kind="follow_up",
            template="consultations/timeline/_follow_up.html",
            item=f,
            rank=10,
        )
        for f in follow_ups
    ]


def coordinator_change_entries(subject, viewer, *, until, limit):
    """Starts and ends of coordinator posts, and vacancies, of the shelter or the person.

    A shelter or person has few posts, so all up to `until` are read in one query. A shelter's
    earlier holders and vacancies are for its BfE staff: others see its current holders.
    """
    positions = CoordinatorPosition.objects.all()
    if subject.shelter is not None:
        positions = CoordinatorPosition.objects.visible_to(viewer).filter(shelter=subject.shelter)
    else:
        positions = positions.filter(person=subject.person)
    if until is not None:
        positions = positions.filter(starts_on__lte=until)
    positions = positions.select_related("person", "shelter").fetch_mode(FETCH_RAISE)
    today = timezone.localdate()
    entries = []
    template = "consultations/timeline/_coordinator_change.html"
    for position in positions:
        kind = "vacancy" if position.person_id is None else "position_start"
        entries.append(Entry(position.starts_on, kind, template, position, rank=30))
        ends_on = position.ends_on
        if (
            position.person_id is not None
            and ends_on is not None
            and ends_on <= today
            and (until is None or ends_on <= until)
        ):
            entries.append(Entry(ends_on, "position_end", template, position, rank=31))
    entries.sort(key=Entry.sort_key, reverse=True)
    return entries[:limit]


def _coordinators_then(subject, person_field):
    """A filter for rows of `person_field` who were the subject, or a coordinator of the
    subject shelter on the row's `day`."""
    if subject.person is not None:
        return Q(**{person_field: subject.person})
    held_post = CoordinatorPosition.objects.filter(
        shelter=subject.shelter, person=OuterRef(person_field), starts_on__lte=OuterRef("day")
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("day")))
    return Q(Exists(held_post))


def event_attendance_entries(subject, viewer, *, until, limit):
    """BfE events (Jours fixes, Werkstätten, training modules) the person, or the shelter's
    coordinator of the day, attended."""
    attended = attended_registrations().filter(_coordinators_then(subject, "person"))
    if until is not None:
        attended = attended.filter(day__lte=until)
    attended = (
        attended.select_related("event", "person")
        .order_by("-day", "-pk")
        .fetch_mode(FETCH_RAISE)[:limit]
    )
    template = "consultations/timeline/_event_attendance.html"
    return [Entry(r.day, "event_attendance", template, r, rank=15) for r in attended]


def training_progress_entries(subject, viewer, *, until, limit):
    """Certificates of completed training series, on the day they were issued."""
    certificates = issued_certificates().filter(_coordinators_then(subject, "person"))
    if until is not None:
        certificates = certificates.filter(day__lte=until)
    certificates = (
        certificates.select_related("series").order_by("-day", "-pk").fetch_mode(FETCH_RAISE)
    )[:limit]
    template = "consultations/timeline/_training_progress.html"
    return [Entry(c.day, "training_progress", template, c, rank=16) for c in certificates]


TIMELINE_SOURCES = [
    consultation_entries,
    follow_up_entries,
    coordinator_change_entries,
    event_attendance_entries,
    training_progress_entries,
]


def register_timeline_source(source):
    """Add a source (see the module's docstring), e.g. event attendance from the events app."""
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


# Merging ---------------------------------------------------------------------------------------


def build_timeline(subject, viewer, *, until=None, limit=DEFAULT_LIMIT):
    """The newest `limit` entries on or before `until` of all sources, newest first.

    Each source returns at most `limit + 1` entries, so every entry newer than the first one
    left out is present. The page ends before the day of that entry, and the next page starts
    on that day, so no day is split across pages (unless one day alone has more than `limit`).
    """
    entries = []
    for source in TIMELINE_SOURCES:
        entries.extend(source(subject, viewer, until=until, limit=limit + 1))
    entries.sort(key=Entry.sort_key, reverse=True)
    if len(entries) <= limit:
        return Timeline(entries=entries)
    cut = entries[limit].on
    shown = [entry for entry in entries[:limit] if entry.on > cut]
    if not shown:
        return Timeline(entries=entries[:limit], older_until=cut - datetime.timedelta(days=1))
    return Timeline(entries=shown, older_until=cut)


# Whose timeline a viewer may open --------------------------------------------------------------


def shelter_for_timeline(viewer, pk):
    """A shelter whose timeline the viewer may see: her own shelters, her region's, all for
    admins; or 404."""
    return get_object_or_404(Shelter.objects.editable_by(viewer).select_related("district"), pk=pk)


def person_for_timeline(viewer, pk):
    """A coordinator (current or past) whose timeline the viewer may see, or 404: herself,
    BfE staff of a region where she holds or held a post, admins."""
    people = User.objects.filter(coordinator_positions__isnull=False)
    if viewer.pk != pk:
        people = people.filter(
            coordinator_positions__shelter__in=Shelter.objects.positions_manageable_by(viewer)
        )
    return get_object_or_404(people.distinct(), pk=pk)


def parse_until(value):
    """The `bis` parameter of an older page, or None when missing or malformed."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
