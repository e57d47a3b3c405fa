"""E-mails of the library's moderation: a new suggestion to the admins, the decision to the
suggester, and the review reminder to the admins. Each in its recipient's language, plain text
and HTML; one task per e-mail, retried by `bfe.core.mail.deliver`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url
from bfe.accounts.models import Role, User
from bfe.core.mail import deliver

from .models import Material, Suggestion

TEMPLATES = "email/materials"


def _message(*, template, context, person):
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "recipient_name": person.get_full_name() or person.email,
    }
    with translation.override(getattr(person, "language", "") or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{TEMPLATES}/{template}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATES}/{template}.txt", context)
        html = render_to_string(f"{TEMPLATES}/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[person.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def material_url(material, name="materials:detail"):
    """The path of the material's page, or of another of its pages (`name`, e.g. materials:edit)."""
    return reverse(name, args=[material.pk])


def _absolute(path):
    return absolute_url(path) if path else ""


def moderators():
    """Who moderates the library and gets its reminders: the active admins (BfE's lead).
    Regional coordinators can moderate too, but are not mailed: one inbox decides."""
    return (
        User.objects.filter(is_active=True, role_set__kind=Role.Kind.ADMIN)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def suggestion_notice(suggestion, person):
    return _message(
        template="suggestion_new",
        context={
            "suggestion": suggestion,
            "suggester": suggestion.suggested_by,
            "url": absolute_url(reverse("materials:suggestion", args=[suggestion.pk])),
        },
        person=person,
    )


def decision_notice(suggestion):
    return _message(
        template="suggestion_decided",
        context={
            "suggestion": suggestion,
            "title": str(suggestion),
            "accepted": suggestion.status == Suggestion.Status.ACCEPTED,
            "material_url": _absolute(material_url(suggestion.created_material))
            if suggestion.created_material_id
            else "",
            "url": absolute_url(reverse("materials:my_suggestions")),
        },
        person=suggestion.suggested_by,
    )


def review_reminder(materials, person):
    return _message(
        template="review_reminder",
        context={
            "materials": [{"title": m.title, "url": _absolute(material_url(m))} for m in materials],
            "count": len(materials),
            "days": settings.MATERIAL_REVIEW_AFTER_DAYS,
            "url": absolute_url(reverse("materials:review")),
        },
        person=person,
    )


def _suggestion(suggestion_id):
    return (
        Suggestion.objects.select_related("suggested_by", "material", "created_material")
        .filter(pk=suggestion_id)
        .first()
    )


@task()
def notify_staff_of_suggestion(*, suggestion_id):
    """One e-mail task per moderator, so that one bad address delays nobody else."""
    suggestion = _suggestion(suggestion_id)
    if suggestion is None or suggestion.status != Suggestion.Status.PENDING:
        return 0
    person_ids = list(moderators().values_list("pk", flat=True))
    for person_id in person_ids:
        send_suggestion_notice.enqueue(suggestion_id=suggestion_id, person_id=person_id)
    return len(person_ids)


@task()
def send_suggestion_notice(*, suggestion_id, person_id, attempt=1):
    suggestion = _suggestion(suggestion_id)
    person = moderators().filter(pk=person_id).first()
    if suggestion is None or person is None:
        return False
    return deliver(
        suggestion_notice(suggestion, person),
        retry_task=send_suggestion_notice,
        attempt=attempt,
        suggestion_id=suggestion_id,
        person_id=person_id,
    )


@task()
def notify_suggester(*, suggestion_id, attempt=1):
    suggestion = _suggestion(suggestion_id)
    person = suggestion.suggested_by if suggestion else None
    if suggestion is None or suggestion.status == Suggestion.Status.PENDING:
        return False
    if person is None or not person.is_active or not person.email:
        return False
    return deliver(
        decision_notice(suggestion),
        retry_task=notify_suggester,
        attempt=attempt,
        suggestion_id=suggestion_id,
    )


@task()
def send_review_reminder(*, person_id, material_ids, attempt=1):
    """The admin's list of materials due for review; those reviewed meanwhile are left out."""
    person = moderators().filter(pk=person_id).first()
    materials = list(
        Material.objects.due_for_review().filter(pk__in=material_ids).order_by("title", "pk")
    )
    if person is None or not materials:
        return False
    return deliver(
        review_reminder(materials, person),
        retry_task=send_review_reminder,
        attempt=attempt,
        person_id=person_id,
        material_ids=material_ids,
    )
