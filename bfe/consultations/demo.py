"""Fictional, reproducible consultations on top of the places demo: a year in Berlin ("small") or
about 500,000 consultations over five years nationwide ("large").

Dates count back from the day of seeding, not from places' fixed reference date, so that the
outreach list always has something to show: one seed gives the same data relative to that day.
A quarter of each region's open shelters were reached by nobody in the last six months.
"""

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from bfe.accounts.models import Role, User
from bfe.places import demo as places_demo
from bfe.places.models import CoordinatorPosition, Region, Shelter

from .models import Attachment, Consultation, ConsultationRequest, FollowUp, Format, Topic
from .services.contacts import recompute_shelter_contacts

# The places generator draws from random.Random(seed); this stream must not repeat it.
SEED_OFFSET = 4127
BATCH_SIZE = 2000
OUTREACH_MONTHS = 6


@dataclass(frozen=True)
class Scale:
    consultations: int  # about this many, spread over the demo shelters
    years: int
    requests: int
    follow_ups: int
    unreached_share: float = 0.25  # of each region's open shelters: no contact in 6 months
    never_reached_share: float = 0.3  # of those: no consultation in the whole period


SCALES = {
    "small": Scale(consultations=720, years=1, requests=40, follow_ups=60),
    "large": Scale(consultations=500_000, years=5, requests=2000, follow_ups=5000),
}

