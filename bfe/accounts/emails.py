"""E-mails of the accounts app, rendered in the recipient's language when their task runs.

Links with tokens (invitation, address confirmation, password reset) are made here, at send
time, so that the task queue holds ids only.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def invitation_message(invitation, token):
    """The invitation e-mail (plain text and HTML) with the absolute link to accept it."""
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "role": invitation.get_kind_display(),
            "scope": invitation.scope,
            "accept_url": absolute_url(reverse("accounts:invitation_accept", args=[token])),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("email/invitation_subject.txt", context)
        text = render_to_string("email/invitation.txt", context)
        html = render_to_string("email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[invitation.email],
        reply_to=[invitation.invited_by.email] if invitation.invited_by else [],
    )
    message.attach_alternative(html, "text/html")
    return message


def account_message(template_prefix, email, context):
    """An e-mail from allauth's templates (account/email/…), rendered without a request."""
    # allauth's own templates name the site as a request would give it: the host, twice.
    host = urlsplit(settings.SITE_URL).netloc
    site = SimpleNamespace(domain=host, name=host)
    context = {"email": email, "SITE_URL": settings.SITE_URL, "current_site": site} | context
    return get_adapter().render_mail(template_prefix, email, context)


def password_reset_message(user, email):
    """allauth's password-reset e-mail with a link made now; the link is valid from sending."""
    uid, key = user_pk_to_url_str(user), default_token_generator.make_token(user)
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
    context = {"user": user, "password_reset_url": absolute_url(url), "uid": uid, "key": key}
    return account_message("account/email/password_reset_key", email, context)


def email_confirmation_message(address, *, signup):
    """allauth's address-confirmation e-mail. The key is allauth's default HMAC one, signed from
    the address id with the SECRET_KEY, so it can be made here rather than stored."""
    key = EmailConfirmationHMAC(address).key
    context = {
        "user": address.user,
        "key": key,
        "activate_url": absolute_url(reverse("account_confirm_email", args=[key])),
    }
    suffix = "_signup" if signup else ""
    return account_message(f"account/email/email_confirmation{suffix}", address.email, context)
