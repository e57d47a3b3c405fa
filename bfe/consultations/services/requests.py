"""Consultation requests: a coordinator asks, her region's coordinators answer.

Every change of a ConsultationRequest goes through the functions below; the request pages read
through `selectors.requests`. E-mails go out through tasks, enqueued when the
transaction commits.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles, User
from bfe.core.queue import enqueue_on_commit

from ..models import ConsultationRequest, Format
from ..selectors.requests import ANSWERABLE_STATUSES

Status = ConsultationRequest.Status
Urgency = ConsultationRequest.Urgency

# A second identical request within this window is a double submit, not a new request.
DUPLICATE_WINDOW = datetime.timedelta(minutes=1)


class DuplicateRequest(ValidationError):
    """The same person sent the same request moments ago; `existing` is that request."""

    def __init__(self, existing):
        super().__init__(
            _("Diese Anfrage haben Sie gerade schon gesendet; sie ist bei uns eingegangen."),
            code="duplicate",
        )
        self.existing = existing


def _notify(task_name, **kwargs):
    enqueue_on_commit(f"bfe.consultations.tasks.{task_name}", **kwargs)


@transaction.atomic
def request_consultation(
    *,
    shelter,
    requested_by,
    topics,
    preferred_format=Format.ON_SITE,
    urgency=Urgency.NORMAL,
    message="",
    preferred_times="",
):
    """A coordinator asks her region's coordinators for a consultation.

    Only a current coordinator of the shelter may ask (PermissionDenied otherwise). The request
    belongs to the shelter's current region, whose coordinators are e-mailed once the
    transaction commits. The same request sent again within a minute raises DuplicateRequest
    instead of creating a second one.
    """
    if shelter.pk not in Roles.of(requested_by).shelter_ids:
        raise PermissionDenied
    topics = list(topics)
    if not topics:
        raise ValidationError(
            {"topics": _("Bitte wählen Sie mindestens ein Thema.")}, code="no_topics"
        )
    region = shelter.current_region()
    if region is None:
        raise ValidationError(
            _(
                "Für den Bezirk dieser Unterkunft ist derzeit keine Region zuständig. Bitte "
                "wenden Sie sich direkt an die Projektleitung."
            ),
            code="no_region",
        )
    message = message.strip()
    # Requests of one person are serialised, so that a double click cannot slip past the check.
    User.objects.select_for_update().get(pk=requested_by.pk)
    existing = (
        ConsultationRequest.objects.filter(
            shelter=shelter,
            requested_by=requested_by,
            message=message,
            status=Status.OPEN,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    if existing:
        raise DuplicateRequest(existing)
    consultation_request = ConsultationRequest.objects.create(
        shelter=shelter,
        region=region,
        requested_by=requested_by,
        preferred_format=preferred_format,
        urgency=urgency,
        message=message,
        preferred_times=preferred_times.strip(),
    )
    consultation_request.topics.set(topics)
    _notify("send_request_received", request_id=consultation_request.pk)
    return consultation_request


def _lock_answerable(consultation_request, by):
    """The request, locked, if `by` may answer it; PermissionDenied otherwise."""
    locked = (
        ConsultationRequest.objects.answerable_by(by)
        .select_for_update()
        .filter(pk=consultation_request.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _refuse_unless_answerable(consultation_request):
    if consultation_request.status not in ANSWERABLE_STATUSES:
        raise ValidationError(
            _("Diese Anfrage ist bereits %(status)s und kann nicht mehr geändert werden.")
            % {"status": consultation_request.get_status_display()},
            code="closed",
        )


def _copy_onto(target, source, fields):
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def schedule_request(*, request, by, scheduled_for):
    """Agree a date for an open (or already scheduled) request and tell the requester.

    `scheduled_for` is an aware datetime in the future. Scheduling again moves the date.
    """
    locked = _lock_answerable(request, by)
    _refuse_unless_answerable(locked)
    if scheduled_for <= timezone.now():
        raise ValidationError(
            _("Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen künftigen Termin."),
            code="past",
        )
    locked.status = Status.SCHEDULED
    locked.scheduled_for = scheduled_for
    locked.answered_by = by
    locked.save(update_fields=["status", "scheduled_for", "answered_by", "updated_at"])
    _copy_onto(request, locked, ["status", "scheduled_for", "answered_by_id", "updated_at"])
    _notify("send_request_update", request_id=locked.pk, status=Status.SCHEDULED)
    return request


@transaction.atomic
def decline_request(*, request, by, reason):
    """Decline an open or scheduled request with a reason the requester reads by e-mail."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Bitte schreiben Sie eine Begründung für die Absage."), code="no_reason"
        )
    locked = _lock_answerable(request, by)
    _refuse_unless_answerable(locked)
    locked.status = Status.DECLINED
    locked.decline_reason = reason
    locked.answered_by = by
    locked.save(update_fields=["status", "decline_reason", "answered_by", "updated_at"])
    _copy_onto(request, locked, ["status", "decline_reason", "answered_by_id", "updated_at"])
    _notify("send_request_update", request_id=locked.pk, status=Status.DECLINED)
    return request


@transaction.atomic
def mark_request_done(*, request, consultation):
    """The request was answered by a logged consultation: it is done, and linked to it.

    Called by the log when a consultation is saved for a request. Links the consultation to the
    request if it is not linked yet; a consultation answering another request is refused.
    Marking the same pair done twice changes nothing and sends no second e-mail.
    """
    locked = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
    if consultation.request_id not in (None, locked.pk):
        raise ValidationError(
            _("Diese Beratung beantwortet bereits eine andere Anfrage."), code="other_request"
        )
    if consultation.request_id is None:
        consultation.request = locked
        consultation.save(update_fields=["request", "updated_at"])
    if locked.status == Status.DONE:
        return request
    locked.status = Status.DONE
    locked.answered_by_id = locked.answered_by_id or consultation.logged_by_id
    locked.save(update_fields=["status", "answered_by", "updated_at"])
    _copy_onto(request, locked, ["status", "answered_by_id", "updated_at"])
    _notify("send_request_update", request_id=locked.pk, status=Status.DONE)
    return request
