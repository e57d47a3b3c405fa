"""The self-service pages run the same number of queries whatever the number of hours."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.volunteering.models import HoursEntry

from .factories import VolunteerFactory
from .factories_self_service import HoursEntryFactory, days_ago

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_her_hours_page_runs_a_fixed_number_of_queries(
    client, volunteer_user, shelter, other_shelter
):
    record = VolunteerFactory(shelter=shelter, user=volunteer_user)
    second = VolunteerFactory(shelter=other_shelter, user=volunteer_user)
    HoursEntryFactory(volunteer=record)
    client.force_login(volunteer_user)
    url = reverse("volunteering:self_service_hours")
    client.get(url)
    few = queries_of(client, url)

    for day in range(1, 30):
        HoursEntryFactory(volunteer=record if day % 2 else second, date=days_ago(day * 20))

    assert queries_of(client, url) == few


def test_the_review_page_runs_a_fixed_number_of_queries(client, coordinator, shelter):
    HoursEntryFactory(
        volunteer=VolunteerFactory(shelter=shelter), status=HoursEntry.Status.PROPOSED
    )
    client.force_login(coordinator)
    url = reverse("volunteering:self_service_hours_review")
    client.get(url)
    few = queries_of(client, url)

    for _ in range(20):
        HoursEntryFactory(
            volunteer=VolunteerFactory(shelter=shelter), status=HoursEntry.Status.PROPOSED
        )

    assert queries_of(client, url) == few
