"""The shift sign-up rush and its kill -9 fault: two gunicorn servers, one PostgreSQL, 300
volunteers at once for a 10-slot shift (issue 10, "Shift sign-up rush").

Like bench/rush.py (whose harness, Attempt and Outcome it reuses): each scenario fires 300 POSTs
to "my shifts" (`/mein-engagement/einsaetze/`, action=signup) at once, one thread per signed-in
volunteer, released by one barrier, half to each server; then it counts in the database what the
service promises: the slots are never exceeded, nobody holds two sign-ups, and everyone told
"you are in" or "you are waiting" holds exactly that. The kill scenario SIGKILLs one server's
process group after 100 answers; its failed requests retry at the survivor.

`python -m bench.rush_shifts` prints the section for BENCHMARKS.md and exits non-zero if an
invariant failed; `bench.run` appends what `main()` returns. Needs no demo data: the database is
migrated only (districts come with the migrations), and people are made by the factories.
"""

import os
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack
from urllib.parse import urlencode

from bench import harness, rush
from bench.rush import (
    RUSH_TIMEOUT,
    Attempt,
    Outcome,
    _describe,
    _healthz,
    _join,
    _pace,
)

DATABASE = "bfe_bench_rush_shifts"
REDIS_DB = int(os.environ.get("BENCH_RUSH_SHIFTS_REDIS_DB", "12"))
PORTS = (8721, 8722)
WORKERS = 2
PEOPLE = int(os.environ.get("BENCH_SHIFT_PEOPLE", "300"))
SLOTS = 10
KILL_AFTER_RESPONSES = 100
RUN_TIMEOUT = 600.0
CHILD_TIMEOUT = RUN_TIMEOUT + 60
HEADING = "## Shift sign-up rush and kill -9"


def log(text):
    print(f"[rush_shifts] {text}", file=sys.stderr, flush=True)


def _release(attempts, body, on_response=None):
    return rush._release(attempts, on_response, body=body, ports=PORTS)


def _servers(stack, database_url):
    return [
        stack.enter_context(harness.Server(database_url, port, workers=WORKERS, redis_db=REDIS_DB))
        for port in PORTS
    ]


# --- Setup through the project's factories -------------------------------------------------------


def _world():
    """One shelter, an open opportunity, and 300 active volunteers with accounts (each record
    linked to her user), each with a session. Returns (opportunity, {volunteer_id: session})."""
    from bfe.accounts.models import Role
    from bfe.accounts.tests.factories import RoleFactory
    from bfe.places.models import District
    from bfe.places.tests.factories import ShelterFactory
    from bfe.volunteering.tests.factories import OpportunityFactory, VolunteerFactory

    shelter = ShelterFactory(
        name="Ansturm-Unterkunft Einsätze", district=District.objects.get(number="01")
    )
    opportunity = OpportunityFactory(shelter=shelter, title="Ansturm: Kleiderkammer")
    sessions = {}
    for n in range(PEOPLE):
        user = RoleFactory(
            kind=Role.Kind.VOLUNTEER,
            user__email=f"einsatz{n}@bench.example",
            user__full_name=f"Einsatz {n}",
        ).user
        volunteer = VolunteerFactory(
            shelter=shelter, user=user, email=user.email, full_name=user.full_name
        )
        sessions[volunteer.pk] = harness.session_cookie(user)
    return opportunity, sessions


def _new_shift(opportunity, days):
    from bfe.volunteering.tests.factories import ShiftFactory, in_days

    return ShiftFactory(opportunity=opportunity, starts_at=in_days(days, 10), slots=SLOTS)


def _attempts(sessions):
    from django.urls import reverse

    path = reverse("volunteering:shifts_mine")
    return [
        Attempt(person_id=volunteer_id, server=n % 2, path=path, session=session)
        for n, (volunteer_id, session) in enumerate(sessions.items())
    ]


