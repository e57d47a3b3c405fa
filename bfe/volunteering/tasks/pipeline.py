"""Background work of the pipeline: messages to volunteers and clearance reminders, each
e-mail a task of its own, retried by `bfe.core.mail.deliver`."""

from django.tasks import task

from bfe.accounts.models import User
from bfe.core.mail import MAX_ATTEMPTS, deliver

from ..emails import pipeline as emails
from ..models import Clearance, Message
from ..services import pipeline_messages, pipeline_onboarding


@task()
def send_volunteer_message(*, message_id, attempt=1):
    """Send a logged message, unless it went out or failed already; the log says how it went.
    Returns whether it went out now."""
    message = (
        Message.objects.select_related("volunteer", "sent_by")
        .filter(pk=message_id, status=Message.Status.QUEUED)
        .first()
    )
    if message is None:
        return False
    if not message.volunteer.email:
        pipeline_messages.mark_message(
            message_id=message_id, status=Message.Status.FAILED, error="no address"
        )
        return False
    sent = deliver(
        emails.volunteer_message(message),
        retry_task=send_volunteer_message,
        attempt=attempt,
        message_id=message_id,
    )
    if sent:
        pipeline_messages.mark_message(message_id=message_id, status=Message.Status.SENT)
    elif attempt >= MAX_ATTEMPTS:
        pipeline_messages.mark_message(
            message_id=message_id,
            status=Message.Status.FAILED,
            error=f"gave up after {attempt} attempts",
        )
    return sent


@task()
def send_clearance_reminder(*, shelter_id, person_id, clearance_ids, attempt=1):
    """Tell one coordinator whose clearances are due; nothing if the post or the records
    went meanwhile. Returns whether it went out now."""
    person = (
        User.objects.filter(
            pk=person_id,
            is_active=True,
            coordinator_positions__in=pipeline_onboarding.current_positions(shelter_id),
        )
        .distinct()
        .first()
    )
    clearances = list(
        Clearance.objects.filter(pk__in=clearance_ids, volunteer__shelter_id=shelter_id)
        .select_related("volunteer__shelter")
        .order_by("reinspect_on", "volunteer__full_name")
    )
    if person is None or not clearances:
        return False

    def release():
        if attempt >= MAX_ATTEMPTS:
            pipeline_onboarding.release_clearance_reminders(clearance_ids)

    return deliver(
        emails.clearance_reminder_message(
            shelter=clearances[0].volunteer.shelter, person=person, clearances=clearances
        ),
        retry_task=send_clearance_reminder,
        attempt=attempt,
        on_failure=release,
        shelter_id=shelter_id,
        person_id=person_id,
        clearance_ids=clearance_ids,
    )
