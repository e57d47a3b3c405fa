"""Never overfilled: simultaneous sign-ups for a 3-slot shift, each on its own connection.

PostgreSQL only (SQLite serialises every write anyway). Each thread is a separate request on
its own database connection; a barrier releases them together.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bfe.core.tests import races
from bfe.places.models import District
from bfe.places.tests.factories import ShelterFactory
from bfe.volunteering.models import Shift, ShiftSignup
from bfe.volunteering.services import shifts as services

from .factories import OpportunityFactory, ShiftFactory
from .factories_shifts import volunteers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLOTS = 3
PEOPLE = 30
Status = ShiftSignup.Status


def a_shift_and_people(count):
    shelter = ShelterFactory(district=District.objects.get(number="01"))
    shift = ShiftFactory(opportunity=OpportunityFactory(shelter=shelter), slots=SLOTS)
    return shift, volunteers(shelter, count)


def sign_up_all_at_once(shift, people):
    return races.all_at_once(lambda person: services.sign_up(shift=shift, volunteer=person), people)


def widen_the_race(monkeypatch):
    races.pause_after(monkeypatch, services, "_confirmed_count")


def statuses(shift):
    return list(ShiftSignup.objects.filter(shift=shift).values_list("status", flat=True))


def test_thirty_simultaneous_sign_ups_fill_exactly_three_slots(monkeypatch):
    widen_the_race(monkeypatch)
    shift, people = a_shift_and_people(PEOPLE)

    errors = sign_up_all_at_once(shift, people)

    assert errors == []
    result = statuses(shift)
    assert len(result) == PEOPLE
    assert result.count(Status.CONFIRMED) == SLOTS
    assert result.count(Status.WAITLISTED) == PEOPLE - SLOTS
    rows = ShiftSignup.objects.filter(shift=shift)
    assert rows.values("volunteer").distinct().count() == PEOPLE  # no duplicates
    assert None not in rows.filter(status=Status.WAITLISTED).values_list("waitlisted_at", flat=True)
    shift.refresh_from_db()
    assert shift.confirmed_count == SLOTS


def test_without_the_lock_the_same_race_overfills(monkeypatch):
    """The proof that the lock is what holds the slots: the same race with the locking step
    replaced by a plain read confirms more people than there are slots."""
    widen_the_race(monkeypatch)
    monkeypatch.setattr(services, "_lock_shift", lambda shift: Shift.objects.get(pk=shift.pk))
    shift, people = a_shift_and_people(PEOPLE)

    errors = sign_up_all_at_once(shift, people)

    assert errors == []
    assert statuses(shift).count(Status.CONFIRMED) > SLOTS


def test_sign_up_locks_the_shift_row():
    shift, (person,) = a_shift_and_people(1)
    with CaptureQueriesContext(connection) as queries:
        services.sign_up(shift=shift, volunteer=person)
    locking = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    assert locking
    assert '"volunteering_shift"' in locking[0]


def test_simultaneous_double_clicks_create_one_sign_up():
    shift, (person,) = a_shift_and_people(1)

    errors = sign_up_all_at_once(shift, [person] * 10)

    assert errors == []
    assert statuses(shift) == [Status.CONFIRMED]
