"""Never overbooked: simultaneous registrations at a 5-seat event, each on its own connection.

PostgreSQL only (SQLite serialises every write anyway). Each thread is a separate request on
its own database connection; a barrier releases them together.
"""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    """Calls register() for everyone at the same moment, one thread and connection each;
    returns the exceptions raised."""
    barrier = threading.Barrier(len(people))
    errors = []

    def attempt(person):
        try:
            barrier.wait(timeout=60)
            services.register(event=event, person=person)
        except Exception as error:  # collected, and asserted on by the tests
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def widen_the_race(monkeypatch):
    """Makes each request pause between counting the seats and taking one, as a slow server
    would: without the lock, everyone would count the same free seats."""
    count = services._confirmed_count

    def slow_count(event):
        result = count(event)
        time.sleep(0.02)
        return result

    monkeypatch.setattr(services, "_confirmed_count", slow_count)


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
