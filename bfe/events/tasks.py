"""Background work of events: the e-mails about registrations and invitations.

Each e-mail is its own task, so that one unreachable mail server or address delays nobody else;
`bfe.core.mail.deliver` retries a failed delivery with a growing delay.
"""

from django.tasks import task
from django.urls import reverse

from bfe.accounts.emails import absolute_url
from bfe.accounts.models import User
from bfe.core.mail import MAX_ATTEMPTS, deliver

from . import emails
from .emails import Mail
from .models import Event, Registration
from .services import registration as registration_services

# MAX_ATTEMPTS stays importable from here, where the tests of these e-mails read it.
__all__ = ["MAX_ATTEMPTS", "send_region_invitation", "send_registration_email"]

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
