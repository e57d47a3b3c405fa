"""E-mails about shifts (promotion from the waiting list, assignment, a cancelled shift, the
reminder the day before), in the volunteer's language, plain text and HTML. Built only; the
task in tasks/shifts.py sends them."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATES = "email/volunteering/shifts"


def shift_message(signup, mail, *, manage_url, place):
    """The e-mail `mail` (services.shifts.Mail) about a sign-up, to its volunteer."""
    volunteer = signup.volunteer
    shift = signup.shift
    context = {
        "mail": mail,
        "signup": signup,
        "shift": shift,
        "opportunity": shift.opportunity,
        "shelter_name": shift.opportunity.shelter.name,
        "recipient_name": volunteer.full_name,
        "manage_url": manage_url,
        "place": place,
        "site_url": settings.SITE_URL,
    }
    language = volunteer.language if volunteer.language in {"de", "en"} else "de"
    with translation.override(language):
        place_text = str(place)
        context["place"] = place_text
        subject = " ".join(render_to_string(f"{TEMPLATES}/{mail}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATES}/{mail}.txt", context)
        html = render_to_string(f"{TEMPLATES}/{mail}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[volunteer.email]
    )
    message.attach_alternative(html, "text/html")
    return message
