"""Creating, changing and cancelling events.

Calendars learn about changes through the iCal SEQUENCE: every change people must see (time,
place, status, title) bumps it. People registered for a published event are told when its time
or place changes, or when it is cancelled — by the registration services, which queue the
e-mails to go out after the transaction commits.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles, User
from bfe.core.locking import lock_object

from ..models import Event, Registration

# The same event from the same person within this window is a double submit, not a new event.
DUPLICATE_WINDOW = datetime.timedelta(minutes=1)
TIME_FIELDS = frozenset({"starts_at", "ends_at"})
PLACE_FIELDS = frozenset({"venue_name", "venue_address", "online_url"})
# Changes that calendars must pick up (iCal SEQUENCE).
SEQUENCE_FIELDS = TIME_FIELDS | PLACE_FIELDS | {"status", "title"}
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "programme",
        "starts_at",
        "ends_at",
        "venue_name",
        "venue_address",
        "accessibility_notes",
        "online_url",
        "audience",
        "region",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "status",
    }
)


def _check_region(user, region):
    """Non-admins may only put events in their own regions (or city-wide)."""
    roles = Roles.of(user)
    if roles.is_admin or region is None:
        return
    if region.pk not in roles.region_ids:
        raise PermissionDenied


def _check_fields(fields):
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")


@transaction.atomic
def create_event(*, creator, organisers=None, **fields):
    """Create an event as BfE staff; its organisers are the given people or else the creator.

    Raises PermissionDenied for people who are not BfE staff or for another region's event,
    ValidationError when the model's rules are broken. A double submit (same person, kind,
    title and start within a minute) returns the event created first.
    """
    _check_fields(fields)
    if not Roles.of(creator).is_bfe_staff:
        raise PermissionDenied
    _check_region(creator, fields.get("region"))
    # One person's creations are serialised, so that a double click cannot slip past the check.
    User.objects.select_for_update().get(pk=creator.pk)
    existing = Event.objects.filter(
        created_by=creator,
        kind=fields.get("kind"),
        title=fields.get("title"),
        starts_at=fields.get("starts_at"),
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if existing:
        return existing
    event = Event(created_by=creator, **fields)
    event.full_clean()
    event.save()
    event.organisers.set(organisers or [creator])
    return event


@transaction.atomic
def update_event(*, event, editor, organisers=None, **changes):
    """Change an event the editor manages; returns the saved event.

    Bumps `sequence` when time, place, status or title change, and tells the registered people
    when the time or place of a published event changed. The capacity never drops below the
    seats already confirmed (checked under the event's row lock, against concurrent sign-ups);
    when it grows, people on the waiting list move up.
    """
    _check_fields(changes)
    if not Event.objects.managed_by(editor).filter(pk=event.pk).exists():
        raise PermissionDenied
    locked = lock_object(event)
    if "region" in changes and changes["region"] != locked.region:
        _check_region(editor, changes["region"])
    changed = {name for name, value in changes.items() if getattr(locked, name) != value}
    for name in changed:
        setattr(locked, name, changes[name])
    if "capacity" in changed and locked.capacity is not None:
        confirmed = locked.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if locked.capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "Es sind bereits %(count)s Personen angemeldet; es muss mindestens so "
                        "viele Plätze geben."
                    )
                    % {"count": confirmed}
                }
            )
    if changed & SEQUENCE_FIELDS:
        locked.sequence += 1
    # created_by may be empty (the creator's account was deleted); that is no reason to refuse.
    locked.full_clean(exclude=["created_by"])
    locked.save()
    if organisers is not None:
        locked.organisers.set(organisers)
    if locked.status == Event.Status.PUBLISHED and changed & (TIME_FIELDS | PLACE_FIELDS):
        _notify_event_changed(locked)
    if changed & {"capacity", "status"}:
        # More seats (or a published event again): the waiting list moves up.
        _promote_from_waitlist(locked)
    return locked


@transaction.atomic
def cancel_event(*, event, by, message=""):
    """Cancel an event the person manages and tell everyone registered; a second call changes
    nothing. Cancelled events stay visible (marked) and go to calendars as STATUS:CANCELLED."""
    if not Event.objects.managed_by(by).filter(pk=event.pk).exists():
        raise PermissionDenied
    locked = lock_object(event)
    if locked.status == Event.Status.CANCELLED:
        return locked
    locked.status = Event.Status.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    _notify_event_cancelled(locked, message)
    return locked


def _promote_from_waitlist(event):
    from .registration import promote_from_waitlist

    promote_from_waitlist(event)


def _notify_event_changed(event):
    from .registration import notify_event_changed

    notify_event_changed(event)


def _notify_event_cancelled(event, message):
    from .registration import notify_event_cancelled

    notify_event_cancelled(event, message)
