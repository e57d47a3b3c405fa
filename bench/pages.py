"""Key pages and write paths at one scale: wrk against gunicorn, SQL queries per request.

`python -m bench.pages small` (or large) makes a fresh database, seeds it, starts one server
with 2 workers and prints one JSON document with the figures; bench/run.py calls it once per
scale, each in its own process, since Django is configured once per process.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import harness

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
CONNECTIONS = 8
THREADS = 2
WORKERS = 2
# Writes are made ahead of time: enough distinct ones for this many requests per second.
MAX_WRITE_RATE = 400


def bench_seconds() -> int:
    return int(os.environ.get("BENCH_SECONDS", "10"))


@dataclass
class Target:
    """One row of the table: a page (GET, repeated) or a write path (each POST a new write)."""

    name: str
    kind: str  # "floor", "page" or "write"
    lines: list = field(default_factory=list)  # (method, path, cookie, body)
    public: bool = False  # an anonymous public page (goal: >= 50 % of the floor's req/s)
    expect: int = 200
    count_rows: object = None  # write paths: a callable counting the rows it creates
    query_lines: tuple = ()  # write paths: two lines kept back for the query count

    @property
    def path(self):
        return self.lines[0][1] if self.lines else self.query_lines[0][1]


@dataclass
class Result:
    name: str
    kind: str
    path: str
    public: bool
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float
    requests: int
    errors: int
    non_2xx_3xx: int
    queries: int | None = None
    queries_cached: int | None = None
    writes: int | None = None
    writes_offered: int | None = None
    note: str = ""
    # A write row that ran out of prepared writes before the time was up: wrk still divides by
    # the whole duration, so its req/s says nothing.
    used_up: bool = False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Choosing pages, people and writes (Django configured) ------------------------------------


def _user(email):
    from bfe.accounts.models import User

    return User.objects.get(email=email)


def _get(name, path, session=None, *, public=False, kind="page"):
    return Target(
        name=name,
        kind=kind,
        lines=[("GET", path, harness.cookie_header(session), "")],
        public=public,
    )


def page_targets(sessions):
    """The key pages that exist today, each with a fixed object so that scales compare."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from bfe.events.models import Audience, Event, TrainingSeries
    from bfe.events.services.registration import ACTIVE
    from bfe.places.models import District, Region, Shelter

    now = timezone.now()
    region = Region.objects.current().order_by("name").first()
    # The busiest event and series: their lists are the longest an organiser sees.
    large_event = (
        Event.objects.exclude(kind=Event.Kind.TRAINING_MODULE)
        .annotate(active=Count("registrations", filter=Q(registrations__status__in=ACTIVE)))
        .order_by("-active", "pk")
        .first()
    )
    large_series = (
        TrainingSeries.objects.filter(is_published=True)
        .annotate(enrolled=Count("enrolments"))
        .order_by("-enrolled", "pk")
        .first()
    )
    year = timezone.localdate().year
    district = District.objects.order_by("number").first()
    shelter = Shelter.objects.open().filter(district=district).order_by("pk").first()
    event = (
        Event.objects.filter(
            status=Event.Status.PUBLISHED, audience=Audience.GUESTS, starts_at__gt=now
        )
        .exclude(kind=Event.Kind.TRAINING_MODULE)
        .order_by("starts_at", "pk")
        .first()
    )
    nord = sessions["regional_coordinator"]
    targets = [
        _get("floor", "/robots.txt", public=True, kind="floor"),
        _get("home", "/", public=True),
        _get("shelters", "/unterkuenfte/", public=True),
        _get(
            "shelters, one district",
            f"/unterkuenfte/?district={district.slug}",
            public=True,
        ),
        _get("shelter detail", f"/unterkuenfte/{shelter.pk}/", public=True),
        _get("events", "/veranstaltungen/", public=True),
        _get("event detail", f"/veranstaltungen/{event.pk}/", public=True),
        _get("training series", "/fortbildungen/", public=True),
        _get("region page", f"/regionen/{region.slug}/", public=True),
        _get("shelters (coordinator)", "/unterkuenfte/", sessions["coordinator"][1]),
        # The directory's map pins, a request of their own since issue 13.
        _get("shelter map GeoJSON", "/unterkuenfte/karte.geojson", public=True),
        _get(
            "shelter map GeoJSON (coordinator)",
            "/unterkuenfte/karte.geojson",
            sessions["coordinator"][1],
        ),
        _get(
            "participants of a large event (admin)",
            f"/veranstaltungen/{large_event.pk}/teilnehmende/",
            sessions["admin"][1],
        ),
        _get(
            "training series detail (admin)",
            f"/fortbildungen/{large_series.pk}/",
            sessions["admin"][1],
        ),
        _get(
            "training participants (admin)",
            f"/fortbildungen/{large_series.pk}/teilnehmende/",
            sessions["admin"][1],
        ),
        _get(
            "consultation statistics, a year (admin)",
            f"/beratung/zahlen/?von={year}-01-01&bis={year}-12-31",
            sessions["admin"][1],
        ),
        _get("consultation log (RC)", "/beratung/protokoll/", nord[1]),
        _get("outreach list (RC)", "/beratung/kontaktliste/", nord[1]),
        # The volunteering pipeline (issue 10): the coordinator's table and board.
        _get("volunteer pipeline table (coordinator)", "/freiwillige/", sessions["coordinator"][1]),
        _get(
            "volunteer pipeline board (coordinator)",
            "/freiwillige/board/",
            sessions["coordinator"][1],
        ),
        *board_targets(),
        *materials_targets(sessions),
        # "Meine Daten" (issue 10, privacy): everything about her, for a volunteer and a
        # coordinator (whose export gathers posts, registrations and consultations).
        _get("my data (volunteer)", "/konto/meine-daten/", sessions["volunteer"][1]),
        _get(
            "my data as JSON (coordinator)",
            "/konto/meine-daten/export.json",
            sessions["coordinator"][1],
        ),
    ]
    for role, label in [
        ("admin", "admin"),
        ("regional_coordinator", "regional coordinator"),
        ("coordinator", "coordinator"),
        ("volunteer", "volunteer"),
        ("partner", "partner"),
    ]:
        targets.append(_get(f"start page ({label})", "/start/", sessions[role][1]))
    targets += shift_targets(sessions)
    targets += volunteering_start_targets()
    return _with_rendered_rows(targets)


