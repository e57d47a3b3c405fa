"""Onboarding: the shelter's checklist (defaults made on first use), the steps done per
volunteer, and the erweitertes Führungszeugnis recorded as § 72a Abs. 5 SGB VIII allows:
inspected on, issued on, whether a relevant entry stands in the way. Never the document."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.core.queue import enqueue_on_commit

from ..models import AccessLog, ChecklistEntry, ChecklistItem, Clearance, Opportunity, Volunteer
from .access import log_access

Kind = ChecklistItem.Kind
REMINDER_TASK = "bfe.volunteering.tasks.pipeline.send_clearance_reminder"
REMINDER_DAYS_AHEAD = 30
# The standard steps every shelter starts with, in this order.
DEFAULT_KINDS = [
    Kind.AGREEMENT,
    Kind.PRIVACY_CONSENT,
    Kind.CLEARANCE,
    Kind.INSURANCE,
    Kind.INFECTION_BRIEFING,
]


def checklist_items(shelter, *, active_only=False):
    """The shelter's checklist, made from the defaults the first time it is needed."""
    items = ChecklistItem.objects.filter(shelter=shelter)
    if not items.exists():
        # ignore_conflicts: two first views at once make the defaults once (unique per kind).
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(shelter=shelter, kind=kind, position=(index + 1) * 10)
                for index, kind in enumerate(DEFAULT_KINDS)
            ],
            ignore_conflicts=True,
        )
    if active_only:
        items = items.filter(is_active=True)
    return items.order_by("position", "pk")


def add_checklist_item(*, shelter, label, position=None):
    """A step of the shelter's own."""
    label = (label or "").strip()
    if not label:
        raise ValidationError(_("Bitte geben Sie dem Schritt eine Bezeichnung."), code="label")
    if position is None:
        last = checklist_items(shelter).aggregate(last=Max("position"))["last"] or 0
        position = last + 10
    return ChecklistItem.objects.create(
        shelter=shelter, kind=Kind.CUSTOM, label=label[:200], position=position
    )


def update_checklist_item(*, item, label, position, is_active):
    """Rename, reorder, switch on or off. A standard step may keep its built-in name (empty
    label); a step of the shelter's own needs one."""
    label = (label or "").strip()
    if item.kind == Kind.CUSTOM and not label:
        raise ValidationError(_("Bitte geben Sie dem Schritt eine Bezeichnung."), code="label")
    item.label, item.position, item.is_active = label[:200], position, is_active
    item.save(update_fields=["label", "position", "is_active"])
    return item


@dataclass
class ChecklistRow:
    item: ChecklistItem
    entry: ChecklistEntry | None

    @property
    def is_clearance(self):
        return self.item.kind == Kind.CLEARANCE


def needs_of(volunteer):
    """Whether the person's opportunities (applied for or with shifts) need a clearance or the
    Infektionsschutz briefing: {"clearance": bool, "infection_briefing": bool}. One query."""
    flags = (
        Opportunity.objects.filter(
            Q(applications__volunteer=volunteer) | Q(shifts__signups__volunteer=volunteer)
        )
        .order_by()
        .aggregate(
            # Counts, not Max(): PostgreSQL has no max() of booleans.
            clearance=Count("pk", filter=Q(needs_clearance=True)),
            infection_briefing=Count("pk", filter=Q(area__needs_infection_briefing=True)),
        )
    )
    return {key: bool(value) for key, value in flags.items()}


def checklist_for(volunteer):
    """The steps that apply to this person, each with its entry where done: the clearance
    only where an opportunity needs one, the briefing only where an area does (and either
    wherever it was recorded already)."""
    entries = {entry.item_id: entry for entry in volunteer.checklist.all()}
    needs = needs_of(volunteer)
    rows = []
    for item in checklist_items(volunteer.shelter, active_only=True):
        conditional = {
            Kind.CLEARANCE: needs["clearance"],
            Kind.INFECTION_BRIEFING: needs["infection_briefing"],
        }
        if not conditional.get(item.kind, True) and item.pk not in entries:
            continue
        rows.append(ChecklistRow(item=item, entry=entries.get(item.pk)))
    return rows


def set_checklist_entry(*, volunteer, item, done_on, actor):
    """Tick a step as done on `done_on`, or untick it (done_on None)."""
    if item.shelter_id != volunteer.shelter_id:
        raise ValidationError(_("Dieser Schritt gehört zu einer anderen Unterkunft."))
    if done_on and done_on > timezone.localdate():
        raise ValidationError(_("Das Datum liegt in der Zukunft."), code="future")
    with transaction.atomic():
        if done_on:
            ChecklistEntry.objects.update_or_create(
                volunteer=volunteer,
                item=item,
                defaults={"done_on": done_on, "recorded_by": actor},
            )
        else:
            ChecklistEntry.objects.filter(volunteer=volunteer, item=item).delete()
        log_access(
            volunteer=volunteer,
            actor=actor,
            action=AccessLog.Action.EDIT,
            detail=f"Checkliste: {item.kind} {'erledigt' if done_on else 'offen'}",
        )


def reinspect_date(inspected_on):
    return inspected_on + relativedelta(years=settings.VOLUNTEER_CLEARANCE_REINSPECT_YEARS)


