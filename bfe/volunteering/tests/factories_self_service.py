"""Factories of the self-service part: hours entries."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from bfe.volunteering.models import HoursEntry

from .factories import VolunteerFactory


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


class HoursEntryFactory(DjangoModelFactory):
    """Two confirmed hours of Sprachcafé, a week ago."""

    class Meta:
        model = HoursEntry

    volunteer = factory.SubFactory(VolunteerFactory)
    date = factory.LazyFunction(lambda: days_ago(7))
    hours = 2
    activity = "Sprachcafé"
    status = HoursEntry.Status.CONFIRMED
