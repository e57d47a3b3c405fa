"""Background work of consultations: the e-mails about requests and follow-ups."""

from django.tasks import task
from django.utils import timezone

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
def send_request_received(request_id):
    """E-mail a new request to its region's coordinators; returns the number of e-mails."""
    consultation_request = _request_with_details(request_id)
    if consultation_request is None:
        return 0
    messages = emails.request_received_messages(consultation_request)
    for message in messages:
        message.send()
    return len(messages)


@task()
def send_request_update(request_id, status):
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
    emails.request_update_message(consultation_request).send()
    return True


@task()
def send_follow_up_reminder(follow_up_id):
    """Remind the owner of a due follow-up, at most once a day.

    The day's reminder is claimed before sending, so two workers (or the command run twice)
    never send it twice; if sending fails the claim is released and a later run tries again.
    """
    today = timezone.localdate()
    claim = follow_up_services.claim_reminder(follow_up_id=follow_up_id, on=today)
    if claim is None:
        return False
    if not claim.follow_up.owner.is_active:
        return False
    try:
        emails.follow_up_reminder_message(claim.follow_up, on=today).send()
    except Exception:
        follow_up_services.release_reminder(claim)
        raise
    return True
