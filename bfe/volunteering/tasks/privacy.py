"""Background work of the privacy part: telling coordinators about a volunteer's erasure or
withdrawal of consent (see services/privacy.py)."""

from django.tasks import task

from bfe.accounts.models import User
from bfe.core.mail import deliver
from bfe.places.models import Shelter

from ..emails.privacy import privacy_notice_message


@task()
def send_privacy_notice(*, user_id, shelter_id, kind, attempt=1):
    """E-mail one coordinator of the shelter; returns whether it went out (retried on a
    failed delivery). Nobody is told who it was: the task holds ids only."""
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    shelter = Shelter.objects.filter(pk=shelter_id).first()
    if recipient is None or shelter is None:
        return False
    return deliver(
        privacy_notice_message(recipient=recipient, shelter=shelter, kind=kind),
        retry_task=send_privacy_notice,
        attempt=attempt,
        user_id=user_id,
        shelter_id=shelter_id,
        kind=kind,
    )
