"""The registration rush and the kill -9 fault: two gunicorn servers, one PostgreSQL, 500 people
at once for 30 seats.

Each scenario fires 500 POSTs at once (one thread per person, released by one barrier, half to
each server) and then counts in the database what the services promise: the capacity is never
exceeded, nobody is registered twice, and every person told "you are in" or "you are waiting"
holds exactly that. The kill scenario SIGKILLs one server's whole process group in the middle of
the rush; requests to it fail with connection errors (expected, counted apart), those people
retry at the survivor as a load balancer would re-send, and the same invariants must hold.

`python -m bench.rush` prints the section for BENCHMARKS.md and exits non-zero if an invariant
failed; `bench.run` appends what `main()` returns. People, events and sessions are made through
the project's factories and bench.harness; every seat decision is the servers'.
"""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from bench import harness

DATABASE = "bfe_bench_rush"
# The pages bench flushes its own Redis db when it starts (15, or BENCH_REDIS_DB): sessions made
# here must outlive such a flush, so they live apart.
REDIS_DB = int(os.environ.get("BENCH_RUSH_REDIS_DB", "13"))
PORTS = (8711, 8712)
WORKERS = 2
PEOPLE = 500
SEATS = 30
SHELTERS = 20
KILL_AFTER_RESPONSES = 150
REQUEST_TIMEOUT = 60.0
RUSH_TIMEOUT = 180.0
RUN_TIMEOUT = 720.0
CHILD_TIMEOUT = RUN_TIMEOUT + 60
# What a dead server's client sees: refused, reset, or a response cut off.
CONNECTION_ERRORS = (ConnectionError, http.client.BadStatusLine, http.client.IncompleteRead)


def log(text):
    print(f"[rush] {text}", file=sys.stderr, flush=True)


@dataclass
class Attempt:
    """One person's POST and what came back."""

    person_id: int
    server: int
    path: str
    session: str
    sent_at: float = 0.0
    done_at: float = 0.0
    status: int | None = None
    location: str = ""
    levels: tuple = ()
    error: str = ""
    connection_error: bool = False

    @property
    def succeeded(self):
        """A redirect carrying the view's message, and that message no error."""
        from django.contrib import messages

        return (
            not self.error
            and self.status == 302
            and len(self.levels) == 1
            and self.levels[0] != messages.ERROR
        )


@dataclass
class Outcome:
    """One row of the table; `failures` lists every invariant that did not hold."""

    scenario: str
    attempts: int
    confirmed: int = 0
    waitlisted: int = 0
    errors: int = 0
    connection_errors: int | None = None
    duplicates: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.failures


# --- HTTP ----------------------------------------------------------------------------------------


def _message_levels(set_cookie_headers):
    """Levels of the messages the view left in the `messages` cookie (signed with the servers'
    SECRET_KEY, which this process shares)."""
    from django.contrib.messages.storage.cookie import CookieStorage

    jar = SimpleCookie()
    for header in set_cookie_headers:
        jar.load(header)
    morsel = jar.get(CookieStorage.cookie_name)
    if morsel is None:
        return ()
    return tuple(message.level for message in CookieStorage(None)._decode(morsel.value) or [])


