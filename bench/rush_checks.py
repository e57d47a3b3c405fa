"""What the database must hold after a rush (bench/rush.py), read through the ORM.

The invariants come from the services' promises (bfe/events/services/registration.py and
training.py): seats are decided one at a time under the event's (series') row lock, so the first
rows written are the confirmed ones, the waiting list is in the order of those decisions, the
capacity is never exceeded, a person has at most one row, and everyone told "you are in" or
"you are waiting" holds exactly that.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Checked:
    rows: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    duplicates: int = 0
    mails: int = 0
    failures: list = field(default_factory=list)


def _common(checked, rows, attempts, seats, status, expected_levels, waitlisted_order):
    """Checks shared by registrations and enrolments; `rows` are dicts with pk, person_id,
    status; `status` is the model's Status; `expected_levels` maps a status to the message
    levels that announce it; `waitlisted_order` is the waiting list in its order of promotion."""
    per_person = Counter(row["person_id"] for row in rows)
    checked.rows = len(rows)
    checked.duplicates = sum(count - 1 for count in per_person.values())
    confirmed = [row for row in rows if row["status"] == status.CONFIRMED]
    waitlisted = [row for row in rows if row["status"] == status.WAITLISTED]
    checked.confirmed, checked.waitlisted = len(confirmed), len(waitlisted)
    if checked.duplicates:
        checked.failures.append(f"{checked.duplicates} people hold two rows")
    if len(confirmed) > seats:
        checked.failures.append(f"overbooked: {len(confirmed)} confirmed for {seats} seats")
    elif len(confirmed) != min(seats, len(rows)):
        checked.failures.append(f"{len(confirmed)} confirmed although {len(rows)} people came")
    active = (status.CONFIRMED, status.WAITLISTED)
    others = Counter(row["status"] for row in rows if row["status"] not in active)
    if others:
        checked.failures.append(f"rows in other states: {dict(others)}")
    if None in per_person:
        checked.failures.append("rows without a person")
    strangers = set(per_person) - {a.person_id for a in attempts}
    if strangers:
        checked.failures.append(f"{len(strangers)} rows of people who never asked")
    # Seats go first: every confirmed row was decided before every waitlisted one.
    if (
        confirmed
        and waitlisted
        and max(r["pk"] for r in confirmed) > min(r["pk"] for r in waitlisted)
    ):
        checked.failures.append("a waitlisted row was decided before a confirmed one")
    if [row["pk"] for row in waitlisted_order] != sorted(row["pk"] for row in waitlisted):
        checked.failures.append("the waiting list is not in the order of the decisions")
    status_of = {row["person_id"]: row["status"] for row in rows}
    told_wrong = missing = 0
    for attempt in attempts:
        if not attempt.succeeded:
            continue
        if per_person[attempt.person_id] != 1:
            missing += 1
        elif attempt.levels[0] not in expected_levels.get(status_of[attempt.person_id], ()):
            told_wrong += 1
    if missing:
        checked.failures.append(f"{missing} people answered with success hold no single row")
    if told_wrong:
        checked.failures.append(f"{told_wrong} people were told another state than they hold")


def _place(row):
    """Waiting-list order: earliest `waitlisted_at` first, then the row's id."""
    return (row["waitlisted_at"] is None, row["waitlisted_at"] or 0, row["pk"])


