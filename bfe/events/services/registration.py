"""Registration for events: seats, waiting lists, external guests, invitations and reminders.

Every seat decision is taken under a row lock on the event (`bfe.core.locking`), re-checked in
the same transaction that writes the registration, at READ COMMITTED: so an event is never
overbooked, whatever the number of simultaneous requests and app servers (pretix locks its
quotas the same way). Counts shown on pages are for display only.

Services send nothing themselves: each e-mail is a task enqueued when the transaction commits.
The reads that the registration pages and e-mails need sit at the end of the module.

Lock order, for anyone adding locks: the event row first, then its registrations.
"""

import base64
import datetime
import logging

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from bfe.accounts.models import User, hash_token
from bfe.core.locking import lock_object
from bfe.core.queue import enqueue_on_commit
from bfe.places.models import CoordinatorPosition, Shelter

from ..emails import Mail
from ..models import Audience, Event, Registration

logger = logging.getLogger(__name__)
# By name: the tasks import this module (see bfe.core.queue).
SEND_REGISTRATION_EMAIL = "bfe.events.tasks.send_registration_email"

Status = Registration.Status
# Registrations that hold a seat or a place on the waiting list.
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)
# A guest who does not confirm her address within this time has to register again.
GUEST_CONFIRMATION_WINDOW = datetime.timedelta(hours=48)
# Reminders go out once an event starts within this time ("the day before").
REMINDER_WINDOW = datetime.timedelta(hours=24)
# A second "invite the region" for the same event within this time is a double submit.
INVITATION_REPEAT_WINDOW = datetime.timedelta(minutes=10)
GUEST_LINK_SALT = "bfe.events.guest-registration-link"


# --- Seats under the event's lock -------------------------------------------------------------


def _lock_event(event):
    """The event's row, locked until the transaction ends: every seat decision starts here.
    A lock not granted in time raises LockTimeout ("please try again")."""
    return lock_object(event)


def _confirmed_count(event):
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).count()


def _has_free_seat(event):
    return event.capacity is None or _confirmed_count(event) < event.capacity


def _take_seat_or_wait(registration, event, now, *, confirmed=None):
    """A confirmed seat if one is free (the caller holds the event's lock), else the end of the
    waiting list. `confirmed`, when the caller has just counted the seats under the lock, saves
    counting them again."""
    registration.cancelled_at = None
    if confirmed is None:
        free = _has_free_seat(event)
    else:
        free = event.capacity is None or confirmed < event.capacity
    if free:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.waitlisted_at = None
    else:
        registration.status = Status.WAITLISTED
        registration.waitlisted_at = now
        registration.confirmed_at = None


def _send_on_commit(registration, mail, **extra):
    pk = registration.pk
    enqueue_on_commit(SEND_REGISTRATION_EMAIL, registration_id=pk, mail=mail, **extra)


def _mail_for(registration):
    return Mail.CONFIRMED if registration.status == Status.CONFIRMED else Mail.WAITLISTED


def _closed_error(event, now):
    """Why registration is not open now, said plainly."""
    if event.status == Event.Status.CANCELLED:
        return ValidationError(_("Diese Veranstaltung ist abgesagt."), code="cancelled")
    if event.status != Event.Status.PUBLISHED:
        return ValidationError(
            _("Für diese Veranstaltung ist noch keine Anmeldung möglich."), code="draft"
        )
    if event.starts_at <= now:
        return ValidationError(
            _("Diese Veranstaltung hat bereits begonnen; eine Anmeldung ist nicht mehr möglich."),
            code="started",
        )
    if event.registration_opens_at and now < event.registration_opens_at:
        return ValidationError(
            _("Die Anmeldung beginnt am %(opens)s Uhr.")
            % {"opens": _datetime(event.registration_opens_at)},
            code="not_yet_open",
        )
    return ValidationError(
        _("Die Anmeldung ist geschlossen (Anmeldeschluss war am %(closes)s Uhr).")
        % {"closes": _datetime(event.registration_closes_at)},
        code="closed",
    )


def _datetime(value):
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


