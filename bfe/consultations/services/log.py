"""The regional coordinators' log of consultations: every change goes through these functions;
the log pages read through `selectors.log`.

Uploaded attachments are checked here (`check_upload`), so that every caller – the form, the API,
an import – refuses the same files.
"""

import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core.uploads import accept_attribute, check_upload
from bfe.places.models import CoordinatorPosition

from ..models import Attachment, Consultation, ConsultationRequest
from .contacts import record_consultation, refresh_shelter_contacts

# A repeated submission of the same form is recognised for this long.
SUBMISSION_KEY_SECONDS = 24 * 60 * 60


# Uploads are checked by bfe.core.uploads, the same rules as event documents.
ACCEPTED_EXTENSIONS = accept_attribute()


def _store_attachments(consultation, checked_uploads, uploaded_by, stored):
    for checked in checked_uploads:
        attachment = Attachment(
            consultation=consultation,
            name=checked.name,
            size=checked.size,
            content_type=checked.file_type.content_type,
            uploaded_by=uploaded_by,
        )
        checked.upload.seek(0)
        # A random name on disk: the stored path says nothing and cannot be guessed.
        attachment.file.save(
            f"{secrets.token_urlsafe(24)}{checked.extension}", checked.upload, save=False
        )
        stored.append(attachment.file.name)
        attachment.save()


