"""E-mails about event registrations, each in its recipient's language (plain text and HTML).

Where the recipient has a seat (or is invited), the event travels along as an .ics attachment
from `bfe.events.ical`: stable UID, the event's SEQUENCE, STATUS:CANCELLED once it is cancelled.
This module only builds messages; the tasks in `bfe.events.tasks` decide whether and when to
send them.
"""

from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from bfe.accounts.emails import absolute_url

from . import ical
from .models import Registration


class Mail(StrEnum):
    """The e-mails about a registration; each has email/event_<value>{_subject.txt,.txt,.html}."""

    CONFIRMED = "registration_confirmed"
    WAITLISTED = "registration_waitlisted"
    PROMOTED = "registration_promoted"
    GUEST_CONFIRM = "guest_confirm"
    GUEST_LINK = "guest_link"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    REMINDER = "reminder"


# E-mails that put the event into the recipient's calendar (or take it out again).
WITH_CALENDAR = {Mail.CONFIRMED, Mail.PROMOTED, Mail.REMINDER, Mail.CHANGED, Mail.CANCELLED}


def recipient_language(registration):
    if registration.person_id:
        return registration.person.language
    return registration.guest_language or settings.LANGUAGE_CODE


def calendar_attachment(event, *, show_online_url):
    """(filename, content, mimetype) of the event as an iCalendar file."""
    cal = ical.calendar([event], show_online_url=lambda _event: show_online_url)
    return (f"bfe-veranstaltung-{event.pk}.ics", ical.to_bytes(cal), "text/calendar")


def _message(*, template, context, to, language, attachment=None):
    """One e-mail from email/event_<template>_subject.txt, .txt and .html in the language."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/event_{template}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"email/event_{template}.txt", context)
        html = render_to_string(f"email/event_{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=to
    )
    message.attach_alternative(html, "text/html")
    if attachment:
        message.attach(*attachment)
    return message


def registration_message(registration, mail, *, manage_url, waitlist_position=None, message=""):
    """The e-mail `mail` about a registration, to its person or guest.

    `manage_url` is where the recipient sees and cancels her registration (her personal link
    for guests); `message` is the organisers' note on a cancellation.
    """
    mail = Mail(mail)
    event = registration.event
    has_seat = registration.status == Registration.Status.CONFIRMED
    shows_online_url = has_seat and mail != Mail.CANCELLED
    attachment = None
    if mail in WITH_CALENDAR and (has_seat or mail == Mail.CANCELLED):
        attachment = calendar_attachment(event, show_online_url=shows_online_url)
    context = {
        "mail": mail,
        "event": event,
        "registration": registration,
        "recipient_name": registration.display_name,
        "is_guest": registration.person_id is None,
        "has_seat": has_seat,
        "shows_online_url": shows_online_url,
        "waitlist_position": waitlist_position,
        "event_url": absolute_url(event.get_absolute_url()),
        "manage_url": manage_url,
        "message": message,
        "has_calendar": attachment is not None,
    }
    return _message(
        template=mail.value,
        context=context,
        to=[registration.email],
        language=recipient_language(registration),
        attachment=attachment,
    )


def region_invitation_message(event, person):
    """A coordinator's invitation to a Jour fixe of her region, with a one-click link to it."""
    context = {
        "event": event,
        "recipient_name": person.get_full_name(),
        "shows_online_url": False,
        "event_url": absolute_url(event.get_absolute_url()),
        "has_calendar": True,
    }
    return _message(
        template="invitation",
        context=context,
        to=[person.email],
        language=person.language,
        attachment=calendar_attachment(event, show_online_url=False),
    )
