"""E-mails of consultations, each rendered in its recipient's language (text and HTML)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url
from bfe.accounts.models import Role, User

from .models import ConsultationRequest

Status = ConsultationRequest.Status
UPDATE_TEMPLATES = {
    Status.SCHEDULED: "consultation_request_scheduled",
    Status.DECLINED: "consultation_request_declined",
    Status.DONE: "consultation_request_done",
}


def _message(*, template, context, to, language, reply_to=()):
    """One e-mail from email/<template>_subject.txt, .txt and .html in the given language."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=to,
        reply_to=[address for address in reply_to if address],
    )
    message.attach_alternative(html, "text/html")
    return message


def regional_coordinators_of(region):
    """Active people holding the regional coordinator role for the region."""
    return (
        User.objects.filter(
            is_active=True,
            role_set__kind=Role.Kind.REGIONAL_COORDINATOR,
            role_set__region=region,
        )
        .distinct()
        .order_by("pk")
    )


def request_received_messages(consultation_request):
    """The new request, to each of its region's coordinators in her language.

    Without a regional coordinator on the platform it goes to the region's contact address, in
    German; without that either, nobody is e-mailed (the request still waits in the inbox).
    """
    region = consultation_request.region
    requester = consultation_request.requested_by
    context = {
        "request": consultation_request,
        "requester": requester,
        "url": absolute_url(consultation_request.get_absolute_url()),
    }
    reply_to = [requester.email] if requester else []
    template = "consultation_request_received"
    recipients = list(regional_coordinators_of(region))
    if recipients:
        return [
            _message(
                template=template,
                context={**context, "recipient": person},
                to=[person.email],
                language=person.language,
                reply_to=reply_to,
            )
            for person in recipients
        ]
    if region.contact_email:
        return [
            _message(
                template=template,
                context={**context, "recipient": None, "to_contact_address": True},
                to=[region.contact_email],
                language=settings.LANGUAGE_CODE,
                reply_to=reply_to,
            )
        ]
    return []


def request_update_message(consultation_request):
    """The requester learns that her request is scheduled, declined or done."""
    requester = consultation_request.requested_by
    answered_by = consultation_request.answered_by
    return _message(
        template=UPDATE_TEMPLATES[consultation_request.status],
        context={
            "request": consultation_request,
            "recipient": requester,
            "answered_by": answered_by,
            "url": absolute_url(consultation_request.get_absolute_url()),
        },
        to=[requester.email],
        language=requester.language,
        reply_to=[answered_by.email] if answered_by else [],
    )


def follow_up_reminder_message(follow_up, *, on):
    """Reminds the owner of a task due on `on` or earlier."""
    owner = follow_up.owner
    return _message(
        template="followup_reminder",
        context={
            "follow_up": follow_up,
            "recipient": owner,
            "is_overdue": follow_up.due_on < on,
            "url": absolute_url(reverse("consultations:followups")),
        },
        to=[owner.email],
        language=owner.language,
    )