# slug: weight, confidential notes, agreed next steps, follow-up titles
TOPICS = {
    "gewinnung": (
        18,
        [
            "Kaum neue Freiwillige seit dem Sommer; Aushänge im Kiez bringen wenig.",
            "Viele Anfragen über die Freiwilligenagentur, aber wenige bleiben länger.",
        ],
        [
            "Engagementangebot auf der Plattform veröffentlichen.",
            "Kontakt zur Freiwilligenagentur im Bezirk aufnehmen.",
        ],
        ["Vorlage für Engagementangebot schicken", "Kontakt zur Freiwilligenagentur vermitteln"],
    ),
    "einarbeitung": (
        14,
        [
            "Neue Freiwillige werden ohne Einführung eingesetzt; Unsicherheit im Team.",
            "Einarbeitung hängt an einer Person, die bald geht.",
        ],
        [
            "Checkliste für das Erstgespräch mit Freiwilligen ausprobieren.",
            "Einarbeitungsmappe gemeinsam überarbeiten.",
        ],
        ["Checkliste Erstgespräch schicken", "Einarbeitungsmappe gegenlesen"],
    ),
    "konflikte": (
        10,
        [
            "Spannungen zwischen zwei Freiwilligen in der Kleiderkammer.",
            "Freiwillige fühlen sich von der Sozialarbeit übergangen.",
        ],
        [
            "Klärungsgespräch mit beiden Seiten führen, BfE moderiert bei Bedarf.",
            "Regeln für die Zusammenarbeit schriftlich festhalten.",
        ],
        ["Moderation des Klärungsgesprächs anbieten", "Nachfragen, wie das Gespräch lief"],
    ),
    "datenschutz": (
        6,
        [
            "Kontaktdaten der Freiwilligen liegen in einer privaten Tabelle.",
            "Unklar, welche Fotos vom Sommerfest veröffentlicht werden dürfen.",
        ],
        [
            "Einwilligungsvorlage für Fotos nutzen.",
            "Kontaktdaten in ein geschütztes System übertragen.",
        ],
        ["Einwilligungsvorlage schicken"],
    ),
    "fuehrungszeugnis": (
        8,
        [
            "Führungszeugnisse werden bisher nicht dokumentiert eingesehen.",
            "Frage, ob Begleitungen zu Ämtern ein Führungszeugnis brauchen.",
        ],
        [
            "Bestätigung zur Gebührenbefreiung ausstellen.",
            "Einsichtnahme künftig mit Datum vermerken.",
        ],
        ["Merkblatt Führungszeugnis schicken"],
    ),
    "versicherung": (
        5,
        [
            "Unklar, ob Freiwillige bei Ausflügen versichert sind.",
            "Schaden an einem Fahrrad der Werkstatt, Frage nach Haftung.",
        ],
        [
            "Beim Träger nach der Haftpflichtversicherung fragen.",
            "Infoblatt zur Sammelversicherung des Landes weitergeben.",
        ],
        ["Infoblatt Sammelversicherung schicken"],
    ),
    "kooperation-betreiber": (
        9,
        [
            "Heimleitung sieht Ehrenamt vor allem als Zusatzaufwand.",
            "Räume für Angebote werden kurzfristig anders vergeben.",
        ],
        [
            "Gemeinsames Gespräch mit der Einrichtungsleitung vereinbaren.",
            "Feste Raumzeiten für Ehrenamtsangebote vorschlagen.",
        ],
        ["Termin mit der Einrichtungsleitung abstimmen"],
    ),
    "sozialraum": (
        7,
        [
            "Wenig Kontakt zur Nachbarschaft; Vorbehalte im Kiez.",
            "Nachbarschaftszentrum hat Interesse an Zusammenarbeit.",
        ],
        [
            "Einladung zum Nachbarschaftsfest vorbereiten.",
            "Kontakt zum Stadtteilzentrum herstellen.",
        ],
        ["Kontakt zum Stadtteilzentrum vermitteln"],
    ),
    "engagement-bewohner": (
        8,
        [
            "Bewohner:innen möchten selbst ein Sprachcafé anbieten.",
            "Mehrere Bewohner:innen helfen schon informell beim Übersetzen.",
        ],
        [
            "Bewohner:innen zum nächsten Jour fixe einladen.",
            "Anerkennung für Sprachmittler:innen klären.",
        ],
        ["Beispiele für Bewohner:innen-Projekte schicken"],
    ),
    "projektfinanzierung": (
        6,
        [
            "Sommerprojekt braucht 2.000 Euro; bisher keine Finanzierung.",
            "Antrag beim Bezirk wurde abgelehnt, neue Idee nötig.",
        ],
        [
            "Förderprogramme zusammenstellen und Antrag skizzieren.",
            "Kontakt zur Stiftung im Bezirk aufnehmen.",
        ],
        ["Übersicht Förderprogramme schicken", "Antragsskizze gegenlesen"],
    ),
    "anerkennung": (
        7,
        [
            "Freiwillige wünschen sich mehr Wertschätzung durch den Träger.",
            "Dankeschön-Veranstaltung ist seit zwei Jahren ausgefallen.",
        ],
        [
            "Dankeschön-Abend im Dezember planen.",
            "Ehrenamtsnachweise für aktive Freiwillige ausstellen.",
        ],
        ["Vorlage Ehrenamtsnachweis schicken"],
    ),
    "selbstfuersorge": (
        5,
        [
            "Koordinatorin arbeitet dauerhaft über ihre Stunden hinaus.",
            "Belastung nach einem Vorfall in der Unterkunft.",
        ],
        [
            "Supervision beim Träger anfragen.",
            "Angebot der kollegialen Beratung im Jour fixe nutzen.",
        ],
        ["Nachfragen, ob Supervision zustande kam"],
    ),
}
FORMATS = [(Format.ON_SITE, 55), (Format.PHONE, 25), (Format.VIDEO, 20)]
DURATIONS = [(30, 10), (45, 20), (60, 30), (75, 10), (90, 18), (105, 4), (120, 8)]
TOPIC_COUNTS = [(1, 55), (2, 35), (3, 10)]
OTHER_PARTICIPANTS = ["Einrichtungsleitung", "Sozialarbeit des Trägers", "Heimleitung"]
REQUEST_MESSAGES = [
    "Wir würden gern besprechen, wie wir neue Freiwillige gewinnen.",
    "Bei uns gibt es gerade Unruhe im Team der Freiwilligen. Können wir sprechen?",
    "Ich bin neu in der Koordination und hätte gern eine Einführung.",
    "Wir planen ein Projekt mit Bewohner:innen und suchen Geld dafür.",
    "Eine Frage zu Führungszeugnissen und Datenschutz.",
]
PREFERRED_TIMES = ["dienstags vormittags", "ab 14 Uhr", "nicht freitags", "gern nächste Woche", ""]
DECLINE_REASONS = [
    "Dafür ist das Bezirksamt zuständig; wir haben den Kontakt weitergegeben.",
    "Das Thema wird im nächsten Jour fixe für alle besprochen.",
    "Die Anfrage hat sich nach Rücksprache erledigt.",
]
SHELTER_TASKS = [
    "Neue Koordination begrüßen und Erstgespräch anbieten",
    "Einrichtungsleitung wegen unbesetzter Stelle anrufen",
    "Zum nächsten Jour fixe einladen",
]
REQUEST_SHARES = [
    (ConsultationRequest.Status.OPEN, 0.3),
    (ConsultationRequest.Status.SCHEDULED, 0.2),
    (ConsultationRequest.Status.DONE, 0.38),
    (ConsultationRequest.Status.DECLINED, 0.12),
]


