"""Background work of the imports part: running a large import, and the retention notice."""

from django.tasks import task

from bfe.core.mail import deliver

from ..emails import imports as emails
from ..services import imports as import_services
from ..services import retention


@task()
def run_import_job(*, job_id):
    """Check and write an import whose file has too many rows for a request."""
    job = import_services.run_import(job_id=job_id)
    return job.status if job else None


@task()
def send_retention_notice(*, volunteer_id, attempt=1):
    """Tell a person that her record will be deleted, with her link to keep it; not where the
    notice was withdrawn meanwhile (she was active again). Returns whether it went out."""
    volunteer = retention.volunteer_due_for_notice_mail(volunteer_id)
    if volunteer is None:
        return False
    return deliver(
        emails.retention_notice_message(volunteer),
        retry_task=send_retention_notice,
        attempt=attempt,
        volunteer_id=volunteer_id,
    )