def check_signups(shift, attempts):
    """The sign-ups of `shift` against the attempts (bench.rush_checks' shared invariants)."""
    from django.contrib import messages
    from django.db.models import F

    from bench.rush_checks import Checked, _common, _place
    from bfe.volunteering.models import Shift, ShiftSignup

    Status = ShiftSignup.Status
    checked = Checked()
    rows = list(
        ShiftSignup.objects.filter(shift=shift).values(
            "pk", "status", "waitlisted_at", "cancelled_at", person_id=F("volunteer_id")
        )
    )
    waitlisted = [row for row in rows if row["status"] == Status.WAITLISTED]
    levels = {Status.CONFIRMED: {messages.SUCCESS}, Status.WAITLISTED: {messages.INFO}}
    _common(checked, rows, attempts, SLOTS, Status, levels, sorted(waitlisted, key=_place))
    half = [
        row
        for row in rows
        if row["cancelled_at"] is not None
        or (row["status"] == Status.WAITLISTED) != (row["waitlisted_at"] is not None)
    ]
    if half:
        checked.failures.append(f"{len(half)} sign-ups half-written: {half[0]}")
    shown = Shift.objects.get(pk=shift.pk).confirmed_count
    if shown != checked.confirmed:
        checked.failures.append(f"confirmed_count shows {shown}, {checked.confirmed} hold a slot")
    # Sign-ups by the volunteers themselves send no e-mail: nothing to count.
    checked.mails = checked.rows
    return checked


# --- Scenarios -----------------------------------------------------------------------------------


def signup_rush(database_url, opportunity, sessions):
    shift = _new_shift(opportunity, 7)
    attempts = _attempts(sessions)
    body = urlencode({"action": "signup", "shift": shift.pk}).encode()
    outcome = Outcome("shift sign-up", attempts=len(attempts))
    with ExitStack() as stack:
        _servers(stack, database_url)
        started, threads = _release(attempts, body)
        outcome.seconds = _join(threads, started, attempts)
    checked = check_signups(shift, attempts)
    outcome.errors = sum(not a.succeeded for a in attempts)
    if outcome.errors:
        outcome.failures.append(f"{outcome.errors} attempts without a success response")
        sample = next(a for a in attempts if not a.succeeded)
        outcome.notes.append(f"first unsuccessful answer: {_describe(sample)}")
    outcome.failures += checked.failures
    outcome.confirmed, outcome.waitlisted = checked.confirmed, checked.waitlisted
    outcome.duplicates = checked.duplicates
    expected = (PEOPLE, SLOTS, PEOPLE - SLOTS)
    if (checked.rows, checked.confirmed, checked.waitlisted) != expected:
        outcome.failures.append(
            f"{checked.rows} rows, {checked.confirmed} confirmed, {checked.waitlisted} "
            f"waitlisted; expected {expected[0]}, {expected[1]}, {expected[2]}"
        )
    outcome.notes.append(_pace(attempts, outcome.seconds))
    return outcome


def kill_rush(database_url, opportunity, sessions):
    """The rush again at a fresh shift; one server is SIGKILLed once 100 answers are back, and
    the people whose request died there retry at the survivor."""
    shift = _new_shift(opportunity, 8)
    attempts = _attempts(sessions)
    body = urlencode({"action": "signup", "shift": shift.pk}).encode()
    outcome = Outcome("shift sign-up, kill -9 of one server", attempts=len(attempts))
    answered, lock, killed = [0], threading.Lock(), threading.Event()
    with ExitStack() as stack:
        victim, survivor = _servers(stack, database_url)

        def kill_at_the_moment(attempt):
            with lock:
                answered[0] += 1
                now = answered[0] == KILL_AFTER_RESPONSES
            if now:
                victim.kill()
                killed.set()

        started, threads = _release(attempts, body, on_response=kill_at_the_moment)
        if not killed.wait(RUSH_TIMEOUT):
            outcome.failures.append("the rush never reached the moment of the kill")
            victim.kill()
        outcome.seconds = _join(threads, started, attempts)
        retries = [
            Attempt(person_id=a.person_id, server=1, path=a.path, session=a.session)
            for a in attempts
            if not a.succeeded and a.server == 0
        ]
        if retries:
            retry_started, retry_threads = _release(retries, body)
            _join(retry_threads, retry_started, retries)
        survivor_health = _healthz(survivor.port)
    final = check_signups(shift, [*attempts, *retries])
    to_victim = [a for a in attempts if a.server == 0]
    outcome.connection_errors = sum(a.connection_error for a in to_victim)
    unexpected = [a for a in to_victim if not a.succeeded and not a.connection_error]
    at_survivor = [a for a in attempts if a.server == 1 and not a.succeeded]
    at_survivor += [a for a in retries if not a.succeeded]
    outcome.errors = len(unexpected) + len(at_survivor)
    if unexpected:
        outcome.failures.append(f"{len(unexpected)} answers of the killed server were errors")
    if at_survivor:
        outcome.failures.append(
            f"{len(at_survivor)} requests to the survivor failed "
            f"(first: {_describe(at_survivor[0])})"
        )
    if survivor_health != 200:
        outcome.failures.append(f"/healthz on the survivor answered {survivor_health}")
    outcome.failures += final.failures
    if (final.rows, final.confirmed, final.waitlisted) != (PEOPLE, SLOTS, PEOPLE - SLOTS):
        outcome.failures.append(
            f"after the retries {final.rows} rows, {final.confirmed} confirmed, "
            f"{final.waitlisted} waitlisted"
        )
    outcome.confirmed, outcome.waitlisted = final.confirmed, final.waitlisted
    outcome.duplicates = final.duplicates
    outcome.notes.append(_pace(attempts, outcome.seconds))
    outcome.notes += [
        f"{outcome.connection_errors} connection errors at the killed server",
        f"{len(retries)} retries at the survivor ({sum(a.succeeded for a in retries)} succeeded)",
    ]
    return outcome


