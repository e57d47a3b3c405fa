"""E-mails to volunteers: the shelter's own templates (with German and English defaults where
it has none), placeholders, and every message logged on the person and sent by a task."""

import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bfe.core.queue import enqueue_on_commit

from ..models import AccessLog, Message, MessageTemplate
from .access import log_access

Kind = MessageTemplate.Kind
SEND_TASK = "bfe.volunteering.tasks.pipeline.send_volunteer_message"

# The placeholders a template may use, with what each stands for (shown on the page).
PLACEHOLDERS = {
    "name": gettext_noop("Name der oder des Freiwilligen"),
    "angebot": gettext_noop("Titel des Engagementangebots, auf das sie oder er sich beworben hat"),
    "unterkunft": gettext_noop("Name Ihrer Unterkunft"),
    "koordination": gettext_noop("Ihr Name (wer die Nachricht sendet)"),
}

# Marked for translation here, translated in the recipient's language when used.
DEFAULTS = {
    Kind.APPLICATION_THANKS: (
        gettext_noop("Danke für Ihre Bewerbung: {angebot}"),
        gettext_noop(
            "Guten Tag {name},\n\n"
            "vielen Dank für Ihr Interesse an „{angebot}“ in der Unterkunft {unterkunft}. "
            "Wir melden uns in den nächsten Tagen bei Ihnen, um ein erstes Gespräch zu "
            "vereinbaren.\n\n"
            "Viele Grüße\n{koordination}"
        ),
    ),
    Kind.FIRST_MEETING: (
        gettext_noop("Einladung zum Erstgespräch in der Unterkunft {unterkunft}"),
        gettext_noop(
            "Guten Tag {name},\n\n"
            "wir möchten Sie gern kennenlernen und laden Sie zu einem ersten Gespräch in die "
            "Unterkunft {unterkunft} ein. Bitte schreiben Sie uns zwei oder drei Termine, die "
            "Ihnen in den nächsten zwei Wochen passen.\n\n"
            "Viele Grüße\n{koordination}"
        ),
    ),
    Kind.FREE: (
        gettext_noop("Nachricht aus der Unterkunft {unterkunft}"),
        gettext_noop("Guten Tag {name},\n\n\n\nViele Grüße\n{koordination}"),
    ),
}


def validate_placeholders(text):
    """Raise a ValidationError naming what is wrong unless every {…} in `text` is one of
    PLACEHOLDERS, written plainly."""
    try:
        fields = [
            (name, spec, conversion)
            for _literal, name, spec, conversion in string.Formatter().parse(text or "")
            if name is not None
        ]
    except ValueError:
        raise ValidationError(
            _(
                "Eine geschweifte Klammer steht allein. Platzhalter schreiben Sie so: {name}; "
                "eine Klammer als Zeichen verdoppeln Sie: {{ oder }}."
            ),
            code="braces",
        ) from None
    allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(
                _("Den Platzhalter {%(name)s} gibt es nicht. Möglich sind: %(allowed)s."),
                params={
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else ""),
                    "allowed": allowed,
                },
                code="unknown_placeholder",
            )


def render_placeholders(text, values):
    """`text` with its placeholders filled in (validated first)."""
    validate_placeholders(text)
    return (text or "").format(**values)


def template_for(*, shelter, kind, language=None):
    """The shelter's wording of `kind` as {"subject", "body", "is_default"}; the default in
    `language` (the current one when None) where the shelter has none."""
    kind = Kind(kind)
    own = MessageTemplate.objects.filter(shelter=shelter, kind=kind).first()
    if own is not None:
        return {"subject": own.subject, "body": own.body, "is_default": False}
    subject, body = DEFAULTS[kind]
    with translation.override(language or translation.get_language()):
        return {"subject": _(subject), "body": _(body), "is_default": True}


def save_template(*, shelter, kind, subject, body):
    """Store the shelter's own wording of `kind` (placeholders checked)."""
    kind = Kind(kind)
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            validate_placeholders(text)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    template, _created = MessageTemplate.objects.update_or_create(
        shelter=shelter, kind=kind, defaults={"subject": subject.strip(), "body": body.strip()}
    )
    return template


def reset_template(*, shelter, kind):
    """Back to the default wording."""
    MessageTemplate.objects.filter(shelter=shelter, kind=Kind(kind)).delete()


def coordination_name(volunteer, actor=None):
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_full_name()
    names = [
        position.person.get_full_name()
        for position in volunteer.shelter.positions.current()
        .filter(person__isnull=False)
        .select_related("person")
    ]
    return ", ".join(names) or _("Ihr Koordinationsteam")


def placeholder_values(volunteer, actor=None):
    """What the placeholders stand for in a message to this volunteer, in her language."""
    application = (
        volunteer.applications.select_related("opportunity").order_by("-created_at").first()
    )
    with translation.override(volunteer.language or "de"):
        opportunity = (
            application.opportunity.title
            if application
            else _("ein Engagement in unserer Unterkunft")
        )
        return {
            "name": volunteer.full_name,
            "angebot": opportunity,
            "unterkunft": volunteer.shelter.name,
            "koordination": coordination_name(volunteer, actor),
        }


def preview(*, volunteer, subject, body, actor=None):
    """(subject, body) as the volunteer will read them."""
    values = placeholder_values(volunteer, actor)
    return render_placeholders(subject, values), render_placeholders(body, values)


def send_message(*, volunteer, kind, subject, body, actor=None):
    """Log the message on the person (queued), write MESSAGE to the access log and send it by
    a task once the transaction commits. Raises ValidationError for a person without an
    e-mail address or a wrong placeholder. Returns the Message."""
    if not volunteer.email:
        raise ValidationError(
            _("Für diese Person ist keine E-Mail-Adresse gespeichert."), code="no_email"
        )
    subject, body = preview(volunteer=volunteer, subject=subject, body=body, actor=actor)
    subject = " ".join(subject.split())[: Message._meta.get_field("subject").max_length]
    with transaction.atomic():
        message = Message.objects.create(
            volunteer=volunteer,
            kind=Kind(kind),
            subject=subject,
            body=body,
            sent_by=actor if actor is not None and actor.is_authenticated else None,
        )
        log_access(
            volunteer=volunteer, actor=actor, action=AccessLog.Action.MESSAGE, detail=subject
        )
        enqueue_on_commit(SEND_TASK, message_id=message.pk)
    return message


def send_template_message(*, volunteer, kind, actor=None):
    """Send the shelter's own template of `kind` (or the default in the volunteer's language)
    to the volunteer, e.g. "thank you for applying" once an application is confirmed. Returns
    the Message, or None when the person has no e-mail address."""
    if not volunteer.email:
        return None
    template = template_for(shelter=volunteer.shelter, kind=kind, language=volunteer.language)
    return send_message(
        volunteer=volunteer,
        kind=kind,
        subject=template["subject"],
        body=template["body"],
        actor=actor,
    )


def mark_message(*, message_id, status, error=""):
    """Record how the delivery went (the task calls this)."""
    from django.utils import timezone

    fields = {"status": Message.Status(status), "error": (error or "")[:300]}
    if status == Message.Status.SENT:
        fields["sent_at"] = timezone.now()
    Message.objects.filter(pk=message_id).update(**fields)