def record_clearance(*, volunteer, inspected_on, issued_on, has_relevant_entry, actor):
    """Store the three facts of the inspection and when to inspect again; ticks the
    checklist's clearance step where no relevant entry stands in the way."""
    if issued_on > inspected_on:
        raise ValidationError(
            {"issued_on": _("Das Zeugnis kann nicht nach der Einsichtnahme ausgestellt sein.")}
        )
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("Das Datum liegt in der Zukunft.")})
    reinspect_on = reinspect_date(inspected_on)
    with transaction.atomic():
        clearance = Clearance.objects.filter(volunteer=volunteer).first()
        if clearance is None:
            clearance = Clearance(volunteer=volunteer)
        if clearance.reinspect_on != reinspect_on:
            clearance.reminder_sent_at = None
        clearance.inspected_on = inspected_on
        clearance.issued_on = issued_on
        clearance.has_relevant_entry = has_relevant_entry
        clearance.reinspect_on = reinspect_on
        clearance.inspected_by = actor
        clearance.save()
        item = (
            checklist_items(volunteer.shelter, active_only=True).filter(kind=Kind.CLEARANCE).first()
        )
        if item is not None and not has_relevant_entry:
            ChecklistEntry.objects.update_or_create(
                volunteer=volunteer,
                item=item,
                defaults={"done_on": inspected_on, "recorded_by": actor},
            )
        elif has_relevant_entry:
            forget_clearance_entry(volunteer)
        log_access(
            volunteer=volunteer,
            actor=actor,
            action=AccessLog.Action.EDIT,
            detail="Führungszeugnis erfasst",
        )
    return clearance


def forget_clearance_entry(volunteer):
    ChecklistEntry.objects.filter(volunteer=volunteer, item__kind=Kind.CLEARANCE).delete()


def delete_clearance(*, volunteer, actor):
    """Remove what was recorded of the clearance (and its checklist tick)."""
    with transaction.atomic():
        deleted, _rows = Clearance.objects.filter(volunteer=volunteer).delete()
        forget_clearance_entry(volunteer)
        if deleted:
            log_access(
                volunteer=volunteer,
                actor=actor,
                action=AccessLog.Action.EDIT,
                detail="Führungszeugnis gelöscht",
            )
    return bool(deleted)


def due_clearances(today=None):
    """Clearances to inspect again within REMINDER_DAYS_AHEAD days (or overdue) whose
    coordinators have not been reminded yet, of people who have not ended."""
    today = today or timezone.localdate()
    return Clearance.objects.filter(
        reinspect_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD),
        reminder_sent_at__isnull=True,
    ).exclude(volunteer__stage=Volunteer.Stage.ENDED)


def queue_clearance_reminders(today=None):
    """Claim the due clearances (reminder_sent_at) and enqueue one e-mail per shelter and
    current coordinator. Idempotent: a second run finds nothing unclaimed. Shelters without
    a coordinator keep theirs unclaimed until someone holds the post. Returns the number of
    clearances claimed."""
    from bfe.places.models import CoordinatorPosition

    claimed = 0
    with transaction.atomic():
        rows = list(
            due_clearances(today)
            .select_for_update(of=("self",))
            .values_list("pk", "volunteer__shelter_id")
            .order_by("pk")
        )
        by_shelter = {}
        for pk, shelter_id in rows:
            by_shelter.setdefault(shelter_id, []).append(pk)
        coordinators = {}
        for shelter_id, person_id in (
            CoordinatorPosition.objects.current()
            .filter(shelter_id__in=by_shelter, person__isnull=False, person__is_active=True)
            .values_list("shelter_id", "person_id")
        ):
            coordinators.setdefault(shelter_id, set()).add(person_id)
        now = timezone.now()
        for shelter_id, clearance_ids in by_shelter.items():
            people = coordinators.get(shelter_id)
            if not people:
                continue
            claimed += Clearance.objects.filter(
                pk__in=clearance_ids, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            for person_id in sorted(people):
                enqueue_on_commit(
                    REMINDER_TASK,
                    shelter_id=shelter_id,
                    person_id=person_id,
                    clearance_ids=clearance_ids,
                )
    return claimed


def release_clearance_reminders(clearance_ids):
    """Undo a claim whose e-mail could not be sent, so that the next run tries again."""
    Clearance.objects.filter(pk__in=clearance_ids).update(reminder_sent_at=None)


def current_positions(shelter_id):
    """The shelter's current coordinator posts (for the reminder task's recipient check)."""
    from bfe.places.models import CoordinatorPosition

    return CoordinatorPosition.objects.current().filter(shelter_id=shelter_id)


def clearances_due_for(user, today=None, days=REMINDER_DAYS_AHEAD):
    """For a start page: the clearances of the viewer's own volunteers to inspect again within
    `days` days (or overdue), soonest first, whether reminded or not."""
    today = today or timezone.localdate()
    return (
        Clearance.objects.filter(
            volunteer__in=Volunteer.objects.visible_to(user),
            reinspect_on__lte=today + datetime.timedelta(days=days),
        )
        .exclude(volunteer__stage=Volunteer.Stage.ENDED)
        .select_related("volunteer")
        .order_by("reinspect_on", "volunteer__full_name")
    )
