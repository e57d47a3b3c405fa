"""Every change of places goes through these functions."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import CoordinatorPosition, Shelter, today


@transaction.atomic
def update_shelter(*, shelter, editor, form):
    """Save a validated ShelterForm for a shelter the editor may edit (`shelter` is the form's
    instance, changed by validation). Only the shelter's BfE staff may move it to another
    district or close it: that moves it between regions."""
    if not Shelter.objects.editable_by(editor).filter(pk=shelter.pk).exists():
        raise PermissionDenied
    if not Shelter.objects.in_staff_care_of(editor).filter(pk=shelter.pk).exists():
        stored = Shelter.objects.values("district_id", "closed_on").get(pk=shelter.pk)
        if (shelter.district_id, shelter.closed_on) != (
            stored["district_id"],
            stored["closed_on"],
        ):
            raise PermissionDenied("Only BfE staff move a shelter or close it.")
    return form.save()


@transaction.atomic
def set_public_contact(*, position, editor, public):
    """Show or hide a post holder's name and work e-mail to everyone. Her own post for a
    coordinator; any post of the shelters a person looks after as BfE staff."""
    if not CoordinatorPosition.objects.contact_editable_by(editor).filter(pk=position.pk).exists():
        raise PermissionDenied
    position.public_contact = public
    position.save(update_fields=["public_contact"])
    return position


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