@transaction.atomic
def register(*, event, person):
    """Register a signed-in person for an event: a confirmed seat, or the waiting list.

    Under the event's lock the person gets a confirmed seat if one is free (capacity None means
    unlimited), else the next place on the waiting list; the capacity is never exceeded.
    Registering again returns the existing seat or waiting-list place unchanged, so a double
    click creates nothing twice; a cancelled registration of the person is re-activated. Raises
    PermissionDenied if the person may not see the event, and ValidationError (codes
    "closed", "not_yet_open", "started", "cancelled", "draft", "training_module") when she
    cannot register now. The person is e-mailed (with an .ics for a seat) after the commit.
    """
    event = _lock_event(event)
    if not person.is_active or not Event.objects.visible_to(person).filter(pk=event.pk).exists():
        raise PermissionDenied
    existing = Registration.objects.filter(event=event, person=person).first()
    if existing is not None and existing.status in ACTIVE:
        return existing
    if event.kind == Event.Kind.TRAINING_MODULE:
        # Module seats belong to the series' enrolees (services/training.py).
        raise ValidationError(
            _("Fortbildungsmodule belegen Sie über die Einschreibung in die Fortbildungsreihe."),
            code="training_module",
        )
    now = timezone.now()
    if not event.registration_is_open(now):
        raise _closed_error(event, now)
    # Seats that freed without a promotion (e.g. a larger capacity) go to those waiting first.
    # Under the event's lock, and registration being open, promote_from_waitlist would move
    # nobody without a free seat and someone waiting: one read instead of its five queries.
    seats = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    confirmed = seats["confirmed"]
    if seats["waiting"] and (event.capacity is None or confirmed < event.capacity):
        confirmed += len(promote_from_waitlist(event))
    registration = existing or Registration(event=event, person=person)
    registration.created_at = now
    registration.reminder_sent_at = None
    _take_seat_or_wait(registration, event, now, confirmed=confirmed)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Only reachable where the database has no row locks: the constraint kept it single.
        return Registration.objects.get(event=event, person=person)
    _send_on_commit(registration, _mail_for(registration))
    return registration


@transaction.atomic
def promote_from_waitlist(event):
    """Give the event's free seats to its waiting list, earliest `waitlisted_at` first.

    Each promoted person is e-mailed (with the .ics) after the commit. Nobody moves up once the
    event has begun or when it is not published. Returns the promoted registrations.
    """
    event = _lock_event(event)
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if event.capacity is not None:
        waiting = waiting[: max(0, event.capacity - _confirmed_count(event))]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        _send_on_commit(registration, Mail.PROMOTED)
    return promoted


def _may_cancel(registration, by):
    if by is None or not by.is_authenticated:
        return False
    if registration.person_id == by.pk:
        return True
    return Event.objects.managed_by(by).filter(pk=registration.event_id).exists()


def _cancel(registration, event):
    """Cancel under the event's lock; a freed seat goes to the waiting list."""
    if registration.status == Status.CANCELLED:
        return registration
    now = timezone.now()
    if event.starts_at <= now and registration.status != Status.UNCONFIRMED:
        raise ValidationError(
            _("Die Veranstaltung hat bereits begonnen; eine Abmeldung ist nicht mehr möglich."),
            code="started",
        )
    freed_seat = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if freed_seat:
        promote_from_waitlist(event)
    return registration


