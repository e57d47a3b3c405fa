"""Background work of consultations: the e-mails about requests and follow-ups."""

from django.tasks import task
from django.utils import timezone

from bfe.core.mail import deliver

from . import emails
from .models import ConsultationRequest
from .services import followups as follow_up_services


def _request_with_details(request_id):
    return (
        ConsultationRequest.objects.select_related(
            "shelter__district", "region", "requested_by", "answered_by"
        )
        .prefetch_related("topics")
        .filter(pk=request_id)
        .first()
    )


@task()
def send_request_received(request_id, to=None, attempt=1):
    """E-mail a new request to its region's coordinators (or only to the address `to`);
    returns the number of e-mails sent now. A failed delivery is retried for its one
    recipient, so that the others do not get it twice."""
    consultation_request = _request_with_details(request_id)
    if consultation_request is None:
        return 0
    messages = emails.request_received_messages(consultation_request)
    if to is not None:
        messages = [message for message in messages if message.to == [to]]
    return sum(
        deliver(
            message,
            retry_task=send_request_received,
            attempt=attempt,
            request_id=request_id,
            to=message.to[0],
        )
        for message in messages
    )


@task()
def send_request_update(request_id, status, attempt=1):
    """Tell the requester that her request is scheduled, declined or done.

    Skipped when the request has moved on meanwhile (the newer change sends its own e-mail) or
    its requester has no active account any more.
    """
    consultation_request = _request_with_details(request_id)
    if consultation_request is None or consultation_request.status != status:
        return False
    requester = consultation_request.requested_by
    if requester is None or not requester.is_active:
        return False
    return deliver(
        emails.request_update_message(consultation_request),
        retry_task=send_request_update,
        attempt=attempt,
        request_id=request_id,
        status=status,
    )


@task()
def send_follow_up_reminder(follow_up_id, attempt=1):
    """Remind the owner of a due follow-up, at most once a day.

    The day's reminder is claimed before sending, so two workers (or the command run twice)
    never send it twice; if sending fails the claim is released and the task tries again later.
    """
    today = timezone.localdate()
    claim = follow_up_services.claim_reminder(follow_up_id=follow_up_id, on=today)
    if claim is None:
        return False
    if not claim.follow_up.owner.is_active:
        return False
    try:
        message = emails.follow_up_reminder_message(claim.follow_up, on=today)
    except Exception:
        follow_up_services.release_reminder(claim)
        raise
    return deliver(
        message,
        retry_task=send_follow_up_reminder,
        attempt=attempt,
        on_failure=lambda: follow_up_services.release_reminder(claim),
        follow_up_id=follow_up_id,
    )
