"""Helpers for the shift tests: shifts of the `opportunity` fixture and volunteers who may
take them."""

import datetime

from django.utils import timezone

from bfe.volunteering.models import Volunteer

from .factories import ShiftFactory, VolunteerFactory


def shift_in(opportunity, *, hours, slots=3, **kwargs):
    start = timezone.now() + datetime.timedelta(hours=hours)
    return ShiftFactory(
        opportunity=opportunity,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        slots=slots,
        **kwargs,
    )


def volunteers(shelter, count, stage=Volunteer.Stage.ACTIVE):
    return [VolunteerFactory(shelter=shelter, stage=stage) for _ in range(count)]
