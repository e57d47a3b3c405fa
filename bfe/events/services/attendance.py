"""Who came: check-in at the door, walk-ins, and the lists organisers work with.

Changes go through `set_attendance` and `add_walk_in`; the participants page, the check-in page
and the exports read through `participant_list`; reports read through `attendance_counts`.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.fetch_modes import FETCH_RAISE
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import User
from bfe.places.models import CoordinatorPosition

from ..models import Event, Registration

Status = Registration.Status


# Rules -----------------------------------------------------------------------------------------


def check_in_opens_on(event):
    """The day from which attendance may be recorded: the event's own day (Berlin time)."""
    return timezone.localdate(event.starts_at)


def check_in_problem(event, today=None):
    """Why attendance cannot be recorded for `event` now, or None if it can."""
    if event.is_cancelled:
        return _("Die Veranstaltung ist abgesagt; Anwesenheit wird nicht erfasst.")
    if (today or timezone.localdate()) < check_in_opens_on(event):
        return _("Der Einlass öffnet am Tag der Veranstaltung, am %(date)s.") % {
            "date": check_in_opens_on(event).strftime("%d.%m.%Y")
        }
    return None


def _lock_managed_event(event, by):
    """The event's row, locked, if `by` manages it; the lock orders check-ins and walk-ins
    with registrations and cancellations, which lock the same row."""
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None or not Event.objects.managed_by(by).filter(pk=event.pk).exists():
        raise PermissionDenied
    problem = check_in_problem(locked)
    if problem:
        raise ValidationError(problem, code="closed")
    return locked


# Changes ---------------------------------------------------------------------------------------


@transaction.atomic
def set_attendance(*, registration, attended, by):
    """Record whether a confirmed participant is present (`attended=True`) or not.

    Idempotent: a second tap with the same state changes nothing, so a double-tap or a retried
    request cannot flip the state back. Only organisers of the event (`managed_by`) may do it,
    only from the event's day, not for cancelled events, and only for confirmed registrations
    (people from the waiting list who come anyway are added with `add_walk_in`).
    """
    _lock_managed_event(registration.event, by)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(
            _("Nur angemeldete Personen können als anwesend markiert werden."),
            code="not_confirmed",
        )
    if registration.attended != attended:
        registration.attended = attended
        registration.checked_in_at = timezone.now() if attended else None
        registration.save(update_fields=["attended", "checked_in_at"])
    return registration


@transaction.atomic
def add_walk_in(*, event, name, email="", organisation="", by):
    """Record a person who is there without a seat; returns `(registration, created)`.

    No capacity check: the person is physically present. If `email` matches a registration of
    the event (an account's address or a guest's), that registration is marked present instead
    of creating a second one; if it was on the waiting list, cancelled or unconfirmed, it becomes
    a confirmed walk-in. A new walk-in whose e-mail belongs to an account is registered for that
    account, so that the attendance counts for the person (e.g. towards a training series).
    """
    event = _lock_managed_event(event, by)
    email = (email or "").strip().lower()
    name = (name or "").strip()
    organisation = (organisation or "").strip()
    now = timezone.now()
    if email:
        existing = (
            event.registrations.select_for_update(of=("self",))
            .filter(
                Q(person__email__iexact=email) | Q(person__isnull=True, guest_email__iexact=email)
            )
            .first()
        )
        if existing:
            fields = {"attended", "checked_in_at"}
            if existing.status != Status.CONFIRMED:
                existing.status = Status.CONFIRMED
                existing.confirmed_at = now
                existing.waitlisted_at = None
                existing.cancelled_at = None
                existing.is_walk_in = True
                fields |= {"status", "confirmed_at", "waitlisted_at", "cancelled_at", "is_walk_in"}
            if organisation and not existing.guest_organisation:
                existing.guest_organisation = organisation
                fields.add("guest_organisation")
            if not existing.attended:
                existing.attended = True
                existing.checked_in_at = now
            existing.save(update_fields=sorted(fields))
            return existing, False
    person = User.objects.filter(email__iexact=email).first() if email else None
    registration = Registration.objects.create(
        event=event,
        person=person,
        guest_name=name,
        guest_email="" if person else email,
        guest_organisation=organisation,
        status=Status.CONFIRMED,
        confirmed_at=now,
        attended=True,
        checked_in_at=now,
        is_walk_in=True,
    )
    return registration, True


# Reading: the organisers' lists ----------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One line of the participants list, the check-in page and the exports."""

    registration: Registration
    name: str
    email: str
    organisation: str
    is_guest: bool
    waitlist_position: int | None = None

    @property
    def pk(self):
        return self.registration.pk

    @property
    def attended(self):
        return self.registration.attended

    @property
    def is_walk_in(self):
        return self.registration.is_walk_in

    @property
    def status(self):
        return self.registration.status

    @property
    def waitlisted_at(self):
        return self.registration.waitlisted_at

    def status_label(self):
        if self.waitlist_position:
            return _("Warteliste (Platz %(position)s)") % {"position": self.waitlist_position}
        if self.is_walk_in:
            return _("spontan dazugekommen")
        return str(self.registration.get_status_display())

    def matches(self, query):
        needle = query.casefold()
        return any(
            needle in value.casefold() for value in (self.name, self.email, self.organisation)
        )


