"""Factories for events and training; places and people come from bfe.places.tests.factories."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from bfe.accounts.tests.factories import UserFactory
from bfe.events.models import (
    Audience,
    Document,
    Enrolment,
    Event,
    Registration,
    TrainingModule,
    TrainingSeries,
)
from bfe.places.tests.factories import berlin_region


def in_days(days, hour=10):
    """An aware datetime `days` from now at `hour` o'clock Berlin time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def module(level, number):
    """A migrated curriculum module, e.g. module("basis", 3)."""
    return TrainingModule.objects.get(level=level, number=number)


class EventFactory(DjangoModelFactory):
    """A published city-wide Werkstatt in 14 days, open to guests, 20 seats."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Werkstatt {n}: Engagement im Sozialraum")
    description = "Wir sprechen über **Nachbarschaft**."
    starts_at = factory.LazyFunction(lambda: in_days(14, 10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    venue_name = "Haus der Demokratie"
    venue_address = "Greifswalder Str. 4, 10405 Berlin"
    audience = Audience.GUESTS
    capacity = 20
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


class JourFixeFactory(EventFactory):
    """A Jour fixe of region Nord, for coordinators only."""

    kind = Event.Kind.JOUR_FIXE
    title = factory.Sequence(lambda n: f"Jour fixe Nord {n}")
    audience = Audience.COORDINATORS
    region = factory.LazyFunction(lambda: berlin_region("nord"))
    capacity = 25


class TrainingSeriesFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSeries
        django_get_or_create = ["level", "year"]

    level = TrainingSeries.Level.BASIS
    year = factory.LazyFunction(lambda: timezone.localdate().year + 1)
    title = factory.LazyAttribute(lambda s: f"Freiwilligenkoordination BfE – Basis {s.year}")
    seats = 16
    enrolment_opens_at = factory.LazyFunction(lambda: in_days(-10))
    enrolment_closes_at = factory.LazyFunction(lambda: in_days(30))
    is_published = True


class TrainingModuleEventFactory(EventFactory):
    """A module event of a training series; pass training_series= and module=."""

    kind = Event.Kind.TRAINING_MODULE
    audience = Audience.COORDINATORS
    title = factory.LazyAttribute(lambda event: event.module.title)
    capacity = factory.LazyAttribute(lambda event: event.training_series.seats)
    training_series = factory.SubFactory(TrainingSeriesFactory)
    module = factory.LazyFunction(lambda: module("basis", 1))


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    waitlisted_at = factory.LazyAttribute(
        lambda r: timezone.now() if r.status == Registration.Status.WAITLISTED else None
    )


class GuestRegistrationFactory(RegistrationFactory):
    person = None
    guest_name = factory.Sequence(lambda n: f"Gast {n}")
    guest_email = factory.Sequence(lambda n: f"gast{n}@example.org")
    guest_organisation = "Bezirksamt Pankow"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    series = factory.SubFactory(TrainingSeriesFactory)
    person = factory.SubFactory(UserFactory)
    status = Enrolment.Status.CONFIRMED


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    event = factory.SubFactory(EventFactory)
    kind = Document.Kind.MINUTES
    title = "Protokoll"
    text = "Vertrauliches Protokoll: Ergebnisse der Werkstatt."
