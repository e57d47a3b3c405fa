import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_region

pytestmark = pytest.mark.django_db


def log_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return client.post(reverse("account_login"), {"login": user.email, "password": "demo"})


def test_regional_coordinator_starts_at_her_outreach_list(client, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    user = UserFactory()
    RoleFactory(user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))

    response = log_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:outreach")


def test_coordinator_starts_at_her_dashboard(client):
    user = UserFactory()
    CoordinatorPositionFactory(person=user)

    response = log_in(client, user)

    assert response["Location"] == reverse("core:dashboard")


def test_an_explicit_next_page_wins(client, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    user = UserFactory()
    RoleFactory(user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login") + "?next=/unterkuenfte/",
        {"login": user.email, "password": "demo"},
    )

    assert response["Location"] == "/unterkuenfte/"
