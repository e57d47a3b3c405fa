"""E-mails of the imports part: the notice before a record is deleted for inactivity."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url

from ..services.links import volunteer_token
from ..services.retention import deletion_date

TEMPLATES = "email/volunteering/imports/"


def recipient(volunteer):
    return volunteer.email or (volunteer.user.email if volunteer.user_id else "")


def retention_notice_message(volunteer):
    """The notice: the day of deletion and the personal link that keeps the record."""
    token = volunteer_token(volunteer)
    context = {
        "recipient_name": volunteer.full_name,
        "shelter_name": volunteer.shelter.name,
        "deletion_on": deletion_date(volunteer),
        "keep_url": absolute_url(reverse("volunteering:retention_keep", args=[token])),
        "site_url": settings.SITE_URL,
    }
    with translation.override(volunteer.language or settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(TEMPLATES + "retention_notice_subject.txt", context).split()
        )
        context["subject"] = subject
        text = render_to_string(TEMPLATES + "retention_notice.txt", context)
        html = render_to_string(TEMPLATES + "retention_notice.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[recipient(volunteer)],
    )
    message.attach_alternative(html, "text/html")
    return message
