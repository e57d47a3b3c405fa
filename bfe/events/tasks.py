"""Background work of events: the e-mails about registrations and invitations.

Each e-mail is its own task, so that one unreachable mail server or address delays nobody else.
Django's tasks framework does not retry by itself: a task whose SMTP delivery fails enqueues
itself again with a growing delay (where the backend can defer, as django-tasks-db can) and
gives up, logging an error, after MAX_ATTEMPTS.
"""

import datetime
import logging
import smtplib

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.emails import absolute_url
from bfe.accounts.models import User

from . import emails
from .emails import Mail
from .models import Event, Registration
from .services import registration as registration_services

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Delay before attempt 2, 3, 4, 5.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 30, 120)]
# Errors worth another try later: the mail server is down, busy, or refused for now.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)

Status = Registration.Status
# Which registrations an e-mail still applies to when the task runs.
STILL_DUE = {
    Mail.CONFIRMED: {Status.CONFIRMED},
    Mail.PROMOTED: {Status.CONFIRMED},
    Mail.REMINDER: {Status.CONFIRMED},
    Mail.WAITLISTED: {Status.WAITLISTED},
    Mail.GUEST_CONFIRM: {Status.UNCONFIRMED},
    Mail.GUEST_LINK: {Status.CONFIRMED, Status.WAITLISTED},
    Mail.CHANGED: {Status.CONFIRMED, Status.WAITLISTED},
    Mail.CANCELLED: {Status.CONFIRMED, Status.WAITLISTED},
}


def deliver(email, /, *, retry_task, attempt, **task_kwargs):
    """Send the e-mail; on a transient failure enqueue `retry_task` again, at most
    MAX_ATTEMPTS times in all. Returns whether the e-mail went out now."""
    try:
        email.send()
    except TRANSIENT_ERRORS as error:
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Giving up on %s %s after %d attempts: %s",
                retry_task.name,
                task_kwargs,
                attempt,
                error,
            )
            return False
        logger.warning(
            "%s %s failed (attempt %d), retrying: %s", retry_task.name, task_kwargs, attempt, error
        )
        later = retry_task
        if retry_task.get_backend().supports_defer:
            later = retry_task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
        later.enqueue(attempt=attempt + 1, **task_kwargs)
        return False
    return True


def _manage_url(registration):
    if registration.person_id:
        return absolute_url(reverse("events:my_registrations"))
    token = registration_services.guest_token(registration)
    return absolute_url(reverse("events:guest_manage", args=[token]))


@task()
def send_registration_email(*, registration_id, mail, message="", attempt=1):
    """E-mail a registration's person or guest, unless the registration moved on meanwhile
    (e.g. a confirmation for a seat cancelled since). Returns whether it went out."""
    mail = Mail(mail)
    registration = (
        Registration.objects.select_related("event", "person").filter(pk=registration_id).first()
    )
    if registration is None or registration.status not in STILL_DUE[mail]:
        return False
    if registration.person_id and not registration.person.is_active:
        return False
    if mail == Mail.REMINDER and registration.event.status != Event.Status.PUBLISHED:
        return False
    built = emails.registration_message(
        registration,
        mail,
        manage_url=_manage_url(registration),
        waitlist_position=registration_services.waitlist_position(registration),
        message=message,
    )
    return deliver(
        built,
        retry_task=send_registration_email,
        attempt=attempt,
        registration_id=registration_id,
        mail=mail.value,
        message=message,
    )


@task()
def send_region_invitation(*, event_id, person_id, attempt=1):
    """Invite a coordinator to a Jour fixe of her region, unless it is no longer published or
    her account was closed. Returns whether it went out."""
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED).first()
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if event is None or person is None:
        return False
    return deliver(
        emails.region_invitation_message(event, person),
        retry_task=send_region_invitation,
        attempt=attempt,
        event_id=event_id,
        person_id=person_id,
    )
