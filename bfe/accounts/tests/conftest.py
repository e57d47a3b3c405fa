import pytest
from django.core.cache import cache

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import RegionFactory, ShelterFactory


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
def lead(db):
    return RoleFactory(kind=Role.Kind.ADMIN, user__verified_email=True).user


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def shelter(db):
    return ShelterFactory()


@pytest.fixture
def regional_coordinator(db, region):
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=region).user


@pytest.fixture
def coordinator(db, shelter):
    from bfe.places.services import start_position

    person = UserFactory()
    start_position(shelter=shelter, person=person)
    return person


@pytest.fixture
def volunteer(db):
    return RoleFactory(kind=Role.Kind.VOLUNTEER).user


@pytest.fixture
def partner(db):
    return RoleFactory(kind=Role.Kind.PARTNER).user
