"""Suggestions of coordinators and their moderation by BfE staff.

`suggest` stores a proposal (a new material, or a correction of one the person can see) and
tells the admins; `accept` and `reject` decide it and tell the suggester. Each is one
transaction; the e-mails go once it is committed. A decision locks the suggestion's row, so a
double POST of "accept" creates one material.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles

from .. import emails
from ..models import Category, Material, Suggestion
from . import library

DEFAULT_CATEGORY_SLUG = "vorlagen"


def may_suggest(user):
    roles = Roles.of(user)
    return roles.is_coordinator or roles.is_bfe_staff


def _check_staff(user):
    if not Roles.of(user).is_bfe_staff:
        raise PermissionDenied


@transaction.atomic
def suggest(*, by, message, title="", url="", checked_upload=None, category=None, material=None):
    """Store a suggestion of `by` (a coordinator or BfE staff); with `material` it is a
    correction of that material, which she must be able to see. `checked_upload` is the
    result of `bfe.core.uploads.check_upload`."""
    if not may_suggest(by):
        raise PermissionDenied
    if material is not None and not Material.objects.visible_to(by).filter(pk=material.pk).exists():
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Bitte schreiben Sie, worum es geht."))
    suggestion = Suggestion(
        kind=Suggestion.Kind.CORRECTION if material else Suggestion.Kind.NEW,
        material=material,
        title=(title or "").strip(),
        url=(url or "").strip(),
        message=message,
        category=category,
        suggested_by=by,
    )
    if checked_upload is not None:
        checked_upload.upload.seek(0)
        suggestion.file_name = checked_upload.name
        # A random folder: the path of a suggested file cannot be guessed.
        suggestion.file.save(
            f"{secrets.token_urlsafe(12)}/{checked_upload.name}", checked_upload.upload, save=False
        )
    suggestion.save()
    transaction.on_commit(
        lambda: emails.notify_staff_of_suggestion.enqueue(suggestion_id=suggestion.pk)
    )
    return suggestion


def _locked_pending(suggestion):
    """The suggestion's row, locked; None once it was decided (a second POST)."""
    return (
        Suggestion.objects.select_for_update()
        .filter(pk=suggestion.pk, status=Suggestion.Status.PENDING)
        .first()
    )


def _default_category():
    return (
        Category.objects.filter(slug=DEFAULT_CATEGORY_SLUG).first()
        or Category.objects.order_by("position", "pk").first()
    )


def _create_material(*, suggestion, by):
    """The material of an accepted new suggestion, internal until staff decide otherwise: a
    link, or the suggested file as its first version (checked again on the way in)."""
    category = suggestion.category or _default_category()
    if category is None:
        raise ValidationError(_("Es gibt noch keine Kategorie; bitte legen Sie zuerst eine an."))
    has_file = bool(suggestion.file)
    if not has_file and not suggestion.url:
        raise ValidationError(
            _("Der Vorschlag hat weder Link noch Datei: legen Sie das Material selbst an.")
        )
    today = timezone.localdate()
    fields = {
        "kind": Material.Kind.FILE if has_file else Material.Kind.LINK,
        "title": (suggestion.title or suggestion.file_name or suggestion.url)[:200],
        "summary": suggestion.message[:2000],
        "category": category,
        "audience": Material.Audience.INTERNAL,
        "url": "" if has_file else suggestion.url,
        "published_on": today,
        "reviewed_on": today,
    }
    if not has_file:
        return library.create_material(by=by, **fields)
    with suggestion.file.open("rb") as stored:
        name = suggestion.file_name or stored.name.rsplit("/", 1)[-1]
        return library.create_material(by=by, upload=File(stored.file, name=name), **fields)


@transaction.atomic
def accept(*, suggestion, by):
    """Accept a pending suggestion: a new one becomes an internal material that staff can then
    edit; a correction is marked accepted (staff apply it on the material's edit page).
    Returns the suggestion; deciding it again changes nothing."""
    _check_staff(by)
    locked = _locked_pending(suggestion)
    if locked is None:
        return Suggestion.objects.get(pk=suggestion.pk)
    if locked.kind == Suggestion.Kind.NEW:
        locked.created_material = _create_material(suggestion=locked, by=by)
    locked.status = Suggestion.Status.ACCEPTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "created_material"])
    transaction.on_commit(lambda: emails.notify_suggester.enqueue(suggestion_id=locked.pk))
    return locked


@transaction.atomic
def reject(*, suggestion, by, reason):
    """Reject a pending suggestion; the reason (required) goes to the suggester."""
    _check_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    locked = _locked_pending(suggestion)
    if locked is None:
        return Suggestion.objects.get(pk=suggestion.pk)
    locked.status = Suggestion.Status.REJECTED
    locked.reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    transaction.on_commit(lambda: emails.notify_suggester.enqueue(suggestion_id=locked.pk))
    return locked
