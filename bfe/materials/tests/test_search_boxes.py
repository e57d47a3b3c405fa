"""The library's search box on the home page and on the start page of coordinators and staff."""

import pytest
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory
from bfe.places.tests.factories import CoordinatorPositionFactory

pytestmark = pytest.mark.django_db

BOX = f'action="{reverse("materials:search")}"'


def test_the_home_page_has_the_search_box(client):
    assert BOX in client.get(reverse("core:home")).content.decode()


def test_a_coordinators_start_page_has_the_search_box(client):
    client.force_login(CoordinatorPositionFactory().person)
    assert BOX in client.get(reverse("core:dashboard")).content.decode()


def test_staffs_start_page_has_the_search_box(client, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    client.force_login(RoleFactory(kind=Role.Kind.ADMIN).user)
    assert BOX in client.get(reverse("core:dashboard")).content.decode()


def test_a_volunteers_start_page_has_none(client):
    client.force_login(RoleFactory().user)
    assert BOX not in client.get(reverse("core:dashboard")).content.decode()