def demo_shelters():
    return Shelter.objects.filter(operator__email__iendswith=f".{places_demo.ORGANISATION_DOMAIN}")


def demo_users():
    return User.objects.filter(email__iendswith=f"@{places_demo.DEMO_EMAIL_DOMAIN}")


@contextmanager
def _foreign_keys_checked_row_by_row():
    """PostgreSQL checks Django's (deferred) foreign keys at commit, queueing an event per row;
    for a million rows the queue costs more than the checks themselves, and doubles the time.
    Checking each row as it is written avoids the queue; the setting ends with the block."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    # Not reached after an error, when the transaction is rolled back anyway.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def delete_demo_data():
    """Delete the consultations, requests and follow-ups of demo shelters and demo people.

    Whatever points at a consultation goes first, each table in one DELETE; then nothing refers to
    the consultations any more and they go in one DELETE too, without half a million of them
    passing through Python (as Django's deletion collector would have them).
    """
    with _foreign_keys_checked_row_by_row():
        _delete_demo_rows()


def _delete_demo_rows():
    shelters = demo_shelters()
    consultations = Consultation.objects.filter(shelter__in=shelters)
    FollowUp.objects.filter(
        Q(shelter__in=shelters) | Q(consultation__in=consultations) | Q(owner__in=demo_users())
    ).delete()
    Attachment.objects.filter(consultation__in=consultations).delete()
    Consultation.topics.through.objects.filter(consultation__in=consultations).delete()
    Consultation.participants.through.objects.filter(consultation__in=consultations).delete()
    consultations._raw_delete(consultations.db)
    requests = ConsultationRequest.objects.filter(shelter__in=shelters)
    ConsultationRequest.topics.through.objects.filter(consultationrequest__in=requests).delete()
    requests.delete()


@transaction.atomic
def seed(scale="small", seed=2016):
    """Create demo consultations for the demo shelters; returns German labels with counts."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    with _foreign_keys_checked_row_by_row():
        return _Generator(scale, seed).run()


@dataclass
class Place:
    """A demo shelter with what the generator needs, read once."""

    pk: int
    region_id: int
    residents: int
    first_day: datetime.date  # of the period in which it can be consulted
    last_day: datetime.date
    is_open: bool
    posts: list = field(default_factory=list)  # (starts_on, ends_on, person_id), staffed only

    def coordinator_on(self, day):
        for starts_on, ends_on, person_id in self.posts:
            if starts_on <= day and (ends_on is None or ends_on >= day):
                return person_id
        return None


@dataclass(slots=True)
class Planned:
    """A consultation before it is written; `pk` is known once it is."""

    place: Place
    held_on: datetime.date
    duration_minutes: int
    format: str
    other_participants: str
    confidential_note: str
    next_steps: str
    logged_by_id: int | None
    topic_ids: list
    person_id: int | None
    pk: int | None = None


class _Generator:
    def __init__(self, scale, seed):
        self.scale = scale
        self.rng = random.Random(seed + SEED_OFFSET)
        self.today = timezone.localdate()
        self.start = self.today - relativedelta(years=scale.years) + datetime.timedelta(days=1)
        self.cutoff = self.today - relativedelta(months=OUTREACH_MONTHS)
        topics = {t.slug: t for t in Topic.objects.filter(slug__in=TOPICS)}
        self.topics = [(topics[slug], *TOPICS[slug]) for slug in TOPICS if slug in topics]
        self.topic_cum = _cumulative([weight for _, weight, *_ in self.topics])
        self.format_cum = _cumulative([w for _, w in FORMATS])
        self.duration_cum = _cumulative([w for _, w in DURATIONS])
        self.topic_count_cum = _cumulative([w for _, w in TOPIC_COUNTS])
        self.candidates = []
        self.candidates_seen = 0
        self.candidate_capacity = 4 * (scale.requests + scale.follow_ups)

    def run(self):
        places = self.places()
        staff = self.regional_coordinators()
        if not places or not self.topics:
            return {"Beratungen": 0, "Beratungsanfragen": 0, "Aufgaben": 0}
        unreached = self.unreached(places)
        consultations = self.consultations(places, unreached, staff)
        self.candidates.sort(key=lambda c: c.pk)
        requests = self.requests(places, staff)
        follow_ups = self.follow_ups(places, staff)
        # Written in bulk, past the services: the outreach list's figures are rebuilt once.
        recompute_shelter_contacts()
        return {
            "Beratungen": consultations,
            "Beratungsanfragen": requests,
            "Aufgaben": follow_ups,
        }

    # What exists already

    def places(self):
        """Demo shelters that were open some time in the period, in a region, by pk."""
        region_of = dict(
            Region.districts.through.objects.filter(
                region__in=Region.objects.current(self.today)
            ).values_list("district_id", "region_id")
        )
        places = {}
        rows = (
            demo_shelters()
            .order_by("pk")
            .values_list("pk", "district_id", "residents", "opened_on", "closed_on")
        )
        for pk, district_id, residents, opened_on, closed_on in rows:
            first = max(self.start, opened_on or self.start)
            last = (
                min(self.today, closed_on - datetime.timedelta(days=1)) if closed_on else self.today
            )
            if district_id not in region_of or last < first:
                continue
            is_open = closed_on is None or closed_on > self.today
            places[pk] = Place(pk, region_of[district_id], residents, first, last, is_open)
        posts = (
            CoordinatorPosition.objects.filter(shelter__in=places, person__isnull=False)
            .order_by("shelter", "-starts_on", "pk")
            .values_list("shelter_id", "starts_on", "ends_on", "person_id")
        )
        for shelter_id, starts_on, ends_on, person_id in posts:
            places[shelter_id].posts.append((starts_on, ends_on, person_id))
        return list(places.values())

    def regional_coordinators(self):
        """region id -> the first demo regional coordinator's user id."""
        roles = (
            Role.objects.filter(kind=Role.Kind.REGIONAL_COORDINATOR, user__in=demo_users())
            .order_by("region", "user__email")
            .values_list("region_id", "user_id")
        )
        staff = {}
        for region_id, user_id in roles:
            staff.setdefault(region_id, user_id)
        return staff

    def unreached(self, places):
        """A quarter of each region's open shelters, never the documented coordinators'."""
        documented = set(
            CoordinatorPosition.objects.current(self.today)
            .filter(person__email__in=[f"eak{n}@{places_demo.DEMO_EMAIL_DOMAIN}" for n in (1, 2)])
            .values_list("shelter_id", flat=True)
        )
        by_region = {}
        for place in places:
            if place.is_open and place.pk not in documented:
                by_region.setdefault(place.region_id, []).append(place)
        unreached = set()
        for region_places in by_region.values():
            total = sum(
                1 for p in places if p.is_open and p.region_id == region_places[0].region_id
            )
            count = min(len(region_places), round(total * self.scale.unreached_share))
            unreached.update(p.pk for p in self.rng.sample(region_places, count))
        return unreached

    # Consultations

    def consultations(self, places, unreached, staff):
        rng, scale = self.rng, self.scale
        period_days = (self.today - self.start).days + 1
        weights = {
            p.pk: (p.residents or 50) ** 0.5 * ((p.last_day - p.first_day).days + 1) / period_days
            for p in places
            if p.pk not in unreached
        }
        per_weight = scale.consultations / (sum(weights.values()) or 1)
        batch, created = [], 0
        for place in places:
            if place.pk in unreached:
                days = self.unreached_days(place)
            else:
                expected = weights[place.pk] * per_weight
                count = max(1, round(expected * rng.uniform(0.75, 1.25)))
                days = [self.day_between(place.first_day, place.last_day) for _ in range(count)]
                if place.is_open:
                    # Reached means reached lately: the latest consultation lies in six months.
                    recent_from = max(place.first_day, self.cutoff + datetime.timedelta(days=7))
                    days[0] = self.day_between(recent_from, place.last_day)
            for day in days:
                batch.append(self.consultation(place, day, staff))
                if len(batch) >= BATCH_SIZE:
                    created += self.insert(batch)
                    batch = []
        if batch:
            created += self.insert(batch)
        return created

    def unreached_days(self, place):
        rng = self.rng
        last = min(place.last_day, self.cutoff - datetime.timedelta(days=10))
        if last < place.first_day or rng.random() < self.scale.never_reached_share:
            return []
        expected = (last - place.first_day).days / 365 * rng.uniform(1, 4)
        count = max(1, round(expected))
        return [self.day_between(place.first_day, last) for _ in range(count)]

    def day_between(self, first, last):
        """A working day from first to last; summer and Christmas are quieter."""
        rng = self.rng
        span = (last - first).days
        day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.month in (7, 8, 12) and rng.random() < 0.3:
            day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() >= 5:
            # Saturday moves back to Friday, Sunday on to Monday, where the period allows.
            moved = day + datetime.timedelta(days=-1 if day.weekday() == 5 else 1)
            if first <= moved <= last:
                day = moved
        return day

    def consultation(self, place, day, staff):
        rng = self.rng
        chosen = self.pick_topics()
        person_id = place.coordinator_on(day)
        others = ""
        if person_id is None or rng.random() < 0.1:
            others = rng.choice(OTHER_PARTICIPANTS)
        first = chosen[0]
        return Planned(
            place=place,
            held_on=day,
            duration_minutes=DURATIONS[_pick(rng, self.duration_cum)][0],
            format=FORMATS[_pick(rng, self.format_cum)][0].value,
            other_participants=others,
            confidential_note=rng.choice(first[2]),
            next_steps=rng.choice(first[3]),
            logged_by_id=staff.get(place.region_id),
            topic_ids=[topic.pk for topic, *_ in chosen],
            person_id=person_id,
        )

    def pick_topics(self):
        rng = self.rng
        count = TOPIC_COUNTS[_pick(rng, self.topic_count_cum)][0]
        chosen = []
        while len(chosen) < count:
            topic = self.topics[_pick(rng, self.topic_cum)]
            if topic not in chosen:
                chosen.append(topic)
        return chosen

    def insert(self, batch):
        if connection.vendor == "postgresql":
            _copy_consultations(batch)
        else:
            _bulk_create_consultations(batch)
        for planned in batch:
            self.keep_candidate(planned)
        return len(batch)

    def keep_candidate(self, planned):
        """Reservoir sampling of recent consultations with a coordinator, for requests and
        follow-ups: a fair sample without keeping every consultation in memory."""
        if planned.person_id is None:
            return
        if planned.held_on < self.today - datetime.timedelta(days=150):
            return
        self.candidates_seen += 1
        if len(self.candidates) < self.candidate_capacity:
            self.candidates.append(planned)
        else:
            index = self.rng.randrange(self.candidates_seen)
            if index < self.candidate_capacity:
                self.candidates[index] = planned

    # Requests

    def requests(self, places, staff):
        rng, scale = self.rng, self.scale
        staffed_now = [p for p in places if p.is_open and p.coordinator_on(self.today)]
        eak1 = (
            CoordinatorPosition.objects.current(self.today)
            .filter(person__email=f"eak1@{places_demo.DEMO_EMAIL_DOMAIN}")
            .values_list("shelter_id", flat=True)
            .first()
        )
        eak1_place = next((p for p in staffed_now if p.pk == eak1), None)
        counts = {status: round(scale.requests * share) for status, share in REQUEST_SHARES}
        done_pool = rng.sample(self.candidates, min(counts["done"], len(self.candidates)))
        requests, links = [], []
        for status, count in counts.items():
            for n in range(count):
                if status == ConsultationRequest.Status.DONE:
                    if n >= len(done_pool):
                        break
                    candidate = done_pool[n]
                    request = self.request(candidate.place, candidate.person_id, status, staff)
                    request.created_at = _moment(
                        candidate.held_on - datetime.timedelta(days=rng.randint(2, 21)), 9
                    )
                    request.demo_topic_ids = candidate.topic_ids[:2]
                    links.append((request, candidate.pk))
                elif staffed_now:
                    # eak1 has a few open requests of her own, as documented for the demo.
                    own = eak1_place and status == ConsultationRequest.Status.OPEN and n < 3
                    place = eak1_place if own else rng.choice(staffed_now)
                    person_id = place.coordinator_on(self.today)
                    request = self.request(place, person_id, status, staff)
                else:
                    break
                requests.append(request)
        ConsultationRequest.objects.bulk_create(requests, batch_size=BATCH_SIZE)
        Topics = ConsultationRequest.topics.through
        Topics.objects.bulk_create(
            [
                Topics(consultationrequest_id=r.pk, topic_id=topic_id)
                for r in requests
                for topic_id in r.demo_topic_ids
            ],
            batch_size=BATCH_SIZE,
        )
        answered = [Consultation(pk=pk, request_id=request.pk) for request, pk in links]
        Consultation.objects.bulk_update(answered, ["request"], batch_size=BATCH_SIZE)
        return len(requests)

    def request(self, place, person_id, status, staff):
        rng = self.rng
        created = self.today - datetime.timedelta(days=rng.randint(0, 20))
        request = ConsultationRequest(
            shelter_id=place.pk,
            region_id=place.region_id,
            requested_by_id=person_id,
            preferred_format=FORMATS[_pick(rng, self.format_cum)][0],
            urgency=rng.choices(list(ConsultationRequest.Urgency), [70, 22, 8])[0],
            message=rng.choice(REQUEST_MESSAGES),
            preferred_times=rng.choice(PREFERRED_TIMES),
            status=status,
            created_at=_moment(created, rng.randint(8, 18)),
        )
        if status != ConsultationRequest.Status.OPEN:
            request.answered_by_id = staff.get(place.region_id)
        if status == ConsultationRequest.Status.SCHEDULED:
            when = self.today + datetime.timedelta(days=rng.randint(2, 21))
            request.scheduled_for = _moment(when, rng.choice([10, 14]))
        if status == ConsultationRequest.Status.DECLINED:
            request.created_at = _moment(self.today - datetime.timedelta(rng.randint(30, 200)), 11)
            request.decline_reason = rng.choice(DECLINE_REASONS)
        request.demo_topic_ids = [topic.pk for topic, *_ in self.pick_topics()[:2]]
        return request

    # Follow-ups

    def follow_ups(self, places, staff):
        rng, scale = self.rng, self.scale
        on_consultations = round(scale.follow_ups * 0.75)
        # Every task needs an owner: the region's regional coordinator.
        candidates = [c for c in self.candidates if c.place.region_id in staff]
        pool = rng.sample(candidates, min(on_consultations, len(candidates)))
        topics = {topic.pk: tasks for topic, _, _, _, tasks in self.topics}
        follow_ups = []
        for candidate in pool:
            due_on = candidate.held_on + datetime.timedelta(days=rng.randint(5, 35))
            title = rng.choice(topics[candidate.topic_ids[0]])
            follow_ups.append(
                self.follow_up(
                    candidate.place, title, due_on, staff, candidate.pk, candidate.held_on
                )
            )
        open_places = [p for p in places if p.is_open and p.region_id in staff]
        for _ in range(scale.follow_ups - len(follow_ups) if open_places else 0):
            place = rng.choice(open_places)
            due_on = self.today + datetime.timedelta(days=rng.randint(-30, 45))
            follow_ups.append(self.follow_up(place, rng.choice(SHELTER_TASKS), due_on, staff))
        FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH_SIZE)
        return len(follow_ups)

    def follow_up(self, place, title, due_on, staff, consultation_id=None, created_on=None):
        owner_id = staff.get(place.region_id)
        done_at = None
        # Most tasks due in the past are done; the rest are overdue.
        if due_on < self.today and self.rng.random() < 0.65:
            done_at = _moment(min(due_on, self.today), self.rng.randint(9, 17))
        return FollowUp(
            region_id=place.region_id,
            title=title,
            due_on=due_on,
            owner_id=owner_id,
            consultation_id=consultation_id,
            shelter_id=place.pk,
            done_at=done_at,
            created_by_id=owner_id,
            created_at=_moment(
                created_on or min(self.today, due_on - datetime.timedelta(days=14)), 16
            ),
        )


