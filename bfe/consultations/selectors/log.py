"""Reads of the log pages: what a person may see of consultations, scoped by the model's
QuerySet methods."""

from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from django.db.models.fetch_modes import FETCH_RAISE
from django.http import Http404
from django.shortcuts import get_object_or_404

from bfe.accounts.models import Roles, User
from bfe.places.models import Shelter

from ..models import Attachment, Consultation, ConsultationRequest, FollowUp


def readable_in_full_by(user):
    """Consultations whose confidential note and attachments a person may read.

    DESIGN.md gives them to the region's coordinators and BfE's lead: the same people who may
    edit the consultation, so this is `editable_by`, named for what the pages ask.
    """
    return Consultation.objects.editable_by(user)


def reads_as_staff(user):
    """Whether the person reads the log and timelines as BfE staff (the whole log of her
    regions with filters, follow-ups, links to people) rather than as a coordinator who was
    consulted (her own consultations only)."""
    return Roles.of(user).is_bfe_staff


def _participants():
    return Prefetch("participants", queryset=User.objects.order_by("full_name", "email"))


def log_for(user):
    """The consultations a person may see, newest first, with what the log lists.

    Only `visible_note` carries the note (empty where she may not read it); touching
    `confidential_note` on these rows raises instead of quietly loading it.
    """
    return (
        Consultation.objects.visible_to(user)
        .select_related("shelter__district", "logged_by")
        .prefetch_related("topics", _participants())
        .order_by("-held_on", "-pk")
        .fetch_mode(FETCH_RAISE)
    )


def consultation_for_detail(user, pk):
    """One consultation as the viewer may see it, or 404.

    `reads_in_full` says whether she may read the note and attachments; only then are the
    attachments and follow-ups loaded (`visible_attachments`, `visible_follow_ups`).
    """
    consultation = get_object_or_404(
        log_for(user)
        .select_related("request")
        .annotate(reads_in_full=Exists(readable_in_full_by(user).filter(pk=OuterRef("pk")))),
        pk=pk,
    )
    consultation.visible_attachments = []
    consultation.visible_follow_ups = []
    if consultation.reads_in_full:
        consultation.visible_attachments = list(
            Attachment.objects.filter(consultation=consultation).order_by("uploaded_at", "pk")
        )
        consultation.visible_follow_ups = list(
            FollowUp.objects.visible_to(user)
            .filter(consultation=consultation)
            .select_related("owner")
            .order_by("done_at", "due_on", "pk")
        )
    return consultation


def attachment_for_download(user, *, consultation_pk, pk):
    """An attachment of a consultation whose note the person may read, or 404."""
    return get_object_or_404(
        Attachment.objects.filter(consultation__in=readable_in_full_by(user)),
        consultation_id=consultation_pk,
        pk=pk,
    )


def shelters_to_log_for(user):
    """The shelters a person may log consultations for: those of her region (admins: all)."""
    return (
        Shelter.objects.positions_manageable_by(user)
        .select_related("district")
        .order_by("name", "pk")
    )


def request_to_answer(user, pk):
    """An open request the person may answer with a consultation, or 404."""
    # isdigit() alone lets "²" or "١٢" through, which int() then refuses.
    if not (str(pk).isascii() and str(pk).isdigit()):
        raise Http404
    return get_object_or_404(
        ConsultationRequest.objects.answerable_by(user).open().select_related("shelter"),
        pk=pk,
    )


def recently_consulted_shelters(user, limit=6):
    """The shelters the person logged consultations for most recently, for one-click logging."""
    return (
        shelters_to_log_for(user)
        .annotate(
            last_logged_on=Max("consultations__held_on", filter=Q(consultations__logged_by=user))
        )
        .filter(last_logged_on__isnull=False)
        .order_by("-last_logged_on", "name")[:limit]
    )
