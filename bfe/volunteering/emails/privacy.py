"""The e-mail that tells a shelter's coordinator that a volunteer deleted her data or withdrew
her consent: no name, no more than the coordinator needs to know."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url

KINDS = ("erased", "consent_withdrawn")


def privacy_notice_message(*, recipient, shelter, kind):
    """The notice of `kind` ("erased" or "consent_withdrawn") about `shelter`, to `recipient`,
    in her language."""
    if kind not in KINDS:
        raise ValueError(kind)
    context = {
        "recipient_name": recipient.get_full_name(),
        "shelter": shelter,
        "site_url": settings.SITE_URL,
        "privacy_url": absolute_url(reverse("core:privacy")),
    }
    prefix = f"email/volunteering/privacy/{kind}"
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message
