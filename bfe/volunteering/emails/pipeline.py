"""E-mails of the pipeline: a coordinator's message to a volunteer (her own words, plain
text), and the reminder to coordinators about clearances to inspect again."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url

from ..services import links

TEMPLATES = "email/volunteering/pipeline/"


def volunteer_message(message):
    """The coordinator's message as she wrote it, replies going to her where she sent it,
    with the person's own link below (her shifts, calendar and data without an account). The
    link is added here, at sending, so that the logged message never holds it."""
    reply_to = [message.sent_by.email] if message.sent_by_id and message.sent_by.email else []
    volunteer = message.volunteer
    with translation.override(volunteer.language or settings.LANGUAGE_CODE):
        footer = render_to_string(
            TEMPLATES + "personal_link.txt",
            {
                "shifts_url": absolute_url(
                    reverse("volunteering:shifts_link", args=[links.volunteer_token(volunteer)])
                ),
                "data_url": absolute_url(
                    reverse("volunteering:privacy_record", args=[links.volunteer_token(volunteer)])
                ),
            },
        )
    return EmailMessage(
        subject=message.subject,
        body=f"{message.body.rstrip()}\n\n-- \n{footer.strip()}\n",
        to=[message.volunteer.email],
        reply_to=reply_to,
    )


def clearance_reminder_message(*, shelter, person, clearances):
    """To one coordinator: whose erweitertes Führungszeugnis to inspect again, and when."""
    context = {
        "shelter": shelter,
        "recipient_name": person.get_full_name(),
        "clearances": [
            {
                "name": clearance.volunteer.full_name,
                "reinspect_on": clearance.reinspect_on,
                "url": absolute_url(
                    reverse("volunteering:volunteer", args=[clearance.volunteer_id])
                ),
            }
            for clearance in clearances
        ],
        "site_url": settings.SITE_URL,
    }
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(TEMPLATES + "clearance_reminder_subject.txt", context).split()
        )
        text = render_to_string(TEMPLATES + "clearance_reminder.txt", context)
    return EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[person.email]
    )
