"""Follow-ups (Aufgaben): tasks with a due date and an owner, on a consultation or a shelter.

Every change of a FollowUp goes through the functions below; the follow-up pages read through
`selectors.followups`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core.queue import enqueue_on_commit
from bfe.places.models import Shelter

from ..models import Consultation, FollowUp
from ..selectors.followups import possible_owners


def _anchor(*, created_by, shelter, consultation):
    """(region, shelter) of a new follow-up, after checking both are in the creator's scope."""
    if consultation is not None:
        if not Consultation.objects.editable_by(created_by).filter(pk=consultation.pk).exists():
            raise PermissionDenied
        if shelter is not None and shelter.pk != consultation.shelter_id:
            raise ValidationError(
                _("Die Beratung fand in einer anderen Unterkunft statt."), code="mismatch"
            )
        return consultation.region, consultation.shelter
    if shelter is None:
        raise ValidationError(
            {"shelter": _("Bitte wählen Sie die Unterkunft, um die es geht.")}, code="no_anchor"
        )
    if not Shelter.objects.editable_by(created_by).filter(pk=shelter.pk).exists():
        raise PermissionDenied
    region = shelter.current_region()
    if region is None:
        raise ValidationError(
            {"shelter": _("Für den Bezirk dieser Unterkunft ist derzeit keine Region zuständig.")},
            code="no_region",
        )
    return region, shelter


@transaction.atomic
def create_follow_up(*, title, due_on, owner, created_by, shelter=None, consultation=None):
    """A staff member records a task for a consultation or a shelter in her scope.

    The region follows from the consultation (or from the shelter's current region); the
    owner must be a regional coordinator of that region or the project lead. A task on a
    consultation is also filed under the consultation's shelter, for the shelter's timeline.
    """
    if not Roles.of(created_by).is_bfe_staff:
        raise PermissionDenied
    region, shelter = _anchor(created_by=created_by, shelter=shelter, consultation=consultation)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte beschreiben Sie die Aufgabe.")}, code="no_title")
    if not possible_owners([region.pk]).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _(
                    "%(name)s kann diese Aufgabe nicht übernehmen: zuständig sein können die "
                    "Regionalkoordination von %(region)s und die Projektleitung."
                )
                % {"name": owner.get_full_name(), "region": region.name}
            },
            code="owner",
        )
    return FollowUp.objects.create(
        region=region,
        title=title,
        due_on=due_on,
        owner=owner,
        consultation=consultation,
        shelter=shelter,
        created_by=created_by,
    )


@transaction.atomic
def complete_follow_up(*, follow_up, by):
    """Mark a follow-up done. Completing it twice keeps the first completion time."""
    if not Roles.of(by).is_bfe_staff:
        raise PermissionDenied
    locked = FollowUp.objects.visible_to(by).select_for_update().filter(pk=follow_up.pk).first()
    if locked is None:
        raise PermissionDenied
    if locked.done_at is None:
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
    follow_up.done_at = locked.done_at
    return follow_up


# Reminders: the command queues them daily; each task claims its day before sending.


@dataclass(frozen=True)
class ReminderClaim:
    follow_up: FollowUp
    on: datetime.date
    previous: datetime.date | None


def queue_due_reminders(on=None):
    """Enqueue a reminder for every open follow-up due on `on` (today) or earlier that has not
    had one that day. Returns how many were queued; running it again the same day queues only
    those whose reminder has not gone out yet."""
    on = on or timezone.localdate()
    ids = list(FollowUp.objects.due(on).exclude(reminder_sent_on=on).values_list("pk", flat=True))
    with transaction.atomic():
        for follow_up_id in ids:
            enqueue_on_commit(
                "bfe.consultations.tasks.send_follow_up_reminder", follow_up_id=follow_up_id
            )
    return len(ids)


def claim_reminder(*, follow_up_id, on):
    """Record that the day's reminder of a due follow-up goes out; None if it is not due, done
    or already reminded that day. The conditional update makes the claim race-free."""
    previous = (
        FollowUp.objects.filter(pk=follow_up_id).values_list("reminder_sent_on", flat=True).first()
    )
    claimed = (
        FollowUp.objects.due(on)
        .filter(pk=follow_up_id)
        .exclude(reminder_sent_on=on)
        .update(reminder_sent_on=on)
    )
    if not claimed:
        return None
    follow_up = FollowUp.objects.select_related(
        "owner", "shelter", "consultation__shelter", "region"
    ).get(pk=follow_up_id)
    return ReminderClaim(follow_up=follow_up, on=on, previous=previous)


def release_reminder(claim):
    """Undo a claim whose e-mail could not be sent, so that a later run tries again."""
    FollowUp.objects.filter(pk=claim.follow_up.pk, reminder_sent_on=claim.on).update(
        reminder_sent_on=claim.previous
    )