def _cumulative(weights):
    total, cumulative = 0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _pick(rng, cumulative):
    """The index of a weighted choice; bisect-free because the lists are short."""
    x = rng.random() * cumulative[-1]
    for index, bound in enumerate(cumulative):
        if x < bound:
            return index
    return len(cumulative) - 1


def _moment(day, hour):
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _bulk_create_consultations(batch):
    """The portable way: bulk_create, which returns the new primary keys."""
    consultations = [
        Consultation(
            region_id=p.place.region_id,
            shelter_id=p.place.pk,
            held_on=p.held_on,
            duration_minutes=p.duration_minutes,
            format=p.format,
            other_participants=p.other_participants,
            confidential_note=p.confidential_note,
            next_steps=p.next_steps,
            logged_by_id=p.logged_by_id,
            created_at=_moment(p.held_on, 17),
        )
        for p in batch
    ]
    Consultation.objects.bulk_create(consultations, batch_size=BATCH_SIZE)
    for planned, consultation in zip(batch, consultations, strict=True):
        planned.pk = consultation.pk
    Topics = Consultation.topics.through
    People = Consultation.participants.through
    Topics.objects.bulk_create(
        [
            Topics(consultation_id=p.pk, topic_id=topic_id)
            for p in batch
            for topic_id in p.topic_ids
        ],
        batch_size=BATCH_SIZE,
    )
    People.objects.bulk_create(
        [People(consultation_id=p.pk, user_id=p.person_id) for p in batch if p.person_id],
        batch_size=BATCH_SIZE,
    )


