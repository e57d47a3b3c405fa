"""Enrolment under load, on PostgreSQL: the series' seats are never exceeded.

Each thread has its own database connection (Django's connections are per thread), and a
barrier releases all enrolments at once. Without the lock on the series' row the threads all
count the same free seats and overbook; with it they queue up behind each other.
"""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from bfe.events.models import Enrolment, Registration
from bfe.events.services import training as services

from .training_helpers import coordinator, series_with_modules

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 60
SEATS = 5


def test_simultaneous_enrolments_fill_exactly_the_seats_and_waitlist_the_rest():
    series = series_with_modules(seats=SEATS, numbers=[1, 2, 3])
    people = [coordinator() for _ in range(THREADS)]
    for person in people:
        _ = person.roles  # resolved here, so that the threads only enrol
    barrier = threading.Barrier(THREADS)
    errors = []

    def enrol(person):
        try:
            barrier.wait(timeout=30)
            services.enrol(series=series, person=person)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    enrolments = Enrolment.objects.filter(series=series)
    assert enrolments.count() == THREADS
    assert enrolments.filter(status=Enrolment.Status.CONFIRMED).count() == SEATS
    assert enrolments.filter(status=Enrolment.Status.WAITLISTED).count() == THREADS - SEATS
    assert enrolments.values("person").distinct().count() == THREADS
    # Only the confirmed have module seats: 5 people × 3 modules.
    confirmed_people = enrolments.filter(status=Enrolment.Status.CONFIRMED).values("person")
    registrations = Registration.objects.filter(event__training_series=series)
    assert registrations.count() == SEATS * 3
    assert set(registrations.values_list("person", flat=True)) == {
        row["person"] for row in confirmed_people
    }
    # The waiting list has a strict order.
    waited = enrolments.filter(status=Enrolment.Status.WAITLISTED)
    assert waited.values("waitlisted_at").distinct().count() == THREADS - SEATS


def test_simultaneous_double_clicks_create_one_enrolment():
    series = series_with_modules(seats=SEATS, numbers=[1])
    eva = coordinator()
    _ = eva.roles
    clicks = 10
    barrier = threading.Barrier(clicks)
    results, errors = [], []

    def click():
        try:
            barrier.wait(timeout=30)
            results.append(services.enrol(series=series, person=eva).pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(person=eva).count() == 1
    assert Registration.objects.filter(person=eva).count() == 1


def test_enrol_and_withdraw_lock_the_series_row():
    series = series_with_modules(seats=SEATS, numbers=[1])
    eva = coordinator()

    with CaptureQueriesContext(connection) as queries:
        enrolment = services.enrol(series=series, person=eva)
        services.withdraw(enrolment=enrolment, by=eva)

    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    series_table = '"events_trainingseries"'
    assert sum(series_table in sql.split("FROM", 1)[1].split("WHERE")[0] for sql in locks) == 2
