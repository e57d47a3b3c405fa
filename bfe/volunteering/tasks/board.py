"""Background work of the board: the e-mails about applications, one task per e-mail, each
retried by `bfe.core.mail.deliver`. A task rebuilds the confirmation link from the
application's salt, so neither the queue nor the database holds it."""

from django.tasks import task

from bfe.accounts.models import User
from bfe.core.mail import deliver
from bfe.places.models import CoordinatorPosition

from ..emails import board as emails
from ..models import Application


def _application(application_id, status):
    return (
        Application.objects.select_related("opportunity__shelter")
        .filter(pk=application_id, status=status)
        .first()
    )


@task()
def send_application_confirmation(*, application_id, attempt=1):
    """The double opt-in link, unless the application was confirmed or expired meanwhile."""
    application = _application(application_id, Application.Status.UNCONFIRMED)
    if application is None:
        return False
    return deliver(
        emails.application_confirmation(application),
        retry_task=send_application_confirmation,
        attempt=attempt,
        application_id=application_id,
    )


@task()
def notify_coordinators(*, application_id):
    """One e-mail task per current coordinator of the shelter, so that one bad address
    delays nobody else. Returns how many were enqueued."""
    application = _application(application_id, Application.Status.CONFIRMED)
    if application is None:
        return 0
    person_ids = list(
        CoordinatorPosition.objects.current()
        .filter(
            shelter_id=application.opportunity.shelter_id,
            person__isnull=False,
            person__is_active=True,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person_id in person_ids:
        send_coordinator_notice.enqueue(application_id=application_id, person_id=person_id)
    return len(person_ids)


@task()
def send_coordinator_notice(*, application_id, person_id, attempt=1):
    application = _application(application_id, Application.Status.CONFIRMED)
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if application is None or person is None or not person.email:
        return False
    return deliver(
        emails.coordinator_notice(application, person),
        retry_task=send_coordinator_notice,
        attempt=attempt,
        application_id=application_id,
        person_id=person_id,
    )
