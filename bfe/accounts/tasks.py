"""Background work of the accounts app.

Tasks take ids and render their e-mail when they run: the queue table keeps its arguments, and
links with tokens must not rest there.
"""

import logging

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import translation

from bfe.core.mail import deliver

from . import emails
from .models import Invitation, User, hash_token, invitation_token

logger = logging.getLogger(__name__)


@task()
def send_invitation_email(*, invitation_id, token_hash, attempt=1):
    """E-mail an invitation link, unless the invitation was meanwhile used, revoked or resent
    (`token_hash` names the link it was enqueued for). Returns whether it went out; a failed
    delivery is retried later."""
    invitation = (
        Invitation.objects.select_related("region", "shelter", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.token_hash != token_hash:
        return False
    token = invitation_token(invitation.token_salt)
    if hash_token(token) != token_hash:
        # Made before links were derived, or under another SECRET_KEY: only a resend helps.
        logger.warning("Invitation %s: the link cannot be rebuilt; resend it", invitation_id)
        return False
    return deliver(
        emails.invitation_message(invitation, token),
        retry_task=send_invitation_email,
        attempt=attempt,
        invitation_id=invitation_id,
        token_hash=token_hash,
    )


@task()
def send_password_reset_email(*, user_id, email, language, attempt=1):
    """E-mail a password-reset link to one of the person's addresses, made when the task runs.
    Returns whether it went out; a failed delivery is retried later with a fresh link."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(language):
        message = emails.password_reset_message(user, email)
    return deliver(
        message,
        retry_task=send_password_reset_email,
        attempt=attempt,
        user_id=user_id,
        email=email,
        language=language,
    )


@task()
def send_email_confirmation(*, email_address_id, signup, language, attempt=1):
    """E-mail the link that confirms an address, unless it was confirmed or removed meanwhile.
    Returns whether it went out; a failed delivery is retried later."""
    address = (
        EmailAddress.objects.select_related("user")
        .filter(pk=email_address_id, verified=False)
        .first()
    )
    if address is None:
        return False
    with translation.override(language):
        message = emails.email_confirmation_message(address, signup=signup)
    return deliver(
        message,
        retry_task=send_email_confirmation,
        attempt=attempt,
        email_address_id=email_address_id,
        signup=signup,
        language=language,
    )


@task()
def send_account_email(*, subject, body, html, to, from_email, attempt=1):
    """Send an e-mail of the login system that carries no token (an account already exists,
    unknown account …) as it was rendered when asked for. Returns whether it went out; a failed
    delivery is retried later."""
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
