"""The one lock helper for capacities: only in a transaction, in sorted order, and a lock held
too long ends in "please try again" (a form error or a 409 page), never a hang or a 500."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bfe.core.locking import LockTimeout, LockTimeoutMiddleware, lock_object, lock_objects
from bfe.places.models import District, Region
from bfe.places.tests.factories import berlin_district, berlin_region

TRY_AGAIN = "Bitte versuchen Sie es in einem Moment noch einmal."


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        lock_object(berlin_district("01"))


@pytest.mark.django_db
def test_rows_come_back_fresh_and_in_the_order_given():
    mitte, pankow = berlin_district("01"), berlin_district("03")
    District.objects.filter(pk=mitte.pk).update(name="Mitte (neu)")

    locked = lock_objects([pankow, berlin_region("west"), mitte])

    assert locked == [pankow, berlin_region("west"), mitte]
    assert locked[2].name == "Mitte (neu)"


@pytest.mark.django_db
def test_locks_are_taken_by_model_and_then_by_primary_key():
    districts = [berlin_district(number) for number in ("12", "01", "07")]
    regions = [berlin_region("west"), berlin_region("nord")]

    with CaptureQueriesContext(connection) as queries:
        lock_objects([*districts, *regions])

    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and " IN (" in q["sql"]]
    tables = [sql.split(" FROM ", 1)[1].split()[0].strip('"') for sql in reads]
    # places.District sorts before places.Region: every request locks in this one order.
    assert tables == [District._meta.db_table, Region._meta.db_table]
    assert all(sql.rstrip().endswith('."id" ASC') or "ORDER BY" in sql for sql in reads)
    order_by = [sql.split("ORDER BY", 1)[1] for sql in reads]
    assert all('"id" ASC' in clause for clause in order_by)


@pytest.mark.django_db
def test_a_row_deleted_meanwhile_is_not_locked_silently():
    region = berlin_region("west")
    Region.objects.filter(pk=region.pk).delete()

    with pytest.raises(Region.DoesNotExist):
        lock_object(region)


def test_a_lock_timeout_is_a_validation_error_with_the_try_again_message():
    error = LockTimeout()

    assert error.code == "lock_timeout"
    assert TRY_AGAIN in error.message


def test_a_lock_timeout_no_view_caught_becomes_a_409_page(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    middleware = LockTimeoutMiddleware(lambda request: HttpResponse())

    response = middleware.process_exception(request, LockTimeout())

    assert response.status_code == 409
    assert TRY_AGAIN in response.content.decode()
    assert middleware.process_exception(request, ValueError()) is None


# PostgreSQL: two connections, one holding the lock.


def _hold_lock(obj, held, release):
    try:
        with transaction.atomic():
            lock_object(obj)
            held.set()
            release.wait(timeout=60)
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lock_held_past_the_timeout_gives_the_try_again_message_instead_of_waiting():
    district = berlin_district("01")
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(district, held, release))
    holder.start()
    try:
        assert held.wait(timeout=60)
        with pytest.raises(LockTimeout) as refused, transaction.atomic():
            lock_object(district, timeout=0.2)
    finally:
        release.set()
        holder.join(timeout=60)

    assert TRY_AGAIN in refused.value.message
    # Once the holder is done, the same lock is granted.
    with transaction.atomic():
        assert lock_object(district, timeout=0.2) == district


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_lock_timeout_applies_to_the_lock_only_and_is_restored_afterwards():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        before = cursor.fetchone()[0]
        lock_objects([berlin_district("01"), berlin_region("nord")], timeout=1.5)
        cursor.execute("SHOW lock_timeout")
        after = cursor.fetchone()[0]

    assert after == before