def _delete_files(names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# Invariants ------------------------------------------------------------------------------------


class DuplicateSubmission(Exception):
    """The same form was sent twice; `consultation_id` is the first one's, once it is saved."""

    def __init__(self, consultation_id=None):
        super().__init__("duplicate submission")
        self.consultation_id = consultation_id


def _current_region(shelter):
    """The shelter's region today; a consultation cannot be logged for a shelter in none."""
    region = shelter.current_region()
    if region is None:
        raise ValidationError(
            _("Die Unterkunft liegt in keiner aktuellen Region."), code="no_region"
        )
    return region


def _refuse_unless_staff_of(user, region):
    roles = Roles.of(user)
    if not (roles.is_admin or region.pk in roles.region_ids):
        raise PermissionDenied


def _check_participants(shelter, participants):
    """Persons consulted must hold or have held a coordinator post at the shelter."""
    ids = {person.pk for person in participants}
    if not ids:
        return
    known = set(
        CoordinatorPosition.objects.filter(
            shelter=shelter, person__in=ids, starts_on__lte=timezone.localdate()
        ).values_list("person_id", flat=True)
    )
    if ids - known:
        raise ValidationError(
            _("Beraten werden können nur Koordinator:innen dieser Unterkunft."),
            code="participants",
        )


def _check_topics(topics, kept=()):
    if not topics:
        raise ValidationError(_("Bitte wählen Sie mindestens ein Thema."), code="topics")
    kept_ids = {topic.pk for topic in kept}
    if any(not topic.is_active and topic.pk not in kept_ids for topic in topics):
        raise ValidationError(_("Ausgemusterte Themen können nicht neu gewählt werden."))


def _check_request(consultation_request, *, logged_by, shelter):
    locked = ConsultationRequest.objects.select_for_update().get(pk=consultation_request.pk)
    if not ConsultationRequest.objects.answerable_by(logged_by).filter(pk=locked.pk).exists():
        raise PermissionDenied
    if locked.shelter_id != shelter.pk:
        raise ValidationError(
            _("Die Anfrage kam von einer anderen Unterkunft."), code="request_shelter"
        )
    if locked.status not in (
        ConsultationRequest.Status.OPEN,
        ConsultationRequest.Status.SCHEDULED,
    ):
        raise ValidationError(_("Diese Anfrage ist bereits abgeschlossen."), code="request_closed")
    if Consultation.objects.filter(request=locked).exists():
        raise ValidationError(
            _("Zu dieser Anfrage ist bereits eine Beratung erfasst."), code="request_answered"
        )
    return locked


def _claim_submission(user, submission_key):
    """Claim a form's one-time key; a second claim finds the first consultation (or none yet)."""
    if not submission_key:
        return None
    key = f"consultations:log:{user.pk}:{submission_key}"
    # add() is atomic in every cache backend we use: only one request wins the key.
    if not cache.add(key, 0, SUBMISSION_KEY_SECONDS):
        raise DuplicateSubmission(cache.get(key) or None)
    return key


# Changes ---------------------------------------------------------------------------------------


def log_consultation(
    *,
    logged_by,
    shelter,
    held_on,
    duration_minutes,
    format,
    participants,
    other_participants,
    topics,
    confidential_note,
    next_steps,
    request=None,
    files=(),
    submission_key=None,
):
    """Log a consultation of a shelter's coordinators, in one transaction.

    The region is the shelter's current one, and the logger must be its staff (or an admin):
    PermissionDenied otherwise. Persons consulted must be current or past coordinators of the
    shelter; topics must be active. A given `request` is answered: linked and marked done.
    Files are checked with `check_upload` and stored under random names.

    `submission_key` (a one-time key of the form) makes a repeated submission raise
    DuplicateSubmission instead of logging the consultation twice.
    """
    region = _current_region(shelter)
    _refuse_unless_staff_of(logged_by, region)
    checked_uploads = [check_upload(upload) for upload in files]
    claim = _claim_submission(logged_by, submission_key)
    stored = []
    try:
        with transaction.atomic():
            _check_participants(shelter, participants)
            _check_topics(topics)
            if request is not None:
                request = _check_request(request, logged_by=logged_by, shelter=shelter)
            consultation = Consultation.objects.create(
                region=region,
                shelter=shelter,
                held_on=held_on,
                duration_minutes=duration_minutes,
                format=format,
                other_participants=other_participants,
                confidential_note=confidential_note,
                next_steps=next_steps,
                request=request,
                logged_by=logged_by,
            )
            # A new consultation has no links yet: one INSERT each instead of set()'s reads.
            # (Its post_save already told the caches that consultations changed.)
            Participants, Topics = Consultation.participants.through, Consultation.topics.through
            Participants.objects.bulk_create(
                [Participants(consultation=consultation, user=person) for person in participants]
            )
            Topics.objects.bulk_create(
                [Topics(consultation=consultation, topic=topic) for topic in topics]
            )
            record_consultation(shelter_id=shelter.pk, held_on=held_on)
            _store_attachments(consultation, checked_uploads, logged_by, stored)
            if request is not None:
                from .requests import mark_request_done

                mark_request_done(request=request, consultation=consultation)
            if claim:
                transaction.on_commit(
                    lambda: cache.set(claim, consultation.pk, SUBMISSION_KEY_SECONDS)
                )
    except BaseException:
        _delete_files(stored)
        if claim:
            cache.delete(claim)
        raise
    return consultation


def update_consultation(
    *,
    consultation,
    edited_by,
    shelter,
    held_on,
    duration_minutes,
    format,
    participants,
    other_participants,
    topics,
    confidential_note,
    next_steps,
    files=(),
    remove_attachments=(),
):
    """Change a logged consultation of the editor's region (admins: any), in one transaction.

    Moving it to another shelter moves it to that shelter's current region, which the editor
    must also be staff of. Retired topics it already has may stay; new ones must be active.
    Removed attachments lose their files once the change is committed.
    """
    if not Consultation.objects.editable_by(edited_by).filter(pk=consultation.pk).exists():
        raise PermissionDenied
    checked_uploads = [check_upload(upload) for upload in files]
    stored = []
    try:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            previous = (locked.shelter_id, locked.held_on)
            if shelter.pk != locked.shelter_id:
                locked.region = _current_region(shelter)
                _refuse_unless_staff_of(edited_by, locked.region)
            _check_participants(shelter, participants)
            _check_topics(topics, kept=locked.topics.all())
            locked.shelter = shelter
            locked.held_on = held_on
            locked.duration_minutes = duration_minutes
            locked.format = format
            locked.other_participants = other_participants
            locked.confidential_note = confidential_note
            locked.next_steps = next_steps
            locked.save()
            if previous != (shelter.pk, held_on):
                refresh_shelter_contacts({previous[0], shelter.pk})
            locked.participants.set(participants)
            locked.topics.set(topics)
            removed = locked.attachments.filter(pk__in=[a.pk for a in remove_attachments])
            removed_files = [attachment.file.name for attachment in removed]
            removed.delete()
            transaction.on_commit(lambda: _delete_files(removed_files))
            _store_attachments(locked, checked_uploads, edited_by, stored)
    except BaseException:
        _delete_files(stored)
        raise
    return locked
