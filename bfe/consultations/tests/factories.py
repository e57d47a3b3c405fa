"""Factories for consultations; places and people come from bfe.places.tests.factories."""

import datetime

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from bfe.accounts.tests.factories import UserFactory
from bfe.consultations.models import (
    Attachment,
    Consultation,
    ConsultationRequest,
    FollowUp,
    Format,
    Topic,
)
from bfe.consultations.services.contacts import record_consultation
from bfe.places.tests.factories import ShelterFactory, berlin_district, berlin_region


def topic(slug):
    """One of the migrated topics, e.g. topic("konflikte")."""
    return Topic.objects.get(slug=slug)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Testthema {n}")
    name_en = factory.Sequence(lambda n: f"Test topic {n}")
    slug = factory.Sequence(lambda n: f"testthema-{n}")
    position = 100


def _set_topics(obj, create, extracted, **kwargs):
    if create:
        obj.topics.set(extracted if extracted is not None else [topic("gewinnung")])


class ConsultationRequestFactory(DjangoModelFactory):
    """An open request from a shelter in Mitte (region Nord)."""

    class Meta:
        model = ConsultationRequest
        skip_postgeneration_save = True

    shelter = factory.LazyFunction(lambda: ShelterFactory(district=berlin_district("01")))
    region = factory.LazyFunction(lambda: berlin_region("nord"))
    requested_by = factory.SubFactory(UserFactory)
    preferred_format = Format.ON_SITE
    message = "Wir suchen Ideen, wie wir neue Freiwillige gewinnen."
    topics = factory.PostGeneration(_set_topics)


class ConsultationFactory(DjangoModelFactory):
    """A consultation in region Nord; pass `participants=[…]` for the consulted people."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    shelter = factory.LazyFunction(lambda: ShelterFactory(district=berlin_district("01")))
    region = factory.LazyFunction(lambda: berlin_region("nord"))
    held_on = datetime.date(2026, 10, 1)
    duration_minutes = 60
    format = Format.ON_SITE
    confidential_note = "Vertraulich: Konflikt mit der Heimleitung."
    next_steps = "Vorlage für Ehrenamtsvereinbarung schicken."
    logged_by = factory.SubFactory(UserFactory)
    topics = factory.PostGeneration(_set_topics)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)

    @factory.post_generation
    def shelter_contact(self, create, extracted, **kwargs):
        # As the log's services do: the outreach list reads the maintained last consultation.
        if create:
            record_consultation(shelter_id=self.shelter_id, held_on=self.held_on)


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    consultation = factory.SubFactory(ConsultationFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test\n", name="protokoll.pdf"))
    name = "protokoll.pdf"
    size = 14
    content_type = "application/pdf"


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    region = factory.LazyFunction(lambda: berlin_region("nord"))
    title = "Rückruf wegen Versicherungsfrage"
    due_on = datetime.date(2026, 12, 1)
    owner = factory.SubFactory(UserFactory)
    shelter = factory.LazyFunction(lambda: ShelterFactory(district=berlin_district("01")))