@transaction.atomic
def cancel_registration(*, registration, by):
    """Cancel a registration, by its person or a manager of the event.

    A freed confirmed seat goes at once to the first person on the waiting list, who is
    e-mailed. Cancelling twice changes nothing. Raises PermissionDenied for anybody else and
    ValidationError (code "started") once the event has begun.
    """
    event = _lock_event(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if not _may_cancel(registration, by):
        raise PermissionDenied
    return _cancel(registration, event)


# --- External guests --------------------------------------------------------------------------


def guest_token(registration):
    """The raw token of a guest's personal link (confirm, view, cancel).

    It is derived from the registration and the SECRET_KEY, so that every e-mail to the guest
    (confirmation, promotion, reminder, changes) can carry the same link while the database
    holds only its hash: a copy of the database alone opens no registration.
    """
    digest = salted_hmac(GUEST_LINK_SALT, str(registration.pk), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def guest_registration_for(token):
    """The guest registration a personal link opens, or None."""
    return (
        Registration.objects.select_related("event")
        .filter(person__isnull=True, token_hash=hash_token(token))
        .first()
    )


def guest_link_expired(registration, now=None):
    """An unconfirmed guest registration is void 48 hours after it was made."""
    now = now or timezone.now()
    return (
        registration.status == Status.UNCONFIRMED
        and registration.created_at < now - GUEST_CONFIRMATION_WINDOW
    )


def _with_current_token(registration):
    raw_token = guest_token(registration)
    if registration.token_hash != hash_token(raw_token):
        registration.token_hash = hash_token(raw_token)
        registration.save(update_fields=["token_hash"])
    return raw_token


@transaction.atomic
def register_guest(*, event, name, email, organisation="", language="de"):
    """Register an external guest without an account; she confirms by e-mail (double opt-in).

    The registration waits as unconfirmed, holding no seat, until the guest opens her personal
    link and confirms (confirm_guest); unconfirmed registrations expire after 48 hours. Only
    the hash of the link's token is stored. The same address registering again for the event
    gets the link again instead of an error: to confirm (if still unconfirmed, or cancelled
    before) or to view and cancel (if already registered). Returns (registration, raw token).
    Raises PermissionDenied unless the event is published and open to guests, and
    ValidationError when registration is not open.
    """
    event = _lock_event(event)
    if event.audience != Audience.GUESTS or event.status == Event.Status.DRAFT:
        raise PermissionDenied
    email = User.objects.normalize_email(email.strip()).lower()
    existing = (
        Registration.objects.filter(event=event, person__isnull=True)
        .filter(guest_email__iexact=email)
        .first()
    )
    if existing is not None and existing.status in ACTIVE:
        raw_token = _with_current_token(existing)
        _send_on_commit(existing, Mail.GUEST_LINK)
        return existing, raw_token
    now = timezone.now()
    if not event.registration_is_open(now):
        raise _closed_error(event, now)
    registration = existing or Registration(event=event)
    registration.guest_name = name.strip()
    registration.guest_email = email
    registration.guest_organisation = organisation.strip()
    registration.guest_language = language
    registration.status = Status.UNCONFIRMED
    registration.created_at = now
    registration.confirmed_at = registration.waitlisted_at = registration.cancelled_at = None
    registration.reminder_sent_at = None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Only reachable where the database has no row locks: the constraint kept it single.
        registration = Registration.objects.get(
            event=event, person__isnull=True, guest_email__iexact=email
        )
    raw_token = _with_current_token(registration)
    _send_on_commit(registration, Mail.GUEST_CONFIRM)
    return registration, raw_token


@transaction.atomic
def confirm_guest(*, token):
    """Confirm a guest's address from her personal link: a seat or the waiting list.

    The same lock rule as register(): a confirmed seat if one is free, else the waiting list;
    the guest is e-mailed (with the .ics for a seat). Confirming again changes nothing. Raises
    Registration.DoesNotExist for an unknown link, ValidationError (code "expired") 48 hours
    after an unconfirmed registration, and ValidationError when registration has closed.
    """
    found = guest_registration_for(token)
    if found is None:
        raise Registration.DoesNotExist
    event = _lock_event(found.event)
    registration = Registration.objects.get(pk=found.pk)
    if registration.status != Status.UNCONFIRMED:
        return registration
    now = timezone.now()
    if guest_link_expired(registration, now):
        raise ValidationError(
            _(
                "Dieser Link ist abgelaufen: Die Anmeldung wurde nicht innerhalb von 48 Stunden "
                "bestätigt. Bitte melden Sie sich erneut an."
            ),
            code="expired",
        )
    if not event.registration_is_open(now):
        raise _closed_error(event, now)
    promote_from_waitlist(event)
    _take_seat_or_wait(registration, event, now)
    registration.save(update_fields=["status", "confirmed_at", "waitlisted_at", "cancelled_at"])
    _send_on_commit(registration, _mail_for(registration))
    return registration


@transaction.atomic
def cancel_guest_registration(*, token):
    """Cancel a guest's registration from her personal link; a freed seat goes to the waiting
    list. Raises Registration.DoesNotExist for an unknown link."""
    found = guest_registration_for(token)
    if found is None:
        raise Registration.DoesNotExist
    event = _lock_event(found.event)
    return _cancel(Registration.objects.get(pk=found.pk), event)


@transaction.atomic
def expire_unconfirmed_guests(now=None):
    """Delete guest registrations left unconfirmed for 48 hours (they never held a seat, and
    their data has no purpose any more). Returns the number deleted."""
    now = now or timezone.now()
    stale = Registration.objects.filter(
        status=Status.UNCONFIRMED,
        person__isnull=True,
        created_at__lt=now - GUEST_CONFIRMATION_WINDOW,
    )
    deleted, _by_model = stale.delete()
    return deleted


# --- Invitations and notices ------------------------------------------------------------------


def coordinators_to_invite(event):
    """Current coordinators of the event's region (staffed posts at its open shelters) who
    have an active account and no seat or waiting-list place at the event yet."""
    shelters = Shelter.objects.open().in_region(event.region)
    holders = (
        CoordinatorPosition.objects.current()
        .filter(shelter__in=shelters, person__isnull=False)
        .values("person_id")
    )
    registered = Registration.objects.filter(event=event, person=OuterRef("pk"), status__in=ACTIVE)
    return (
        User.objects.filter(is_active=True, pk__in=Subquery(holders))
        .exclude(Exists(registered))
        .order_by("pk")
    )


@transaction.atomic
def invite_region(*, event, by):
    """Invite all current coordinators of a Jour fixe's region in one step.

    Each gets an e-mail in her language with the event, its .ics and a one-click link to the
    event's page; people already registered are skipped. Returns the number invited. Raises
    PermissionDenied unless `by` manages the event and it is a Jour fixe, and ValidationError
    unless it is published and still to come, or when the region was invited moments ago (a
    double submit sends nothing twice).
    """
    if event.kind != Event.Kind.JOUR_FIXE:
        raise PermissionDenied
    if not Event.objects.managed_by(by).filter(pk=event.pk).exists():
        raise PermissionDenied
    event = _lock_event(event)
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        raise ValidationError(
            _("Einladen lässt sich nur zu veröffentlichten Terminen, die noch bevorstehen."),
            code="not_invitable",
        )
    # Nothing records an invitation, so a short-lived marker catches the double submit.
    key = f"bfe:events:region-invited:{event.pk}"
    if not cache.add(key, now.isoformat(), INVITATION_REPEAT_WINDOW.total_seconds()):
        raise ValidationError(
            _("Die Koordinator:innen der Region wurden gerade eben eingeladen."),
            code="duplicate",
        )
    try:
        person_ids = list(coordinators_to_invite(event).values_list("pk", flat=True))
    except Exception:
        cache.delete(key)
        raise
    event_id = event.pk
    for person_id in person_ids:
        enqueue_on_commit(
            "bfe.events.tasks.send_region_invitation", event_id=event_id, person_id=person_id
        )
    logger.info("Invited %d coordinators to event %d", len(person_ids), event_id)
    return len(person_ids)


def _notify_active(event, mail, **extra):
    registrations = Registration.objects.filter(event=event, status__in=ACTIVE)
    count = 0
    for pk in registrations.values_list("pk", flat=True).order_by("pk"):
        enqueue_on_commit(SEND_REGISTRATION_EMAIL, registration_id=pk, mail=mail, **extra)
        count += 1
    return count


@transaction.atomic
def notify_event_changed(event):
    """E-mail everyone with a seat or a waiting-list place that the event changed (time, place,
    link …), with the updated .ics. Call it after saving the change and raising
    `event.sequence`. Returns the number of people notified."""
    return _notify_active(event, Mail.CHANGED)


@transaction.atomic
def notify_event_cancelled(event, message=""):
    """E-mail everyone with a seat or a waiting-list place that the event is cancelled, with the
    organisers' message and an .ics carrying STATUS:CANCELLED. Call it after saving the
    cancellation. Returns the number of people notified."""
    return _notify_active(event, Mail.CANCELLED, message=message)


# --- Reminders ---------------------------------------------------------------------------------


def send_due_reminders(now=None):
    """Remind confirmed participants the day before: once each, for published events starting
    within the next 24 hours.

    People who got their seat within those 24 hours have just had their confirmation and get no
    reminder. Each reminder is claimed (reminder_sent_at) by a conditional update before its
    e-mail is enqueued, so running the command often, or on several machines at once, sends
    none twice. Returns the number of reminders enqueued.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_WINDOW,
        )
        .filter(
            Q(confirmed_at__isnull=True)
            | Q(confirmed_at__lte=F("event__starts_at") - REMINDER_WINDOW)
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                enqueue_on_commit(SEND_REGISTRATION_EMAIL, registration_id=pk, mail=Mail.REMINDER)
                sent += 1
    return sent


# --- Reads for the registration pages and e-mails ---------------------------------------------


def with_waitlist_position(registrations):
    """Annotates `waitlist_position` (1 = next to move up) on waitlisted registrations, in the
    same query; None for the others."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return registrations.annotate(
        waitlist_position=Case(
            When(status=Status.WAITLISTED, then=Coalesce(Subquery(ahead), 0) + 1),
            default=None,
            output_field=IntegerField(),
        )
    )


def waitlist_position(registration):
    """The registration's place on its event's waiting list (1 = next), or None."""
    if registration.status != Status.WAITLISTED:
        return None
    if registration.waitlisted_at is None:  # rows made outside the services
        return None
    ahead = (
        Registration.objects.filter(event_id=registration.event_id, status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1
