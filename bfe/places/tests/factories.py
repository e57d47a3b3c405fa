"""Factories for people, roles and places. Other apps' tests import them from here.

Berlin's 12 districts and 3 regions exist after migrating: use `berlin_district("01")` and
`berlin_region("nord")` where a test is about Berlin; the factories make fresh ones otherwise.
"""

import datetime
from decimal import Decimal
from functools import cache

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from bfe.accounts.models import Role, User
from bfe.places.models import CoordinatorPosition, District, Organisation, Region, Shelter

PASSWORD = "demo"


def password_hash():
    # Hashing is slow on purpose: hash once per test run and hasher (some tests pick a fast one).
    return _hash_with(settings.PASSWORD_HASHERS[0])


@cache
def _hash_with(hasher):
    return make_password(PASSWORD)


def berlin_district(number):
    return District.objects.get(number=number)


def berlin_region(slug):
    return Region.objects.get(slug=slug)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    class Params:
        first_name = factory.Faker("first_name", locale="de_DE")
        last_name = factory.Faker("last_name", locale="de_DE")

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.LazyAttribute(lambda user: f"{user.first_name} {user.last_name}")
    password = factory.LazyFunction(password_hash)


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


class RoleFactory(DjangoModelFactory):
    """A volunteer role by default; regional coordinators need `region=`."""

    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.VOLUNTEER
    region = None


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
