"""Consultations' share of "Meine Daten" (see bfe/core/personal_data.py): the consultations she
took part in (what a consulted person sees: date, form, topics, agreed next steps), the
requests she made and the follow-ups she owns as BfE staff.

Erasure keeps the records, which belong to the shelter and the region: she is removed from the
participants, her name from her requests and from the consultations she logged. Follow-ups
she owns go with her (they name her as the person responsible).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from bfe.core.personal_data import section

from .models import Consultation, ConsultationRequest, FollowUp, Topic


def _topics(obj):
    return [topic.label for topic in obj.topics.all()]


def export(user):
    topics = Prefetch("topics", queryset=Topic.objects.order_by("position", "name"))
    received = (
        Consultation.objects.filter(participants=user)
        .defer("confidential_note")
        .select_related("shelter")
        .prefetch_related(topics)
        .order_by("held_on", "pk")
    )
    requests = (
        ConsultationRequest.objects.filter(requested_by=user)
        .select_related("shelter")
        .prefetch_related(topics)
        .order_by("created_at", "pk")
    )
    follow_ups = FollowUp.objects.filter(owner=user).order_by("due_on", "pk")
    logged = Consultation.objects.filter(logged_by=user).count()
    return [
        section(
            "consultations.received",
            _("Beratungen, an denen Sie teilgenommen haben"),
            [
                {
                    _("Datum"): consultation.held_on,
                    _("Unterkunft"): consultation.shelter.name,
                    _("Form"): consultation.format_label,
                    _("Themen"): _topics(consultation),
                    _("Vereinbarte nächste Schritte"): consultation.next_steps,
                }
                for consultation in received
            ],
            note=_(
                "Die vertrauliche Notiz einer Beratung führt die Regionalkoordination über die "
                "Unterkunft; Auskunft darüber gibt Ihnen die Projektleitung."
            ),
        ),
        section(
            "consultations.requests",
            _("Ihre Beratungsanfragen"),
            [
                {
                    _("angefragt am"): request.created_at,
                    _("Unterkunft"): request.shelter.name,
                    _("Themen"): _topics(request),
                    _("gewünschte Form"): request.get_preferred_format_display(),
                    _("Dringlichkeit"): request.get_urgency_display(),
                    _("Nachricht"): request.message,
                    _("passende Zeiten"): request.preferred_times,
                    _("Status"): request.get_status_display(),
                    _("Termin"): request.scheduled_for,
                    _("Begründung der Absage"): request.decline_reason,
                }
                for request in requests
            ],
        ),
        section(
            "consultations.follow_ups",
            _("Ihre Aufgaben"),
            [
                {
                    _("Aufgabe"): follow_up.title,
                    _("fällig am"): follow_up.due_on,
                    _("erledigt am"): follow_up.done_at,
                }
                for follow_up in follow_ups
            ],
            note=_("Von Ihnen erfasste Beratungen: %(count)s.") % {"count": logged}
            if logged
            else "",
        ),
    ]


def erase(user):
    return {
        "participations_removed": Consultation.participants.through.objects.filter(
            user=user
        ).delete()[0],
        "requests_kept": ConsultationRequest.objects.filter(requested_by=user).update(
            requested_by=None
        ),
        "logged_kept": Consultation.objects.filter(logged_by=user).update(logged_by=None),
        "follow_ups_deleted": FollowUp.objects.filter(owner=user).delete()[0],
    }
