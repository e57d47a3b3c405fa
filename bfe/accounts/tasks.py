"""Background work of the accounts app."""

from django.tasks import task

from . import emails
from .models import Invitation, hash_token


@task()
def send_invitation_email(*, invitation_id, token):
    """E-mail an invitation link, unless the invitation was meanwhile used, revoked or resent."""
    invitation = (
        Invitation.objects.select_related("region", "shelter", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    if invitation.token_hash != hash_token(token):
        return False
    emails.invitation_message(invitation, token).send()
    return True
