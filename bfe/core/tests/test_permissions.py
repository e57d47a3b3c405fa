"""One decorator decides who may open a view: the named roles get in, everyone else 404."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from bfe.accounts.models import Role, Roles
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core.permissions import require_role
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_region

pytestmark = pytest.mark.django_db


@require_role("bfe_staff", "coordinator")
def staff_or_coordinator_view(request):
    # Reading the roles again in the view costs nothing: they are read once per request.
    Roles.of(request.user)
    return HttpResponse("ok")


def get(user):
    request = RequestFactory().get("/")
    request.user = user
    return staff_or_coordinator_view(request)


def regional_coordinator():
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord")).user


def test_people_holding_one_of_the_named_roles_get_in():
    lead = RoleFactory(kind=Role.Kind.ADMIN).user
    coordinator = CoordinatorPositionFactory().person

    for person in (lead, regional_coordinator(), coordinator):
        assert get(person).content == b"ok"


@pytest.mark.parametrize("kind", [Role.Kind.PARTNER, Role.Kind.VOLUNTEER])
def test_people_without_the_named_roles_find_nothing(kind):
    with pytest.raises(Http404):
        get(RoleFactory(kind=kind).user)


def test_a_person_without_any_role_finds_nothing():
    with pytest.raises(Http404):
        get(UserFactory())


def test_a_coordinator_whose_post_ended_finds_nothing():
    position = CoordinatorPositionFactory(ends_on="2024-06-30")

    with pytest.raises(Http404):
        get(position.person)


def test_the_roles_are_read_once_per_request(django_assert_num_queries):
    person = regional_coordinator()
    request = RequestFactory().get("/")
    request.user = person

    with django_assert_num_queries(2):  # roles, current posts
        staff_or_coordinator_view(request)
    with django_assert_num_queries(0):
        staff_or_coordinator_view(request)


def test_an_unknown_role_name_is_a_mistake_found_at_import_time():
    with pytest.raises(ValueError, match="staff"):
        require_role("staff")
    with pytest.raises(ValueError):
        require_role()
