"""Factories for places: districts, regions, organisations, shelters and coordinator posts.
People and roles are in `bfe.accounts.tests.factories`; other apps' tests import both.

Berlin's 12 districts and 3 regions exist after migrating: use `berlin_district("01")` and
`berlin_region("nord")` where a test is about Berlin; the factories make fresh ones otherwise.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from bfe.accounts.tests.factories import UserFactory
from bfe.places.models import CoordinatorPosition, District, Organisation, Region, Shelter


def berlin_district(number):
    return District.objects.get(number=number)


def berlin_region(slug):
    return Region.objects.get(slug=slug)


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    number = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Testbezirk {n}")
    slug = factory.Sequence(lambda n: f"testbezirk-{n}")
    latitude = Decimal("52.520000")
    longitude = Decimal("13.405000")


class RegionFactory(DjangoModelFactory):
    """A current region; pass `districts=[…]`, or it gets one fresh district."""

    class Meta:
        model = Region
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testregion {n}")
    slug = factory.Sequence(lambda n: f"testregion-{n}")
    contact_email = factory.LazyAttribute(lambda region: f"{region.slug}@example.org")
    valid_from = datetime.date(2019, 1, 1)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if not create:
            return
        self.districts.set(extracted if extracted is not None else [DistrictFactory()])


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Hilfswerk Test {n} gGmbH")
    kind = Organisation.Kind.OPERATOR
    website = "https://traeger.example.com/"
    email = "info@traeger.example.com"


class ShelterFactory(DjangoModelFactory):
    """An open community shelter whose address is not public."""

    class Meta:
        model = Shelter

    name = factory.Sequence(lambda n: f"Gemeinschaftsunterkunft Testweg {n}")
    kind = Shelter.Kind.COMMUNITY
    operator = factory.SubFactory(OrganisationFactory)
    district = factory.SubFactory(DistrictFactory)
    street = factory.Sequence(lambda n: f"Testweg {n + 1}")
    postcode = "10115"
    latitude = factory.LazyAttribute(lambda shelter: shelter.district.latitude)
    longitude = factory.LazyAttribute(lambda shelter: shelter.district.longitude)
    capacity = 200
    residents = 150
    opened_on = datetime.date(2016, 3, 1)
    languages = factory.LazyFunction(lambda: ["ar", "uk"])


class CoordinatorPositionFactory(DjangoModelFactory):
    """A current, staffed post since 2024; `person=None` makes it an open vacancy."""

    class Meta:
        model = CoordinatorPosition

    shelter = factory.SubFactory(ShelterFactory)
    person = factory.SubFactory(UserFactory)
    starts_on = datetime.date(2024, 1, 1)
    ends_on = None
    hours_per_week = Decimal("20.0")


def shelter_form_data(shelter, **changes):
    """What the shelter form posts for `shelter` unchanged (the district as it is, not closed),
    with `changes` on top."""
    data = {
        "name": shelter.name,
        "kind": shelter.kind,
        "operator": shelter.operator_id or "",
        "district": shelter.district_id,
        "street": shelter.street,
        "postcode": shelter.postcode,
        "city": shelter.city,
        "latitude": shelter.latitude or "",
        "longitude": shelter.longitude or "",
        "capacity": shelter.capacity,
        "residents": shelter.residents,
        "opened_on": shelter.opened_on or "",
        "closed_on": "",
        "description": shelter.description,
        "languages": shelter.languages,
    }
    data.update(changes)
    return data
