"""Background work of the materials library."""

from django.tasks import task

from .services import extraction


# A queue of its own: a 50 MB PDF keeps its worker busy for seconds, e-mails must not wait.
@task(queue_name="extraction")
def extract_version_text(*, version_id):
    """Read the text inside an uploaded file so that search finds it."""
    version = extraction.extract_version(version_id)
    return version.extraction_status if version else None
