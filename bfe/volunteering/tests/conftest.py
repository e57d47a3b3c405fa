"""The people and places most volunteering tests need: a shelter in region Nord with its
coordinator, a second shelter in West with another, and BfE's staff and partners who must be
refused names."""

import pytest
from django.core.cache import cache

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

from .factories import OpportunityFactory, VolunteerFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the (locmem) cache; every test starts without earlier attempts."""
    cache.clear()


@pytest.fixture
def no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def shelter(db):
    """A shelter in Mitte (district 01, region Nord)."""
    return ShelterFactory(district=District.objects.get(number="01"))


@pytest.fixture
def other_shelter(db):
    """A shelter in Spandau (district 05, region West)."""
    return ShelterFactory(district=District.objects.get(number="05"))


@pytest.fixture
def coordinator(db, shelter):
    return CoordinatorPositionFactory(shelter=shelter, person__verified_email=True).person


@pytest.fixture
def other_coordinator(db, other_shelter):
    return CoordinatorPositionFactory(shelter=other_shelter, person__verified_email=True).person


@pytest.fixture
def regional_coordinator(db, no_staff_2fa):
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug="nord")
    ).user


@pytest.fixture
def lead(db, no_staff_2fa):
    return RoleFactory(kind=Role.Kind.ADMIN, user__verified_email=True).user


@pytest.fixture
def partner(db):
    return RoleFactory(kind=Role.Kind.PARTNER).user


@pytest.fixture
def volunteer_user(db):
    """A person with a volunteer account and a verified address."""
    return RoleFactory(kind=Role.Kind.VOLUNTEER, user__verified_email=True).user


@pytest.fixture
def opportunity(db, shelter):
    return OpportunityFactory(shelter=shelter)


@pytest.fixture
def volunteer(db, shelter):
    """The shelter's record of an active volunteer (no account)."""
    return VolunteerFactory(shelter=shelter)


@pytest.fixture
def someone(db):
    return UserFactory()