def _post(attempt, port, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    attempt.sent_at = time.monotonic()
    try:
        connection.request(
            "POST",
            attempt.path,
            body=body,
            headers={
                "Cookie": harness.cookie_header(attempt.session),
                "X-CSRFToken": harness.CSRF_TOKEN,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        attempt.status = response.status
        attempt.location = response.getheader("Location", "")
        attempt.levels = _message_levels(response.headers.get_all("Set-Cookie") or [])
    except CONNECTION_ERRORS as error:
        attempt.error, attempt.connection_error = repr(error), True
    except Exception as error:  # every failure is counted; none may stop the rush
        attempt.error = repr(error)
    finally:
        attempt.done_at = time.monotonic()
        connection.close()


def _release(attempts, on_response=None, *, body=b"", ports=PORTS):
    """Starts one thread per attempt and releases them together; returns (start, threads).
    Each POSTs `body` to its server's port in `ports` (the shift rush has its own)."""
    barrier = threading.Barrier(len(attempts) + 1, timeout=60)

    def send(attempt):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            attempt.error = "barrier broken"
            return
        _post(attempt, ports[attempt.server], body)
        if on_response is not None:
            on_response(attempt)

    threads = [threading.Thread(target=send, args=(attempt,), daemon=True) for attempt in attempts]
    for thread in threads:
        thread.start()
    barrier.wait()
    return time.monotonic(), threads


def _join(threads, started, attempts):
    """Waits (bounded) for every thread; returns seconds from release to the last response."""
    deadline = started + RUSH_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    for attempt in attempts:
        if not attempt.done_at:
            attempt.error = attempt.error or "no answer within the rush timeout"
    return max((a.done_at for a in attempts if a.done_at), default=started) - started


def _rush(attempts):
    started, threads = _release(attempts)
    return _join(threads, started, attempts)


def _pace(attempts, seconds):
    """Attempts per second, and the answer times a person waited (queueing included)."""
    waits = sorted(a.done_at - a.sent_at for a in attempts if a.done_at and not a.error)
    if not waits or not seconds:
        return ""
    p50, p95 = waits[len(waits) // 2], waits[min(len(waits) - 1, int(len(waits) * 0.95))]
    rate = len(attempts) / seconds
    return f"{rate:.0f} attempts/s; answer after p50 {p50:.2f} s, p95 {p95:.2f} s"


def _describe(attempt):
    return f"{attempt.status} {attempt.location} levels={attempt.levels} {attempt.error}".strip()


def _healthz(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def _servers(stack, database_url):
    return [
        stack.enter_context(harness.Server(database_url, port, workers=WORKERS, redis_db=REDIS_DB))
        for port in PORTS
    ]


# --- Setup through the project's factories -------------------------------------------------------


def _people():
    """500 coordinators at 20 shelters (coordinators may both register and enrol), each with a
    session in the servers' store. Returns {person_id: session}."""
    from bfe.accounts.tests.factories import UserFactory
    from bfe.places.models import District
    from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

    districts = list(District.objects.order_by("number"))
    shelters = [
        ShelterFactory(name=f"Ansturm-Unterkunft {n}", district=districts[n % len(districts)])
        for n in range(SHELTERS)
    ]
    sessions = {}
    for n in range(PEOPLE):
        person = UserFactory(email=f"ansturm{n}@bench.example", full_name=f"Ansturm {n}")
        CoordinatorPositionFactory(shelter=shelters[n % SHELTERS], person=person)
        sessions[person.pk] = harness.session_cookie(person)
    return sessions


def _new_event(title):
    from bfe.events.tests.factories import EventFactory

    return EventFactory(title=title, capacity=SEATS)


def _new_series(year):
    """A published Basis series with 30 seats and three module events ahead."""
    from bfe.events.models import TrainingSeries
    from bfe.events.tests.factories import (
        TrainingModuleEventFactory,
        TrainingSeriesFactory,
        in_days,
        module,
    )

    series = TrainingSeriesFactory(
        level=TrainingSeries.Level.BASIS, year=year, seats=SEATS, title=f"Ansturm-Reihe {year}"
    )
    for number in (1, 2, 3):
        TrainingModuleEventFactory(
            training_series=series,
            module=module("basis", number),
            starts_at=in_days(20 + 7 * number),
        )
    return series


def _attempts(sessions, path):
    return [
        Attempt(person_id=person_id, server=n % 2, path=path, session=session)
        for n, (person_id, session) in enumerate(sessions.items())
    ]


# --- Scenarios -----------------------------------------------------------------------------------


def _full_rush(outcome, attempts, seconds, checked):
    """The invariants of a rush nobody interrupted: everyone answered, 30 in, 470 waiting."""
    outcome.errors = sum(not a.succeeded for a in attempts)
    outcome.seconds = seconds
    if outcome.errors:
        outcome.failures.append(f"{outcome.errors} attempts without a success response")
        sample = next(a for a in attempts if not a.succeeded)
        outcome.notes.append(f"first unsuccessful answer: {_describe(sample)}")
    outcome.failures += checked.failures
    outcome.confirmed, outcome.waitlisted = checked.confirmed, checked.waitlisted
    outcome.duplicates = checked.duplicates
    if checked.rows != PEOPLE:
        outcome.failures.append(f"{checked.rows} rows for {PEOPLE} people")
    if (checked.confirmed, checked.waitlisted) != (SEATS, PEOPLE - SEATS):
        outcome.failures.append(
            f"{checked.confirmed} confirmed / {checked.waitlisted} waitlisted, "
            f"expected {SEATS} / {PEOPLE - SEATS}"
        )
    if checked.mails != checked.rows:
        outcome.failures.append(f"{checked.mails} e-mails queued for {checked.rows} people")
    outcome.notes.append(_pace(attempts, seconds))


def registration_rush(database_url, sessions):
    from django.urls import reverse

    from bench.rush_checks import check_registrations

    event = _new_event("Ansturm-Werkstatt")
    attempts = _attempts(sessions, reverse("events:register", args=[event.pk]))
    outcome = Outcome("event registration", attempts=len(attempts))
    with ExitStack() as stack:
        _servers(stack, database_url)
        seconds = _rush(attempts)
    _full_rush(outcome, attempts, seconds, check_registrations(event, attempts))
    return outcome


def enrolment_rush(database_url, sessions):
    from django.urls import reverse

    from bench.rush_checks import check_enrolments

    series = _new_series(2099)
    attempts = _attempts(sessions, reverse("events:training_enrol", args=[series.pk]))
    outcome = Outcome("training-series enrolment", attempts=len(attempts))
    with ExitStack() as stack:
        _servers(stack, database_url)
        seconds = _rush(attempts)
    _full_rush(outcome, attempts, seconds, check_enrolments(series, attempts))
    return outcome


def kill_rush(database_url, sessions):
    """The rush again at a fresh event; one server is SIGKILLed once 150 answers are back."""
    from django.urls import reverse

    from bench.rush_checks import check_registrations

    event = _new_event("Ansturm-Werkstatt (kill -9)")
    path = reverse("events:register", args=[event.pk])
    attempts = _attempts(sessions, path)
    outcome = Outcome("event registration, kill -9 of one server", attempts=len(attempts))
    answered, lock, killed = [0], threading.Lock(), threading.Event()
    killed_at = [float("inf")]

    with ExitStack() as stack:
        victim, survivor = _servers(stack, database_url)

        def kill_at_the_moment(attempt):
            # The thread that brings the 150th answer kills at once: no waiting for a wake-up.
            with lock:
                answered[0] += 1
                now = answered[0] == KILL_AFTER_RESPONSES
            if now:
                killed_at[0] = time.monotonic()
                victim.kill()
                killed.set()

        started, threads = _release(attempts, on_response=kill_at_the_moment)
        if not killed.wait(RUSH_TIMEOUT):
            outcome.failures.append("the rush never reached the moment of the kill")
            victim.kill()
        outcome.seconds = _join(threads, started, attempts)
        during = check_registrations(event, attempts)
        # The people whose request died retry at the survivor, as a load balancer re-sends.
        retries = [
            Attempt(person_id=a.person_id, server=1, path=path, session=a.session)
            for a in attempts
            if not a.succeeded and a.server == 0
        ]
        _rush(retries)
        survivor_health = _healthz(survivor.port)
        victim_alive = victim.alive()
    final = check_registrations(event, [*attempts, *retries])

    to_victim = [a for a in attempts if a.server == 0]
    outcome.connection_errors = sum(a.connection_error for a in to_victim)
    unexpected = [a for a in to_victim if not a.succeeded and not a.connection_error]
    after_kill = [a for a in attempts if a.server == 1 and a.sent_at >= killed_at[0]] + retries
    failed_at_survivor = [a for a in attempts if a.server == 1 and not a.succeeded] + [
        a for a in retries if not a.succeeded
    ]
    outcome.errors = len(unexpected) + len(failed_at_survivor)
    if unexpected:
        outcome.failures.append(
            f"{len(unexpected)} answers of the killed server were errors "
            f"(first: {_describe(unexpected[0])})"
        )
    if failed_at_survivor:
        sample = failed_at_survivor[0]
        outcome.failures.append(
            f"{len(failed_at_survivor)} requests to the survivor failed "
            f"(first: {_describe(sample)})"
        )
    if survivor_health != 200:
        outcome.failures.append(f"/healthz on the survivor answered {survivor_health}")
    if victim_alive:
        outcome.failures.append("the killed server is still alive")
    outcome.failures += [f"right after the kill: {text}" for text in during.failures]
    outcome.failures += [f"after the retries: {text}" for text in final.failures]
    if (final.rows, final.confirmed, final.waitlisted) != (PEOPLE, SEATS, PEOPLE - SEATS):
        outcome.failures.append(
            f"after the retries {final.rows} rows, {final.confirmed} confirmed, "
            f"{final.waitlisted} waitlisted; expected {PEOPLE}, {SEATS}, {PEOPLE - SEATS}"
        )
    outcome.confirmed, outcome.waitlisted = final.confirmed, final.waitlisted
    outcome.duplicates = max(during.duplicates, final.duplicates)
    unanswered = during.rows - sum(a.succeeded for a in attempts)
    outcome.notes.append(_pace(attempts, outcome.seconds))
    outcome.notes += [
        f"killed after {KILL_AFTER_RESPONSES} answers ({sum(a.succeeded for a in to_victim)} "
        "of them from the killed server)",
        f"{outcome.connection_errors} connection errors at the killed server",
        f"{unanswered} registrations committed whose answer died with the server",
        f"{len(retries)} retries at the survivor ({sum(a.succeeded for a in retries)} succeeded)",
        f"{len(after_kill)} requests sent to the survivor after the kill",
        f"/healthz on the survivor: {survivor_health}",
        f"{final.mails} e-mails queued for {final.rows} registrations",
    ]
    if final.mails < final.rows:
        # Enqueued after the commit: a kill between the two loses the e-mail, not the seat.
        outcome.notes.append(f"e-mails lost with the killed server: {final.rows - final.mails}")
    return outcome


# --- Report --------------------------------------------------------------------------------------

HEADER = (
    "| scenario | attempts | confirmed | waitlisted | errors | connection errors (killed server) "
    "| duplicates | seconds | result |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
)


def render(outcomes):
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
            "## Registration rush and kill -9",
            "",
            f"Two gunicorn servers ({WORKERS} sync workers each, production settings) on loopback, "
            f"one PostgreSQL; {PEOPLE} signed-in coordinators POST at once (one thread each, "
            f"released by one barrier, half to each server) for {SEATS} seats. Counted in the "
            "database afterwards. `kill -9`: one server's process group is SIGKILLed after "
            f"{KILL_AFTER_RESPONSES} answers; its failed requests retry at the survivor. "
            "Run alone: `.venv/bin/python -m bench.rush`.",
            "",
            HEADER,
            *rows,
            "",
            *details,
            "",
        ]
    )


def run():
    """Runs every scenario in this process (it configures Django for bfe_bench_rush)."""
    from django.core.cache import cache

    harness.collect_static()
    log(f"fresh database {DATABASE}, seed small")
    database_url = harness.fresh_database(DATABASE)
    harness.seed(database_url, "small")
    harness.use_django(database_url, redis_db=REDIS_DB)
    cache.clear()  # this bench's own Redis db: no sessions or rate limits of an earlier run
    log(f"{PEOPLE} people with sessions")
    sessions = _people()
    outcomes = []
    for scenario in (registration_rush, enrolment_rush, kill_rush):
        log(scenario.__name__)
        try:
            outcomes.append(scenario(database_url, sessions))
        except Exception as error:  # a crashed scenario is a FAILED row
            outcomes.append(Outcome(scenario.__name__, PEOPLE, failures=[f"crashed: {error!r}"]))
        log(f"{outcomes[-1].scenario}: {'OK' if outcomes[-1].ok else 'FAILED'}")
    return outcomes


def main() -> str:
    """The markdown section for BENCHMARKS.md, from a child process: this bench configures
    Django for its own database, which a caller's process may already have done."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.rush"],
            cwd=harness.REPO,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "## Registration rush and kill -9\n\nFAILED: no result within the time limit.\n"
    if result.stdout.startswith("## "):
        return result.stdout
    tail = "\n".join(result.stderr.splitlines()[-20:])
    heading = "## Registration rush and kill -9"
    return f"{heading}\n\nFAILED (exit {result.returncode}):\n\n```\n{tail}\n```\n"


class RunTimedOut(BaseException):
    """Not an Exception: no scenario's error handling may swallow it."""


def _give_up(signum, frame):
    raise RunTimedOut(f"bench.rush took longer than {RUN_TIMEOUT:.0f} s")


if __name__ == "__main__":
    # The whole run is bounded; the exception unwinds through every scenario's servers.
    signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(int(RUN_TIMEOUT))
    results = run()
    signal.alarm(0)
    print(render(results))
    sys.exit(0 if all(outcome.ok for outcome in results) else 1)
