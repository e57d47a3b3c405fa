"""Factories for volunteering; places and people come from bfe.places.tests.factories and
bfe.accounts.tests.factories."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from bfe.places.tests.factories import ShelterFactory
from bfe.volunteering.models import (
    Application,
    Area,
    Opportunity,
    Shift,
    ShiftSignup,
    Volunteer,
)
from bfe.volunteering.services import records


def area(slug="sprachcafe"):
    """A migrated area, e.g. area("kinderbetreuung")."""
    return Area.objects.get(slug=slug)


def in_days(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class OpportunityFactory(DjangoModelFactory):
    """An open, regular Sprachcafé on Tuesdays, looking for two volunteers."""

    class Meta:
        model = Opportunity

    shelter = factory.SubFactory(ShelterFactory)
    district = factory.LazyAttribute(lambda o: o.shelter.district)
    area = factory.LazyFunction(area)
    title = factory.Sequence(lambda n: f"Sprachcafé {n}: Deutsch üben")
    description = "Wir treffen uns jeden Dienstag und üben gemeinsam Deutsch."
    schedule = Opportunity.Schedule.REGULAR
    weekdays = 2  # Tuesday
    volunteers_wanted = 2
    status = Opportunity.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)
    public_latitude = factory.LazyAttribute(lambda o: o.shelter.district.latitude)
    public_longitude = factory.LazyAttribute(lambda o: o.shelter.district.longitude)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Counted as the services count it, so that later service calls keep figures exact.
        opportunity = super()._create(model_class, *args, **kwargs)
        records.opportunity_status_changed(
            shelter_id=opportunity.shelter_id, old_status=None, new_status=opportunity.status
        )
        return opportunity


class VolunteerFactory(DjangoModelFactory):
    """A shelter's record of an active volunteer."""

    class Meta:
        model = Volunteer

    class Params:
        first_name = factory.Faker("first_name", locale="de_DE")
        last_name = factory.Faker("last_name", locale="de_DE")

    shelter = factory.SubFactory(ShelterFactory)
    full_name = factory.LazyAttribute(lambda v: f"{v.first_name} {v.last_name}")
    email = factory.Sequence(lambda n: f"freiwillige{n}@example.org")
    stage = Volunteer.Stage.ACTIVE
    source = Volunteer.Source.MANUAL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        volunteer = super()._create(model_class, *args, **kwargs)
        records.stage_changed(
            shelter_id=volunteer.shelter_id, old_stage=None, new_stage=volunteer.stage
        )
        return volunteer


class ApplicationFactory(DjangoModelFactory):
    """An application whose address is not yet confirmed."""

    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    full_name = "Amira Haddad"
    email = factory.Sequence(lambda n: f"bewerberin{n}@example.org")
    message = "Ich spreche Arabisch und habe dienstags Zeit."
    link_salt = factory.Sequence(lambda n: f"salt{n:08d}")
    consent_version = "2026-12"


class ShiftFactory(DjangoModelFactory):
    """A shift in 7 days, 10–12 o'clock, 3 slots."""

    class Meta:
        model = Shift

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: in_days(7, 10))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    slots = 3


class ShiftSignupFactory(DjangoModelFactory):
    class Meta:
        model = ShiftSignup

    shift = factory.SubFactory(ShiftFactory)
    volunteer = factory.LazyAttribute(
        lambda s: VolunteerFactory(shelter=s.shift.opportunity.shelter)
    )
    status = ShiftSignup.Status.CONFIRMED
