"""The shelter's pipeline: adding a person, moving her from stage to stage, notes.

Every change goes through `records` (so that the shelter's figures stay exact) and is written
to the access log. Messages and e-mail templates live in `pipeline_messages`, the onboarding
checklist and the clearance in `pipeline_onboarding`; their public functions are importable
from here too (the board part sends "thank you for applying" with `send_template_message`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AccessLog, Clearance, Note, Volunteer
from . import records
from .access import log_access
from .pipeline_messages import (  # noqa: F401  (re-exported)
    PLACEHOLDERS,
    render_placeholders,
    reset_template,
    save_template,
    send_message,
    send_template_message,
    template_for,
    validate_placeholders,
)
from .pipeline_onboarding import (  # noqa: F401  (re-exported)
    checklist_for,
    checklist_items,
    delete_clearance,
    forget_clearance_entry,
    queue_clearance_reminders,
    record_clearance,
    set_checklist_entry,
)

Stage = Volunteer.Stage
# The board's columns, left to right; "next" and "previous" move along this order.
STAGE_ORDER = list(Stage)


def add_volunteer(*, shelter, actor, full_name, email="", **fields):
    """A person the coordinator enters by hand (source MANUAL): the shelter's existing record
    of that address where there is one. Returns (volunteer, created)."""
    with transaction.atomic():
        volunteer, created = records.find_or_create_volunteer(
            shelter=shelter,
            full_name=full_name.strip(),
            email=email,
            source=Volunteer.Source.MANUAL,
            **fields,
        )
        log_access(
            volunteer=volunteer,
            actor=actor,
            action=AccessLog.Action.EDIT,
            detail="angelegt" if created else "erneut erfasst",
        )
    return volunteer, created


def change_stage(*, volunteer, stage, actor, end_reason="", end_note=""):
    """Move the record to `stage`: ENDED needs an end reason; any other stage clears it. The
    shelter's figures follow, stage_changed_at and last_activity_at are set, and a person who
    did not start loses her clearance (§ 72a: no purpose any more). Returns the record."""
    stage = Stage(stage)
    end_reason = end_reason or ""
    if stage == Stage.ENDED:
        if not end_reason:
            raise ValidationError(
                _("Bitte geben Sie an, warum das Engagement endet."), code="end_reason"
            )
        if end_reason not in Volunteer.EndReason.values:
            raise ValidationError(_("Diesen Grund gibt es nicht."), code="end_reason")
    else:
        end_reason, end_note = "", ""
    with transaction.atomic():
        # Under a lock, so that two simultaneous moves count the old stage once.
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        old_stage = locked.stage
        unchanged = (
            old_stage == stage
            and locked.end_reason == end_reason
            and locked.end_note == (end_note or "")
        )
        if unchanged:
            return locked
        now = timezone.now()
        if old_stage != stage:
            locked.stage_changed_at = now
        locked.stage = stage
        locked.end_reason = end_reason
        locked.end_note = (end_note or "")[:300]
        locked.last_activity_at = now
        locked.save(
            update_fields=[
                "stage",
                "stage_changed_at",
                "end_reason",
                "end_note",
                "last_activity_at",
            ]
        )
        records.stage_changed(shelter_id=locked.shelter_id, old_stage=old_stage, new_stage=stage)
        if stage == Stage.ENDED and end_reason == Volunteer.EndReason.DID_NOT_START:
            Clearance.objects.filter(volunteer=locked).delete()
            forget_clearance_entry(locked)
        log_access(
            volunteer=locked,
            actor=actor,
            action=AccessLog.Action.EDIT,
            detail=f"Stand: {old_stage} → {stage}" + (f" ({end_reason})" if end_reason else ""),
        )
    for name in ("stage", "stage_changed_at", "end_reason", "end_note", "last_activity_at"):
        setattr(volunteer, name, getattr(locked, name))
    return locked


def neighbour_stage(stage, direction):
    """The stage next to `stage` on the board ("next" or "previous"), or None at either end."""
    index = STAGE_ORDER.index(Stage(stage)) + (1 if direction == "next" else -1)
    if direction not in {"next", "previous"} or not 0 <= index < len(STAGE_ORDER):
        return None
    return STAGE_ORDER[index]


def move_on_board(*, volunteer, direction, actor):
    """Move a card one column to the right ("next") or left ("previous"). Ending needs a
    reason, so the board does not move into ENDED: the record's stage form does."""
    target = neighbour_stage(volunteer.stage, direction)
    if target is None:
        raise ValidationError(_("Weiter geht es in dieser Richtung nicht."), code="edge")
    if target == Stage.ENDED:
        raise ValidationError(
            _("Zum Beenden braucht es einen Grund: bitte im Eintrag der Person angeben."),
            code="end_reason",
        )
    return change_stage(volunteer=volunteer, stage=target, actor=actor)


def add_note(*, volunteer, author, text):
    """A coordinator's note on the record."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Die Notiz ist leer."), code="empty")
    with transaction.atomic():
        note = Note.objects.create(volunteer=volunteer, author=author, text=text)
        log_access(volunteer=volunteer, actor=author, action=AccessLog.Action.EDIT, detail="Notiz")
    return note


CONTACT_FIELDS = (
    "full_name",
    "email",
    "phone",
    "languages",
    "skills",
    "contact_preference",
    "language",
)


def update_contact(*, volunteer, actor, **fields):
    """Correct the person's contact data. An address another record of the shelter already
    has is refused (one record per person and shelter). Returns the record."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"update_contact() does not change {sorted(unknown)}")
    email = (fields.get("email", volunteer.email) or "").strip()
    fields["email"] = email
    taken = (
        email
        and Volunteer.objects.filter(shelter_id=volunteer.shelter_id, email__iexact=email)
        .exclude(pk=volunteer.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {"email": _("Diese Adresse hat schon eine andere Person Ihrer Unterkunft.")}
        )
    with transaction.atomic():
        changed = [name for name, value in fields.items() if getattr(volunteer, name) != value]
        for name in changed:
            setattr(volunteer, name, fields[name])
        if changed:
            volunteer.save(update_fields=changed)
            log_access(
                volunteer=volunteer,
                actor=actor,
                action=AccessLog.Action.EDIT,
                detail="Kontakt: " + ", ".join(changed),
            )
    return volunteer
