"""The self-service start-page sections, tested through their context and template (the
merge registers them from VolunteeringConfig.ready())."""

import pytest
from django.template.loader import render_to_string

from bfe.accounts.models import Roles
from bfe.volunteering.models import HoursEntry

from .factories import VolunteerFactory
from .factories_self_service import HoursEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard():
    from bfe.volunteering import dashboard_self_service

    return dashboard_self_service


def rendered(section, user):
    data = section.context(user, Roles.of(user))
    return render_to_string(section.template, {"data": data})


def test_the_coordinator_sees_how_many_of_her_shelters_hours_wait(
    dashboard, coordinator, shelter, other_shelter
):
    HoursEntryFactory.create_batch(
        2, volunteer=VolunteerFactory(shelter=shelter), status=HoursEntry.Status.PROPOSED
    )
    HoursEntryFactory(
        volunteer=VolunteerFactory(shelter=other_shelter), status=HoursEntry.Status.PROPOSED
    )

    html = rendered(dashboard.HOURS_TO_CONFIRM, coordinator)

    assert "2 Stundeneinträge warten auf Ihre Bestätigung." in html


def test_the_hours_to_confirm_go_to_coordinators_only(dashboard):
    assert dashboard.HOURS_TO_CONFIRM.applies_to(
        Roles(is_authenticated=True, shelter_ids=frozenset({1}))
    )
    assert not dashboard.HOURS_TO_CONFIRM.applies_to(
        Roles(is_authenticated=True, region_ids=frozenset({1}))
    )