CONSULTATION_COLUMNS = [
    "id",
    "region",
    "shelter",
    "held_on",
    "duration_minutes",
    "format",
    "other_participants",
    "confidential_note",
    "next_steps",
    "logged_by",
    "created_at",
    "updated_at",
]


def _copy_consultations(batch):
    """PostgreSQL's COPY, several times faster than INSERT for half a million rows: the keys are
    drawn from the table's sequence first, so that the topic and participant rows can follow."""
    quote = connection.ops.quote_name
    meta = Consultation._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in CONSULTATION_COLUMNS)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(batch)],
        )
        for planned, (pk,) in zip(batch, cursor.fetchall(), strict=True):
            planned.pk = pk
        raw = cursor.cursor  # psycopg's own cursor, which speaks COPY
        with raw.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for p in batch:
                copy.write_row(
                    (
                        p.pk,
                        p.place.region_id,
                        p.place.pk,
                        p.held_on,
                        p.duration_minutes,
                        p.format,
                        p.other_participants,
                        p.confidential_note,
                        p.next_steps,
                        p.logged_by_id,
                        _moment(p.held_on, 17),
                        now,
                    )
                )
        for through, column, rows in [
            (
                Consultation.topics.through,
                "topic_id",
                ((p.pk, topic_id) for p in batch for topic_id in p.topic_ids),
            ),
            (
                Consultation.participants.through,
                "user_id",
                ((p.pk, p.person_id) for p in batch if p.person_id),
            ),
        ]:
            table = quote(through._meta.db_table)
            with raw.copy(f"COPY {table} (consultation_id, {column}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
