"""Every change of places goes through these functions."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import CoordinatorPosition, Shelter, today


@transaction.atomic
def update_shelter(*, shelter, editor, form):
    """Save a validated ShelterForm for a shelter the editor may edit."""
    if not Shelter.objects.editable_by(editor).filter(pk=shelter.pk).exists():
        raise PermissionDenied
    return form.save()


@transaction.atomic
def start_position(*, shelter, person, starts_on=None, hours_per_week=None):
    """Give a person a coordinator post at a shelter, closing an open vacancy there."""
    starts_on = starts_on or today()
    existing = (
        CoordinatorPosition.objects.current(starts_on)
        .filter(shelter=shelter, person=person)
        .first()
    )
    if existing:
        return existing
    vacancy = (
        CoordinatorPosition.objects.current(starts_on)
        .select_for_update()
        .filter(shelter=shelter, person__isnull=True)
        .first()
    )
    if vacancy:
        if vacancy.starts_on == starts_on:
            vacancy.person = person
            vacancy.hours_per_week = hours_per_week or vacancy.hours_per_week
            vacancy.save(update_fields=["person", "hours_per_week"])
            return vacancy
        vacancy.ends_on = starts_on - datetime.timedelta(days=1)
        vacancy.save(update_fields=["ends_on"])
        hours_per_week = hours_per_week or vacancy.hours_per_week
    return CoordinatorPosition.objects.create(
        shelter=shelter, person=person, starts_on=starts_on, hours_per_week=hours_per_week
    )


@transaction.atomic
def end_position(*, position, ends_on=None, leave_vacancy=True):
    """End a post; by default the shelter keeps an open vacancy from the next day."""
    ends_on = ends_on or today()
    position.ends_on = ends_on
    position.full_clean()
    position.save(update_fields=["ends_on"])
    if leave_vacancy and position.person_id:
        return CoordinatorPosition.objects.create(
            shelter=position.shelter,
            person=None,
            starts_on=ends_on + datetime.timedelta(days=1),
            hours_per_week=position.hours_per_week,
        )
    return None
