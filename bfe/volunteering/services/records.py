"""The shelter's record of a person (`Volunteer`) and the figures kept with the shelter.

Every service that creates a record, deletes one or moves it to another stage goes through
here, so that `ShelterVolunteerFigures` stays exact without counting records on a page.
"""

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from ..models import Opportunity, ShelterVolunteerFigures, Volunteer

STAGE_FIELDS = {stage.value for stage in Volunteer.Stage}


def _adjust(shelter_id, **deltas):
    """Add the deltas to the shelter's figures, creating its row on first use. An F() update,
    so that simultaneous changes in one shelter add up instead of overwriting each other."""
    deltas = {field: delta for field, delta in deltas.items() if delta}
    if not deltas:
        return
    ShelterVolunteerFigures.objects.get_or_create(shelter_id=shelter_id)
    ShelterVolunteerFigures.objects.filter(shelter_id=shelter_id).update(
        **{field: F(field) + delta for field, delta in deltas.items()},
        updated_at=timezone.now(),
    )


def stage_changed(*, shelter_id, old_stage, new_stage):
    """Count a record's move from one stage to another (None: created or deleted)."""
    if old_stage == new_stage:
        return
    deltas = {}
    if old_stage:
        deltas[old_stage] = -1
    if new_stage:
        deltas[new_stage] = deltas.get(new_stage, 0) + 1
    _adjust(shelter_id, **deltas)


def opportunity_status_changed(*, shelter_id, old_status, new_status):
    was_open = old_status == Opportunity.Status.OPEN
    is_open = new_status == Opportunity.Status.OPEN
    if was_open != is_open:
        _adjust(shelter_id, open_opportunities=1 if is_open else -1)


def find_or_create_volunteer(*, shelter, full_name, email="", source, user=None, **fields):
    """The shelter's record of the person with this e-mail address (case-insensitive), made
    when there is none; returns (volunteer, created). Where it exists, empty fields are filled
    in from what is given, nothing entered earlier is overwritten."""
    email = (email or "").strip()
    with transaction.atomic():
        existing = (
            Volunteer.objects.select_for_update()
            .filter(shelter=shelter, email__iexact=email)
            .first()
            if email
            else None
        )
        if existing:
            changed = []
            for name, value in {"full_name": full_name, "user": user, **fields}.items():
                if value and not getattr(existing, name):
                    setattr(existing, name, value)
                    changed.append(name)
            existing.last_activity_at = timezone.now()
            existing.save(update_fields=[*changed, "last_activity_at"])
            return existing, False
        volunteer = Volunteer.objects.create(
            shelter=shelter, full_name=full_name, email=email, source=source, user=user, **fields
        )
        stage_changed(shelter_id=shelter.pk, old_stage=None, new_stage=volunteer.stage)
        return volunteer, True


def delete_volunteer(volunteer):
    """Remove a record with everything hanging on it; the shelter's counts follow."""
    with transaction.atomic():
        stage_changed(shelter_id=volunteer.shelter_id, old_stage=volunteer.stage, new_stage=None)
        volunteer.delete()


def recompute_figures(shelter_ids=None):
    """Count the figures anew from the records (the repair path, e.g. after a bulk import of
    demo data): returns the number of shelters written."""
    volunteers = Volunteer.objects.all()
    opportunities = Opportunity.objects.filter(status=Opportunity.Status.OPEN)
    if shelter_ids is not None:
        volunteers = volunteers.filter(shelter_id__in=shelter_ids)
        opportunities = opportunities.filter(shelter_id__in=shelter_ids)
    rows = {}
    for shelter_id, stage, count in (
        volunteers.values_list("shelter_id", "stage").annotate(n=Count("pk")).order_by()
    ):
        rows.setdefault(shelter_id, {})[stage] = count
    for shelter_id, count in (
        opportunities.values_list("shelter_id")
        .annotate(n=Count("pk"))
        .values_list("shelter_id", "n")
        .order_by()
    ):
        rows.setdefault(shelter_id, {})["open_opportunities"] = count
    with transaction.atomic():
        existing = ShelterVolunteerFigures.objects.all()
        if shelter_ids is not None:
            existing = existing.filter(shelter_id__in=shelter_ids)
        existing.delete()
        ShelterVolunteerFigures.objects.bulk_create(
            [
                ShelterVolunteerFigures(shelter_id=shelter_id, **counts)
                for shelter_id, counts in rows.items()
            ],
            batch_size=1000,
        )
    return len(rows)
