"""Fixtures shared by the consultation tests: staff sign in without TOTP (the accounts tests
cover TOTP), and the people of one shelter in region Nord."""

import pytest

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)


@pytest.fixture(autouse=True)
def _no_two_factor_here(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def shelter():
    return ShelterFactory(name="GU Am Wiesengrund", district=berlin_district("01"))


@pytest.fixture
def coordinator(shelter):
    person = UserFactory(full_name="Erika Ehrenamt")
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


@pytest.fixture
def regional():
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord")).user
