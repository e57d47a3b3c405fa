"""Never overbooked: simultaneous registrations at a 5-seat event, each on its own connection.

PostgreSQL only (SQLite serialises every write anyway). Each thread is a separate request on
its own database connection; a barrier releases them together.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bfe.core.tests import races
from bfe.events.models import Event, Registration
from bfe.events.services import registration as services
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

from .factories import JourFixeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SEATS = 5
PEOPLE = 50
Status = Registration.Status


def coordinators(count):
    shelter = ShelterFactory(district=berlin_district("01"))
    return [CoordinatorPositionFactory(shelter=shelter).person for _ in range(count)]


def register_all_at_once(event, people):
    return races.all_at_once(lambda person: services.register(event=event, person=person), people)


def widen_the_race(monkeypatch):
    races.pause_after(monkeypatch, services, "_confirmed_count")


def statuses(event):
    return list(Registration.objects.filter(event=event).values_list("status", flat=True))


def test_fifty_simultaneous_registrations_fill_exactly_five_seats(monkeypatch):
    widen_the_race(monkeypatch)
    event = JourFixeFactory(capacity=SEATS)
    people = coordinators(PEOPLE)

    errors = register_all_at_once(event, people)

    assert errors == []
    result = statuses(event)
    assert len(result) == PEOPLE
    assert result.count(Status.CONFIRMED) == SEATS
    assert result.count(Status.WAITLISTED) == PEOPLE - SEATS
    rows = Registration.objects.filter(event=event)
    assert rows.values("person").distinct().count() == PEOPLE  # no duplicates
    waitlisted = rows.filter(status=Status.WAITLISTED).values_list("waitlisted_at", flat=True)
    assert None not in waitlisted


def test_without_the_lock_the_same_race_overbooks(monkeypatch):
    """The proof that the lock is what holds the capacity: the same race with the locking
    step replaced by a plain read confirms more people than there are seats."""
    widen_the_race(monkeypatch)
    monkeypatch.setattr(services, "_lock_event", lambda event: Event.objects.get(pk=event.pk))
    event = JourFixeFactory(capacity=SEATS)

    errors = register_all_at_once(event, coordinators(PEOPLE))

    assert errors == []
    assert statuses(event).count(Status.CONFIRMED) > SEATS


def test_registration_locks_the_event_row():
    event = JourFixeFactory(capacity=SEATS)
    (person,) = coordinators(1)
    with CaptureQueriesContext(connection) as queries:
        services.register(event=event, person=person)
    locking = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    assert locking
    assert '"events_event"' in locking[0]


def test_simultaneous_double_clicks_create_one_registration():
    event = JourFixeFactory(capacity=SEATS)
    (person,) = coordinators(1)

    errors = register_all_at_once(event, [person] * 10)

    assert errors == []
    assert statuses(event) == [Status.CONFIRMED]
