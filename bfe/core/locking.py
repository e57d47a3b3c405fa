"""One way to lock capacity rows (event seats, series seats, and later shifts), as pretix locks
its quotas: inside a transaction only, in one sorted order, and with a timeout that ends in a
clear "please try again" instead of a request that hangs.
"""

from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections, router
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

# PostgreSQL's SQLSTATE for "lock_not_available", which a lock_timeout raises.
LOCK_NOT_AVAILABLE = "55P03"


class LockTimeout(ValidationError):
    """Another request held the lock longer than LOCK_TIMEOUT_SECONDS. Nothing was saved; the
    person may simply try again.

    A ValidationError (code "lock_timeout"), so that every form and button that shows a
    service's errors shows this one too, with what was entered kept; one that no view catches
    becomes a 409 page (LockTimeoutMiddleware), never a 500.
    """

    def __init__(self):
        super().__init__(
            _(
                "Gerade buchen sehr viele Personen gleichzeitig, deshalb wurde nichts "
                "gespeichert. Bitte versuchen Sie es in einem Moment noch einmal."
            ),
            code="lock_timeout",
        )


class LockTimeoutMiddleware:
    """Answers a LockTimeout that no view turned into a form error with a 409 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LockTimeout):
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None


def _lock_key(obj):
    return (obj._meta.label, obj.pk)


def lock_objects(objects, *, timeout=None):
    """Lock the database rows of `objects` (model instances, of one model or several) until
    the transaction ends, and return them freshly read, in the order given.

    Refuses to run outside `transaction.atomic()` (RuntimeError): a lock there would end at
    once. Rows are locked in one order, by model and primary key, so that two requests locking
    the same rows cannot deadlock. On PostgreSQL a lock not granted within `timeout` seconds
    (default settings.LOCK_TIMEOUT_SECONDS) raises LockTimeout; elsewhere the database's own
    locking applies (SQLite serialises writers). A row deleted meanwhile raises DoesNotExist.
    """
    objects = list(objects)
    if not objects:
        return []
    first = type(objects[0])
    connection = connections[router.db_for_write(first)]
    if not connection.in_atomic_block:
        raise RuntimeError("lock_objects() needs a transaction: call it in transaction.atomic().")
    timeout = settings.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    previous = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Only for these locks; the transaction's own setting comes back afterwards.
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [f"{max(1, round(timeout * 1000))}ms"],
            )
            previous = cursor.fetchone()[0]
    locked = {}
    try:
        for _label, group in groupby(sorted(objects, key=_lock_key), key=lambda o: o._meta.label):
            group = list(group)
            model = type(group[0])
            pks = sorted({obj.pk for obj in group})
            rows = list(
                model._default_manager.select_for_update().filter(pk__in=pks).order_by("pk")
            )
            if len(rows) != len(pks):
                raise model.DoesNotExist(f"{model._meta.label} {pks} no longer exist(s).")
            locked.update({_lock_key(row): row for row in rows})
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise LockTimeout from error
        raise
    if previous is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    return [locked[_lock_key(obj)] for obj in objects]


def lock_object(obj, *, timeout=None):
    """`lock_objects` for one row: the instance, freshly read and locked."""
    return lock_objects([obj], timeout=timeout)[0]
