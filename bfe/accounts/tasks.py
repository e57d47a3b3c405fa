"""Background work of the accounts app."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from bfe.core.mail import deliver

from . import emails
from .models import Invitation, hash_token


@task()
def send_invitation_email(*, invitation_id, token, attempt=1):
    """E-mail an invitation link, unless the invitation was meanwhile used, revoked or resent.
    Returns whether it went out; a failed delivery is retried later."""
    invitation = (
        Invitation.objects.select_related("region", "shelter", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    if invitation.token_hash != hash_token(token):
        return False
    return deliver(
        emails.invitation_message(invitation, token),
        retry_task=send_invitation_email,
        attempt=attempt,
        invitation_id=invitation_id,
        token=token,
    )


@task()
def send_account_email(*, subject, body, html, to, from_email, attempt=1):
    """Send an e-mail of the login system (address confirmation, password reset …) as it was
    rendered when asked for. Returns whether it went out; a failed delivery is retried later."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return deliver(
        message,
        retry_task=send_account_email,
        attempt=attempt,
        subject=subject,
        body=body,
        html=html,
        to=to,
        from_email=from_email,
    )
