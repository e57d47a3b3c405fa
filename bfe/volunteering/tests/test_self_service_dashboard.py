"""The self-service start-page sections, tested through their context and template (the
merge registers them from VolunteeringConfig.ready())."""

import pytest
from django.template.loader import render_to_string

from bfe.accounts.models import Roles
from bfe.core.dashboard import unregister
from bfe.volunteering.models import HoursEntry

from .factories import VolunteerFactory
from .factories_self_service import HoursEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard():
    """The module, imported here rather than at collection: importing registers its sections,
    which the start page of every other test would then show as well until the merge does."""
    from bfe.volunteering import dashboard_self_service

    yield dashboard_self_service
    unregister(dashboard_self_service.MY_HOURS.key)
    unregister(dashboard_self_service.HOURS_TO_CONFIRM.key)


def rendered(section, user):
    data = section.context(user, Roles.of(user))
    return render_to_string(section.template, {"data": data})


def test_the_volunteer_sees_her_hours_and_what_the_recognitions_still_need(
    dashboard, volunteer_user, shelter
):
    record = VolunteerFactory(shelter=shelter, user=volunteer_user)
    HoursEntryFactory(volunteer=record, hours=12)
    HoursEntryFactory(volunteer=record, hours=3, status=HoursEntry.Status.PROPOSED)

    html = rendered(dashboard.MY_HOURS, volunteer_user)

    assert "12 Stunden in den letzten 12 Monaten" in html
    assert "3 Stunden warten auf Bestätigung" in html
    assert "noch 188 Stunden" in html
    assert "Bis zum FreiwilligenPass fehlen" in html


def test_without_hours_the_section_says_where_they_come_from(dashboard, volunteer_user):
    html = rendered(dashboard.MY_HOURS, volunteer_user)

    assert "Noch keine Stunden" in html


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


def test_the_sections_go_to_volunteers_and_coordinators_only(dashboard):
    assert dashboard.MY_HOURS.applies_to(Roles(is_authenticated=True, is_volunteer=True))
    assert not dashboard.MY_HOURS.applies_to(Roles(is_authenticated=True, is_partner=True))
    assert dashboard.HOURS_TO_CONFIRM.applies_to(
        Roles(is_authenticated=True, shelter_ids=frozenset({1}))
    )
    assert not dashboard.HOURS_TO_CONFIRM.applies_to(
        Roles(is_authenticated=True, region_ids=frozenset({1}))
    )