def board_targets():
    """The public volunteering board (issue 10): list and map, without and with a distance
    filter around a central postcode, and the page of its newest opportunity."""
    from bfe.volunteering.models import Opportunity

    near = "plz=10115&km=3"
    targets = [
        _get("volunteering board", "/engagement/", public=True),
        _get("volunteering board, near a postcode", f"/engagement/?{near}", public=True),
        _get("volunteering board map GeoJSON", "/engagement/karte.geojson", public=True),
        _get(
            "volunteering board map GeoJSON, near a postcode",
            f"/engagement/karte.geojson?{near}",
            public=True,
        ),
    ]
    newest = Opportunity.objects.published().order_by("-published_at", "-pk").first()
    if newest is not None:
        targets.append(_get("opportunity page", f"/engagement/{newest.pk}/", public=True))
    return targets


# Five typical searches of the library (issue 11): a word, without umlaut, a typo, two words,
# and a phrase that only stands inside the Führungszeugnis guide's PDF.
MATERIAL_QUERIES = [
    "Führungszeugnis",
    "fuhrungszeugnis",
    "Datenschuz",
    "Versicherung Ehrenamt",
    "Einsichtnahme ohne Kopie",
]


def materials_targets(sessions):
    """The library (issue 11): its front page for anonymous visitors and a coordinator, the
    five typical searches as a coordinator, and the detail page of the demo's guide. Left out
    only when the scale has no materials."""
    from bfe.materials.models import Material

    if not Material.objects.exists():
        return []
    cookie = sessions["coordinator"][1]
    targets = [
        _get("materials library", "/materialien/", public=True),
        _get("materials library (coordinator)", "/materialien/", cookie),
    ]
    for query in MATERIAL_QUERIES:
        path = "/materialien/suche/?" + urllib.parse.urlencode({"q": query})
        targets.append(_get(f"materials search {query!r} (coordinator)", path, cookie))
    guide = (
        Material.objects.filter(title__startswith="Leitfaden: Erweitertes Führungszeugnis")
        .order_by("pk")
        .first()
    ) or Material.objects.order_by("pk").first()
    targets.append(_get("material detail (coordinator)", f"/materialien/{guide.pk}/", cookie))
    return targets


