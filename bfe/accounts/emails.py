"""E-mails of the accounts app, rendered in the recipient's language."""

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