@dataclass
class ParticipantList:
    event: Event
    confirmed: list = field(default_factory=list)
    waitlist: list = field(default_factory=list)

    @property
    def confirmed_count(self):
        return len(self.confirmed)

    @property
    def attended_count(self):
        return sum(1 for p in self.confirmed if p.attended)

    @property
    def walk_in_count(self):
        return sum(1 for p in self.confirmed if p.is_walk_in)

    @property
    def guest_count(self):
        return sum(1 for p in self.confirmed if p.is_guest)

    @property
    def waitlist_count(self):
        return len(self.waitlist)

    @property
    def seats_left(self):
        if self.event.capacity is None:
            return None
        return max(self.event.capacity - self.confirmed_count, 0)

    def everyone(self):
        return [*self.confirmed, *self.waitlist]

    def filtered(self, query):
        """Confirmed participants whose name, e-mail or organisation contains `query`."""
        query = (query or "").strip()
        if not query:
            return self.confirmed
        return [p for p in self.confirmed if p.matches(query)]

    def find(self, registration_pk):
        return next((p for p in self.confirmed if p.pk == registration_pk), None)


def participant_list(event):
    """The event's confirmed participants by name and its waiting list in promotion order.

    Two queries whatever the number of registrations: registrations with their accounts, and
    the accounts' current coordinator posts (for "Organisation/Unterkunft").
    """
    registrations = (
        event.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__coordinator_positions",
                queryset=CoordinatorPosition.objects.current()
                .select_related("shelter")
                .order_by("shelter__name"),
                to_attr="current_positions",
            )
        )
        .fetch_mode(FETCH_RAISE)
    )
    result = ParticipantList(event=event)
    waiting = []
    for registration in registrations:
        registration.event = event
        participant = _participant(registration)
        if registration.status == Status.CONFIRMED:
            result.confirmed.append(participant)
        else:
            waiting.append(participant)
    result.confirmed.sort(key=lambda p: (p.name.casefold(), p.pk))
    far_future = timezone.make_aware(datetime.datetime(9999, 1, 1))
    waiting.sort(key=lambda p: (p.waitlisted_at or far_future, p.pk))
    result.waitlist = [
        Participant(
            registration=p.registration,
            name=p.name,
            email=p.email,
            organisation=p.organisation,
            is_guest=p.is_guest,
            waitlist_position=position,
        )
        for position, p in enumerate(waiting, start=1)
    ]
    return result


def _participant(registration):
    person = registration.person
    if person is not None:
        shelters = ", ".join(position.shelter.name for position in person.current_positions)
        return Participant(
            registration=registration,
            name=person.get_full_name(),
            email=person.email,
            organisation=registration.guest_organisation or shelters,
            is_guest=False,
        )
    return Participant(
        registration=registration,
        name=registration.guest_name or _("(ohne Namen)"),
        email=registration.guest_email,
        organisation=registration.guest_organisation,
        is_guest=True,
    )


# Reading: numbers for reports ------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceCounts:
    """Per event: confirmed registrations, how many of them came, and how many of those came
    without a seat (walk-ins, including people from the waiting list who came anyway)."""

    confirmed: int = 0
    attended: int = 0
    walk_ins: int = 0

    @property
    def no_shows(self):
        return self.confirmed - self.attended


def attendance_counts(events):
    """`{event_pk: AttendanceCounts}` for every event of the queryset `events`, in two queries
    whatever the number of events and registrations.

    For reports (e.g. Jours fixes per region and year): "confirmed" counts registrations with
    status confirmed at the time of asking (walk-ins included), "attended" those marked present
    at check-in, "walk_ins" the present ones who had no seat beforehand. Registrations on the
    waiting list, cancelled or unconfirmed ones never count. Events without any registration
    get zeros. Safe on any queryset, joins and `distinct()` included.
    """
    counts = dict.fromkeys(events.values_list("pk", flat=True), AttendanceCounts())
    rows = (
        Registration.objects.filter(event__in=events.values("pk"), status=Status.CONFIRMED)
        .order_by()
        .values("event_id")
        # Annotation names differ from the fields they count (`attended` is a field).
        .annotate(
            n_confirmed=Count("pk"),
            n_attended=Count("pk", filter=Q(attended=True)),
            n_walk_ins=Count("pk", filter=Q(attended=True, is_walk_in=True)),
        )
    )
    for row in rows:
        counts[row["event_id"]] = AttendanceCounts(
            confirmed=row["n_confirmed"], attended=row["n_attended"], walk_ins=row["n_walk_ins"]
        )
    return counts