def shift_targets(sessions):
    """Volunteering shifts: "my shifts" of a volunteer, and the shifts of the coordinator's
    opportunity with the most shifts (where the demo data has any)."""
    from django.db.models import Count

    from bfe.volunteering.models import Opportunity

    targets = [
        _get("my shifts (volunteer)", "/mein-engagement/einsaetze/", sessions["volunteer"][1])
    ]
    coordinator, session = sessions["coordinator"]
    busiest = (
        Opportunity.objects.managed_by(coordinator)
        .annotate(n=Count("shifts"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if busiest is not None:
        path = f"/freiwillige/angebote/{busiest.pk}/einsaetze/"
        targets.append(_get("shifts of an opportunity (coordinator)", path, session))
    return targets


def volunteering_start_targets():
    """The start page of the coordinator whose shelter has the most volunteers, and of the
    volunteer with the most shift sign-ups: volunteering's sections at their fullest."""
    from django.db.models import Count, F

    from bfe.places.models import CoordinatorPosition
    from bfe.volunteering.models import ShelterVolunteerFigures, Volunteer

    busiest = (
        ShelterVolunteerFigures.objects.filter(
            shelter__in=CoordinatorPosition.objects.current().values("shelter")
        )
        .annotate(total=F("applied") + F("contacted") + F("first_meeting") + F("onboarding")
                  + F("active") + F("paused"))
        .order_by("-total", "shelter_id")
        .first()
    )  # fmt: skip
    volunteer = (
        Volunteer.objects.filter(user__isnull=False)
        .annotate(n=Count("signups"))
        .order_by("-n", "pk")
        .first()
    )
    targets = []
    if busiest is not None:
        coordinator = (
            CoordinatorPosition.objects.current()
            .filter(shelter_id=busiest.shelter_id)
            .order_by("pk")
            .first()
            .person
        )
        cookie = harness.session_cookie(coordinator)
        targets.append(_get("start page (coordinator, most volunteers)", "/start/", cookie))
    if volunteer is not None:
        cookie = harness.session_cookie(volunteer.user)
        targets.append(_get("start page (volunteer, most shifts)", "/start/", cookie))
    return targets


# A session cookie the store does not know: the visitor is anonymous, but the page cache
# (which only serves visitors without a session) is passed by, so the page is rendered.
UNKNOWN_SESSION = "bench0no0such0session00000000000"


def _with_rendered_rows(targets):
    """After each anonymous public page, the same page rendered for every request."""
    rows = []
    for target in targets:
        rows.append(target)
        if target.public and target.kind == "page":
            method, path, _cookie, body = target.lines[0]
            cookie = harness.cookie_header(UNKNOWN_SESSION)
            rows.append(
                Target(
                    name=f"{target.name}, rendered",
                    kind="rendered",
                    lines=[(method, path, cookie, body)],
                )
            )
    return rows


def role_sessions():
    emails = {
        "admin": "admin@bfe.example",
        "regional_coordinator": "nord@bfe.example",
        "coordinator": "eak1@bfe.example",
        "volunteer": "freiwillig1@bfe.example",
        "partner": "partner@bfe.example",
    }
    sessions = {}
    for role, email in emails.items():
        user = _user(email)
        sessions[role] = (user, harness.session_cookie(user))
    return sessions


class SessionPool:
    """One session per person, made once."""

    def __init__(self):
        self.sessions = {}

    def cookie(self, user):
        if user.pk not in self.sessions:
            self.sessions[user.pk] = harness.session_cookie(user)
        return harness.cookie_header(self.sessions[user.pk])


def registration_target(needed, pool):
    """Event registration: (person, event) pairs where the person may register and holds no
    seat or waiting-list place yet; each POST is a new registration (a seat or the list)."""
    from django.utils import timezone

    from bfe.accounts.models import User
    from bfe.events.models import Event, Registration
    from bfe.events.services.registration import ACTIVE

    now = timezone.now()
    open_events = [
        event
        for event in Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now)
        .exclude(kind=Event.Kind.TRAINING_MODULE)
        .order_by("starts_at", "pk")
        if event.registration_is_open(now)
    ]
    open_ids = [event.pk for event in open_events]
    taken = set(
        Registration.objects.filter(event_id__in=open_ids, status__in=ACTIVE).values_list(
            "person_id", "event_id"
        )
    )
    lines = []
    for person in User.objects.filter(is_active=True).order_by("pk").iterator():
        if len(lines) > needed:
            break
        visible = set(
            Event.objects.visible_to(person).filter(pk__in=open_ids).values_list("pk", flat=True)
        )
        for event_id in open_ids:
            if event_id in visible and (person.pk, event_id) not in taken:
                lines.append(("POST", f"/veranstaltungen/{event_id}/anmelden/", person, ""))
    return _write_target(
        "POST event registration",
        lines,
        pool,
        lambda: Registration.objects.count(),
    )


def enrolment_target(needed, pool):
    """Training-series enrolment: coordinators not yet enrolled, in series open for enrolment."""
    from django.utils import timezone

    from bfe.accounts.models import User
    from bfe.events.models import Enrolment, TrainingSeries
    from bfe.events.selectors.training import enrolment_state
    from bfe.places.models import CoordinatorPosition

    now = timezone.now()
    open_series = [
        series
        for series in TrainingSeries.objects.filter(is_published=True).order_by("pk")
        if enrolment_state(series, now) == "open"
    ]
    enrolled = set(
        Enrolment.objects.active()
        .filter(series__in=open_series)
        .values_list("person_id", "series_id")
    )
    coordinator_ids = CoordinatorPosition.objects.current().values("person_id")
    lines = []
    people = User.objects.filter(is_active=True, pk__in=coordinator_ids).order_by("pk")
    for person in people.iterator():
        if len(lines) > needed:
            break
        for series in open_series:
            if (person.pk, series.pk) not in enrolled:
                lines.append(("POST", f"/fortbildungen/{series.pk}/einschreiben/", person, ""))
    return _write_target(
        "POST training-series enrolment",
        lines,
        pool,
        lambda: Enrolment.objects.count(),
    )


def consultation_target(needed, pool):
    """The consultation log: valid forms from the regional coordinators for shelters of their
    regions, each with its own one-time key minted as the form mints it (uuid4 hex)."""
    from django.utils import timezone

    from bfe.accounts.models import Role, User
    from bfe.consultations.models import Consultation, Format, Topic
    from bfe.consultations.selectors.log import shelters_to_log_for
    from bfe.places.models import CoordinatorPosition

    topic = Topic.objects.filter(is_active=True).order_by("position", "name").first()
    today = timezone.localdate().isoformat()
    staff = User.objects.filter(
        is_active=True, role_set__kind=Role.Kind.REGIONAL_COORDINATOR
    ).order_by("pk")
    pairs = []
    for person in staff.distinct()[:3]:
        shelters = shelters_to_log_for(person).values_list("pk", flat=True)[:50]
        positions = (
            CoordinatorPosition.objects.current()
            .filter(shelter_id__in=list(shelters), person__isnull=False)
            .order_by("shelter_id", "pk")
            .values_list("shelter_id", "person_id")
        )
        seen = set()
        for shelter_id, coordinator_id in positions:
            if shelter_id not in seen:
                seen.add(shelter_id)
                pairs.append((person, shelter_id, coordinator_id))
    lines = []
    for index in range(needed + 1):
        person, shelter_id, coordinator_id = pairs[index % len(pairs)]
        body = urllib.parse.urlencode(
            {
                "submission_key": uuid.uuid4().hex,
                "shelter": shelter_id,
                "held_on": today,
                "duration_minutes": 60,
                "format": Format.PHONE,
                "participants": coordinator_id,
                "topics": topic.pk,
                "next_steps": "Rückruf in zwei Wochen.",
                "confidential_note": "Bench: Gespräch über Gewinnung neuer Freiwilliger.",
            }
        )
        lines.append(("POST", "/beratung/protokoll/neu/", person, body))
    return _write_target(
        "POST consultation log",
        lines,
        pool,
        lambda: Consultation.objects.count(),
    )


def _write_target(name, lines, pool, count_rows):
    if not lines:
        raise RuntimeError(f"{name}: no eligible writes in the demo data")
    if len(lines) < 3:
        raise RuntimeError(f"{name}: too few eligible writes in the demo data")
    lines = [(method, path, pool.cookie(person), body) for method, path, person, body in lines]
    # Two lines are kept back for the query count, so that wrk's writes are all new.
    return Target(
        name=name,
        kind="write",
        lines=lines[2:],
        expect=302,
        count_rows=count_rows,
        query_lines=(lines[0], lines[1]),
    )


# --- Measuring ------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(server, method, path, cookie, body=""):
    """One request as wrk sends it; returns (status, Location)."""
    headers = {"Cookie": cookie, "X-CSRFToken": harness.CSRF_TOKEN}
    data = None
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = body.encode()
    url = server.url + path  # always http://127.0.0.1:<port>
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def count_queries(target):
    """SQL queries of one request through Django's test client in this process, after a first
    request that warms the process's own lookups: (rendered, cache hit). "rendered" is counted
    with the page cache off; "cache hit" is the count when a cached page answers (public pages
    only, else None)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def send(line):
        method, path, cookie, body = line
        for part in cookie.split("; "):
            key, _, value = part.partition("=")
            client.cookies[key] = value
        with CaptureQueriesContext(connection) as context:
            if method == "POST":
                response = client.post(
                    path, data=body, content_type="application/x-www-form-urlencoded"
                )
            else:
                response = client.get(path)
        if response.status_code != target.expect:
            raise RuntimeError(
                f"{target.name}: {method} {path} answered {response.status_code} "
                f"{response.get('Location', '')}"
            )
        return len(context.captured_queries)

    if target.kind == "write":
        warm_up, counted = target.query_lines
        send(warm_up)
        return send(counted), None
    line = target.lines[0]
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        send(line)
        rendered = send(line)
    if not target.public or target.kind != "page":
        return rendered, None
    send(line)
    return rendered, send(line)


def run_wrk(server, target, seconds):
    mode = "once" if target.kind == "write" else "cycle"
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as lines_file:
        for method, path, cookie, body in target.lines:
            lines_file.write(f"{method}\t{path}\t{cookie}\t{body}\n")
    command = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={WRK_SCRIPT}",
        server.url,
        "--",
        lines_file.name,
        str(THREADS),
        mode,
    ]
    try:
        output = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        os.unlink(lines_file.name)
    return json.loads(output.strip().splitlines()[-1])


def measure(server, target, seconds):
    """Checks the request answers as expected, then lets wrk drive it."""
    method, path, cookie, body = target.lines[0]
    # Warm both workers (templates, connections) and check the answer; a write is sent once
    # (and then dropped from wrk's lines) and must redirect to its result, not to a login
    # or back to the form.
    for _attempt in range(1 if target.kind == "write" else 4):
        status, location = fetch(server, method, path, cookie, body)
        if status != target.expect or "/konto/" in location or location.endswith("/neu/"):
            raise RuntimeError(f"{target.name}: {path} answered {status} {location}")
    if target.kind == "write":
        target.lines = target.lines[1:]
    rows_before = target.count_rows() if target.count_rows else None
    figures = run_wrk(server, target, seconds)
    errors = figures["errors"]
    result = Result(
        name=target.name,
        kind=target.kind,
        path=target.path,
        public=target.public,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        rps=figures["requests"] / (figures["duration_us"] / 1e6),
        requests=figures["requests"],
        errors=sum(errors.values()),
        non_2xx_3xx=errors["status"],
    )
    if target.count_rows:
        result.writes = target.count_rows() - rows_before
        result.writes_offered = len(target.lines)
        if result.writes < min(result.requests, len(target.lines)) - CONNECTIONS:
            result.note = "fewer new rows than requests"
        if len(target.lines) <= result.requests:
            result.note = f"all {len(target.lines)} eligible writes used up before the time"
            result.used_up = True
    return result


def flush_redis(redis_db):
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()


def main(scale):
    seconds = bench_seconds()
    redis_db = int(os.environ.get("BENCH_REDIS_DB", "15"))
    name = f"bfe_bench_{scale}"
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    if os.environ.get("BENCH_REUSE_DB") != "1":
        database_url = harness.fresh_database(name)
        harness.seed(database_url, scale)
    # Sessions and cached pages of an earlier run or the other scale must not answer here.
    flush_redis(redis_db)
    harness.use_django(database_url, redis_db)

    sessions = role_sessions()
    targets = page_targets(sessions)
    pool = SessionPool()
    needed = seconds * MAX_WRITE_RATE
    only = os.environ.get("BENCH_ONLY", "")
    if only:
        # Rows whose name holds this text, and no write paths: to measure one area at a time.
        targets, writes = [t for t in targets if only in t.name], []
    else:
        writes = [
            registration_target(needed, pool),
            enrolment_target(needed, pool),
            consultation_target(needed, pool),
        ]
    results = []
    with harness.Server(database_url, free_port(), workers=WORKERS, redis_db=redis_db) as server:
        for target in targets + writes:
            queries, queries_cached = count_queries(target)
            result = measure(server, target, seconds)
            result.queries, result.queries_cached = queries, queries_cached
            results.append(result)
            print(
                f"  {scale:5} {result.name:45} p50 {result.p50_ms:7.1f} ms  "
                f"p95 {result.p95_ms:7.1f} ms  {result.rps:7.1f}/s  q={queries}",
                file=sys.stderr,
                flush=True,
            )
    return {
        "scale": scale,
        "seconds": seconds,
        "connections": CONNECTIONS,
        "threads": THREADS,
        "workers": WORKERS,
        "results": [asdict(result) for result in results],
    }


def _exit_on_sigterm(signum, frame):
    # Unwinds through `with Server(...)`, so that a stopped bench stops its server too.
    sys.exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "small")))
