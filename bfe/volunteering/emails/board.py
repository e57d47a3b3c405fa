"""E-mails of the board: the confirmation link of an application, the thank-you once it is
confirmed, and the notice to the shelter's coordinators. Each in its recipient's language,
plain text and HTML; the tasks in tasks/board.py send them."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url

from ..services import links

TEMPLATES = "email/volunteering/board"


def _message(*, template, context, to, language):
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{TEMPLATES}/{template}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATES}/{template}.txt", context)
        html = render_to_string(f"{TEMPLATES}/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=to
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_link(application):
    token = links.application_token(application)
    return absolute_url(reverse("volunteering:board_confirm", args=[token]))


def application_confirmation(application):
    """To the applicant: confirm your address (the double opt-in link)."""
    return _message(
        template="application_confirm",
        context={
            "recipient_name": application.full_name,
            "opportunity": application.opportunity,
            "confirm_url": confirmation_link(application),
            "hours": settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS,
        },
        to=[application.email],
        language=application.language,
    )


def coordinator_notice(application, coordinator):
    """To one coordinator of the shelter: a confirmed application, with the way to it."""
    return _message(
        template="application_notice",
        context={
            "recipient_name": coordinator.get_full_name() or coordinator.email,
            "application": application,
            "opportunity": application.opportunity,
            "manage_url": absolute_url(reverse("volunteering:board_manage")),
        },
        to=[coordinator.email],
        language=getattr(coordinator, "language", "") or settings.LANGUAGE_CODE,
    )