def check_registrations(event, attempts):
    """The rows of `event` against the attempts made for it."""
    from django.contrib import messages

    from bfe.events.models import Registration
    from bfe.events.services.registration import with_waitlist_position

    Status = Registration.Status
    checked = Checked()
    registrations = Registration.objects.filter(event=event)
    rows = list(
        with_waitlist_position(registrations).values(
            "pk",
            "person_id",
            "status",
            "confirmed_at",
            "waitlisted_at",
            "cancelled_at",
            "waitlist_position",
        )
    )
    waitlisted = [row for row in rows if row["status"] == Status.WAITLISTED]
    levels = {Status.CONFIRMED: {messages.SUCCESS}, Status.WAITLISTED: {messages.INFO}}
    by_place = sorted(waitlisted, key=_place)
    _common(checked, rows, attempts, event.capacity, Status, levels, by_place)
    incomplete = [
        row
        for row in rows
        if row["cancelled_at"] is not None
        or (row["status"] == Status.CONFIRMED)
        != (row["confirmed_at"] is not None and row["waitlisted_at"] is None)
        or (row["status"] == Status.WAITLISTED)
        != (row["waitlisted_at"] is not None and row["confirmed_at"] is None)
    ]
    if incomplete:
        checked.failures.append(f"{len(incomplete)} rows half-written: {incomplete[0]}")
    places = sorted(row["waitlist_position"] for row in waitlisted)
    if places != list(range(1, len(waitlisted) + 1)):
        checked.failures.append("waiting-list places are not 1 … n")
    # Half-written rows (no timestamp) are reported above.
    seat_times = [r["confirmed_at"] for r in rows if r["status"] == Status.CONFIRMED]
    seat_times = [time for time in seat_times if time is not None]
    wait_times = [r["waitlisted_at"] for r in waitlisted if r["waitlisted_at"] is not None]
    if seat_times and wait_times and max(seat_times) > min(wait_times):
        checked.failures.append("someone was waitlisted before the last seat went")
    _count_mails(checked, "bfe.events.tasks.send_registration_email", "registration_id", rows)
    return checked


def check_enrolments(series, attempts):
    """The enrolments of `series` against the attempts, and the module seats they reserve."""
    from django.contrib import messages

    from bfe.events.models import Enrolment, Event, Registration

    Status = Enrolment.Status
    checked = Checked()
    rows = list(
        Enrolment.objects.filter(series=series).values(
            "pk", "person_id", "status", "waitlisted_at", "cancelled_at", "created_at"
        )
    )
    waitlisted = [row for row in rows if row["status"] == Status.WAITLISTED]
    # INFO: "already enrolled", the answer to a repeated request.
    levels = {
        Status.CONFIRMED: {messages.SUCCESS, messages.INFO},
        Status.WAITLISTED: {messages.WARNING, messages.INFO},
    }
    by_place = sorted(waitlisted, key=_place)
    _common(checked, rows, attempts, series.seats, Status, levels, by_place)
    incomplete = [
        row
        for row in rows
        if row["cancelled_at"] is not None
        or (row["status"] == Status.WAITLISTED) != (row["waitlisted_at"] is not None)
    ]
    if incomplete:
        checked.failures.append(f"{len(incomplete)} enrolments half-written: {incomplete[0]}")
    seated = {row["person_id"] for row in rows if row["status"] == Status.CONFIRMED}
    modules = Event.objects.filter(training_series=series, kind=Event.Kind.TRAINING_MODULE)
    for event in modules:
        module_rows = list(Registration.objects.filter(event=event).values("person_id", "status"))
        holders = {
            r["person_id"] for r in module_rows if r["status"] == Registration.Status.CONFIRMED
        }
        if holders != seated or len(module_rows) != len(seated):
            checked.failures.append(
                f"module event {event.pk}: {len(holders)} seats reserved, "
                f"{len(module_rows)} rows, for {len(seated)} enrolled"
            )
    _count_mails(checked, "bfe.events.services.training.send_enrolment_email", "enrolment_id", rows)
    return checked


def _count_mails(checked, task_path, key, rows):
    """How many of the rows got their e-mail task queued; a row queued twice is a failure."""
    from django_tasks_db.models import DBTaskResult

    mails = Counter(
        DBTaskResult.objects.filter(
            task_path=task_path, **{f"args_kwargs__kwargs__{key}__in": [row["pk"] for row in rows]}
        ).values_list(f"args_kwargs__kwargs__{key}", flat=True)
    )
    checked.mails = len(mails)
    if any(count > 1 for count in mails.values()):
        checked.failures.append(f"a row got two e-mails ({task_path})")
