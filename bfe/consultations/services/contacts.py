"""The maintained last consultation per shelter (`ShelterContact`), read by the outreach list.

Every service that creates, moves, re-dates or deletes a consultation calls one of these in its
transaction; `recompute_shelter_contacts` repairs them from the consultations themselves.
"""

from django.db.models import Max, Q

from ..models import Consultation, ShelterContact


def record_consultation(*, shelter_id, held_on):
    """A consultation was held at the shelter on `held_on`: the last date moves forward only.
    The conditional update locks the row, so concurrent logs keep the latest date; usually it
    is the only query."""
    contact = ShelterContact.objects.filter(
        Q(last_consultation_on__lt=held_on) | Q(last_consultation_on__isnull=True),
        shelter_id=shelter_id,
    )
    if contact.update(last_consultation_on=held_on):
        return
    # No row yet, or a later date already: create it, or move forward a row created meanwhile.
    _, created = ShelterContact.objects.get_or_create(
        shelter_id=shelter_id, defaults={"last_consultation_on": held_on}
    )
    if not created:
        contact.update(last_consultation_on=held_on)


def refresh_shelter_contacts(shelter_ids):
    """Recompute the last consultation of the given shelters from their consultations (after an
    edit or a deletion may have moved it back), locking their rows first."""
    shelter_ids = sorted(set(shelter_ids))
    if not shelter_ids:
        return
    for shelter_id in shelter_ids:
        ShelterContact.objects.get_or_create(shelter_id=shelter_id)
    list(ShelterContact.objects.select_for_update().filter(shelter_id__in=shelter_ids))
    latest = dict(
        Consultation.objects.filter(shelter_id__in=shelter_ids)
        .order_by()
        .values("shelter_id")
        .annotate(last=Max("held_on"))
        .values_list("shelter_id", "last")
    )
    for shelter_id in shelter_ids:
        ShelterContact.objects.filter(shelter_id=shelter_id).update(
            last_consultation_on=latest.get(shelter_id)
        )


def recompute_shelter_contacts():
    """Rebuild every shelter's maintained last consultation from all consultations; returns
    how many rows were wrong. For repair: the services keep them current."""
    latest = dict(
        Consultation.objects.order_by()
        .values("shelter_id")
        .annotate(last=Max("held_on"))
        .values_list("shelter_id", "last")
    )
    stored = dict(ShelterContact.objects.values_list("shelter_id", "last_consultation_on"))
    wrong = [
        shelter_id
        for shelter_id in set(latest) | set(stored)
        if latest.get(shelter_id) != stored.get(shelter_id)
    ]
    ShelterContact.objects.bulk_create(
        [ShelterContact(shelter_id=pk, last_consultation_on=latest.get(pk)) for pk in wrong],
        update_conflicts=True,
        unique_fields=["shelter"],
        update_fields=["last_consultation_on"],
        batch_size=2000,
    )
    return len(wrong)