# --- Report --------------------------------------------------------------------------------------


def render(outcomes):
    from bench.rush import HEADER

    rows = [
        f"| {o.scenario} | {o.attempts} | {o.confirmed} | {o.waitlisted} | {o.errors} | "
        f"{'–' if o.connection_errors is None else o.connection_errors} | {o.duplicates} | "
        f"{o.seconds:.2f} | {'OK' if o.ok else 'FAILED'} |"
        for o in outcomes
    ]
    details = [
        f"- {o.scenario}: {'; '.join(filter(None, o.notes)) or '–'}"
        + "".join(f"\n  - FAILED: {failure}" for failure in o.failures)
        for o in outcomes
    ]
    return "\n".join(
        [
            HEADING,
            "",
            f"Two gunicorn servers ({WORKERS} sync workers each, production settings) on loopback, "
            f"one PostgreSQL; {PEOPLE} signed-in volunteers of one shelter POST at once to "
            f"„Meine Einsätze“ for a shift with {SLOTS} slots (one thread each, half to each "
            "server). Counted in the database afterwards. `kill -9`: one server's process group "
            f"is SIGKILLed after {KILL_AFTER_RESPONSES} answers; its failed requests retry at the "
            "survivor. Run alone: `.venv/bin/python -m bench.rush_shifts`.",
            "",
            HEADER,
            *rows,
            "",
            *details,
            "",
        ]
    )


def run():
    from django.core.cache import cache

    harness.collect_static()
    log(f"fresh database {DATABASE} (migrated, no demo data)")
    database_url = harness.fresh_database(DATABASE)
    harness.use_django(database_url, redis_db=REDIS_DB)
    cache.clear()
    log(f"{PEOPLE} volunteers with sessions")
    opportunity, sessions = _world()
    outcomes = []
    for scenario in (signup_rush, kill_rush):
        log(scenario.__name__)
        try:
            outcomes.append(scenario(database_url, opportunity, sessions))
        except Exception as error:  # a crashed scenario is a FAILED row
            outcomes.append(Outcome(scenario.__name__, PEOPLE, failures=[f"crashed: {error!r}"]))
        log(f"{outcomes[-1].scenario}: {'OK' if outcomes[-1].ok else 'FAILED'}")
    return outcomes


def main() -> str:
    """The markdown section for BENCHMARKS.md, from a child process (own Django setup)."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.rush_shifts"],
            cwd=harness.REPO,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{HEADING}\n\nFAILED: no result within the time limit.\n"
    if result.stdout.startswith("## "):
        return result.stdout
    tail = "\n".join(result.stderr.splitlines()[-20:])
    return f"{HEADING}\n\nFAILED (exit {result.returncode}):\n\n```\n{tail}\n```\n"


class RunTimedOut(BaseException):
    """Not an Exception: no scenario's error handling may swallow it."""


def _give_up(signum, frame):
    raise RunTimedOut(f"bench.rush_shifts took longer than {RUN_TIMEOUT:.0f} s")


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(int(RUN_TIMEOUT))
    results = run()
    signal.alarm(0)
    print(render(results))
    sys.exit(0 if all(outcome.ok for outcome in results) else 1)
