"""Fictional, reproducible demo events: a year of Jours fixes per region, Werkstätten with guests,
Netzwerktreffen, the training series Basis and Aufbau with enrolments, attendance and
certificates.

Unlike places, the calendar has to be around today to be useful, so dates are drawn relative to
the first day of the current month: one seed gives the same data all month long. Everything is
created by (or organised by) demo logins, which is how `delete_demo_data` finds it again.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from faker import Faker

from bfe.accounts.models import Role, User
from bfe.places.demo import ADMIN_EMAIL, DEMO_EMAIL_DOMAIN, SYNTHETIC_REGION_PREFIX
from bfe.places.models import CoordinatorPosition, Region

from .models import (
    Audience,
    Certificate,
    Document,
    Enrolment,
    Event,
    Registration,
    Series,
    TrainingModule,
    TrainingSeries,
)
from .services.series import create_series

BATCH_SIZE = 2000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by hand
GUEST_DOMAIN = "example.org"


@dataclass(frozen=True)
class Scale:
    months_back: int  # Jours fixes from this many months before the current month …
    months_ahead: int  # … to this many after it
    online_series: bool  # a second, fortnightly online Jour fixe per region
    workshops: int
    network_meetings: int
    jour_fixe_capacity: int
    registration_share: tuple  # share of a region's coordinators registering (past, future)
    training_years_back: int  # training series of this many earlier years, this one and next


SCALES = {
    "small": Scale(
        months_back=6,
        months_ahead=6,
        online_series=False,
        workshops=4,
        network_meetings=3,
        jour_fixe_capacity=25,
        registration_share=(0.3, 0.15),
        training_years_back=1,
    ),
    "large": Scale(
        months_back=12,
        months_ahead=12,
        online_series=True,
        workshops=120,
        network_meetings=80,
        jour_fixe_capacity=40,
        registration_share=(0.6, 0.35),
        training_years_back=6,
    ),
}

# Berlin's three Jours fixes: rule, start, end, venue, address.
BERLIN_SERIES = {
    "nord": ("FREQ=MONTHLY;BYDAY=2WE", 10, 12, "Stadtteilzentrum Am Wiesengrund",
             "Wiesengrund 14, 13347 Berlin"),
    "west": ("FREQ=MONTHLY;BYDAY=3TU", 10, 12, "Nachbarschaftshaus Am Lindenhof",
             "Lindenhofweg 3, 13581 Berlin"),
    "suedost": ("FREQ=MONTHLY;BYDAY=1TH", 14, 16, "Begegnungsstätte An der Aue",
                "An der Aue 7, 12487 Berlin"),
}  # fmt: skip
OTHER_RULES = ["FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=2TH", "FREQ=MONTHLY;BYDAY=4WE",
               "FREQ=MONTHLY;BYDAY=-1MO", "FREQ=MONTHLY;BYDAY=3FR"]  # fmt: skip
JOUR_FIXE_TEXT = (
    "Der Jour fixe ist der regelmäßige Austausch der Ehrenamtskoordinator:innen der Region.\n\n"
    "- Neuigkeiten aus den Unterkünften und vom LAF\n"
    "- kollegiale Beratung zu einem Fall aus der Praxis\n"
    "- Termine und Angebote im Sozialraum\n\n"
    "Bitte melden Sie sich an, damit wir planen können."
)
ACCESSIBILITY = (
    "Der Raum ist stufenlos erreichbar, eine barrierefreie Toilette ist vorhanden. "
    "Bitte sagen Sie uns Bescheid, wenn Sie Verdolmetschung brauchen."
)
WORKSHOPS = [
    ("Werkstatt: Engagement im Sozialraum",
     "Wie öffnen sich Unterkünfte zur Nachbarschaft? Mit Gästen aus Bezirksämtern, "
     "Nachbarschaftshäusern und Willkommensbündnissen."),
    ("Werkstatt: Beteiligung von Bewohner:innen",
     "Bewohner:innen gestalten mit: Beiräte, Sprechstunden, eigene Projekte. Wir teilen, "
     "was funktioniert – und was nicht."),
    ("Werkstatt: Ehrenamt und Hauptamt – Rollen klären",
     "Wer entscheidet was? Eine Werkstatt zu Absprachen zwischen Freiwilligen, Sozialarbeit "
     "und Leitung."),
    ("Werkstatt: Digitale Werkzeuge im Freiwilligenmanagement",
     "Dienstpläne, Messenger, Datenschutz: was sich in der Praxis bewährt."),
    ("Werkstatt: Anerkennung, die ankommt",
     "Ehrenamtskarte, Nachweise, kleine Gesten – Formen der Anerkennung im Alltag."),
    ("Werkstatt: Mehrsprachigkeit in der Unterkunft",
     "Sprachmittlung, Piktogramme, Übersetzungs-Apps: Erfahrungen und Grenzen."),
]  # fmt: skip
PROGRAMME = (
    "**14:00** Ankommen und Kaffee\n\n"
    "**14:15** Begrüßung durch das BfE\n\n"
    "**14:30** Impulse aus der Praxis (je 10 Minuten)\n\n"
    "**15:15** Arbeitsgruppen\n\n"
    "**16:30** Ergebnisse und Verabredungen\n\n"
    "**17:30** Ende"
)
NETWORK_MEETINGS = [
    "Netzwerktreffen der Willkommensinitiativen",
    "Netzwerktreffen Betreiber und Freiwilligenagenturen",
    "Netzwerktreffen Sport und Bewegung",
    "Netzwerktreffen Kinder und Familien",
]
VENUES = [
    ("Haus der Nachbarschaft Am Birkenhain", "Birkenhain 21, 10405 Berlin"),
    ("Forum Am Mühlenbogen", "Mühlenbogen 5, 10961 Berlin"),
    ("Kulturetage Im Lindengarten", "Im Lindengarten 2, 12043 Berlin"),
]
GUEST_ORGANISATIONS = [
    "Bezirksamt Pankow", "Bezirksamt Spandau", "Senatsverwaltung für Integration",
    "Willkommensbündnis Schilfau", "Stiftung Quellenfeld", "Freiwilligenagentur Nord",
    "Abgeordnetenhaus, Büro einer Abgeordneten", "Initiative Neue Nachbarn Spree",
]  # fmt: skip
MINUTES = (
    "## Ergebnisse\n\n"
    "- Austausch zur Situation in den Unterkünften der Region\n"
    "- Verabredung: gemeinsame Schulung zur Anerkennungskultur\n\n"
    "## Nächste Schritte\n\n"
    "Die Regionalkoordination verschickt die Materialien bis zum nächsten Jour fixe."
)


def _days(n):
    return datetime.timedelta(days=n)


def _add_months(day, months):
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _berlin(day, hour, minute=0):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


def _next_weekday(day, weekday):
    return day + _days((weekday - day.weekday()) % 7)


def demo_users():
    return User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")


@transaction.atomic
def delete_demo_data():
    """Delete the events app's demo rows: whatever demo logins created or organise."""
    users = demo_users()
    training = TrainingSeries.objects.filter(organisers__in=users)
    series = Series.objects.filter(organisers__in=users)
    Certificate.objects.filter(Q(person__in=users) | Q(series__in=training)).delete()
    Enrolment.objects.filter(series__in=training).delete()
    Event.objects.filter(
        Q(created_by__in=users) | Q(training_series__in=training) | Q(series__in=series)
    ).delete()
    Series.objects.filter(pk__in=list(series.values_list("pk", flat=True))).delete()
    TrainingSeries.objects.filter(pk__in=list(training.values_list("pk", flat=True))).delete()


@transaction.atomic
def seed(scale="small", seed=2016):
    """Create demo events on top of the places demo; returns {German label: count}."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    return _Generator(scale, seed).run()


class _Generator:
    def __init__(self, scale, seed):
        self.scale = scale
        self.seed = seed
        self.today = timezone.localdate()
        self.anchor = self.today.replace(day=1)
        self.now = timezone.now()
        self.fake = Faker("de_DE")
        self.fake.seed_instance(seed + 7)
        self.registrations = []
        self.documents = []

    def rng(self, offset):
        """A generator per part, so that changing one part leaves the others as they were."""
        return random.Random(self.seed * 1000 + offset)

    def run(self):
        self.admin = User.objects.get(email=ADMIN_EMAIL)
        regions = list(
            Region.objects.filter(
                Q(slug__in=BERLIN_SERIES) | Q(slug__startswith=SYNTHETIC_REGION_PREFIX)
            ).order_by("slug")
        )
        self.coordinators = self.coordinators_by_region(regions)
        self.all_coordinators = sorted({pk for pks in self.coordinators.values() for pk in pks})
        series = self.jour_fixe_series(regions)
        jours_fixes = list(
            Event.objects.filter(series__in=series).order_by("series_id", "series_slot")
        )
        self.register_for_jours_fixes(jours_fixes)
        workshops = self.workshops()
        meetings = self.network_meetings()
        training_series, modules, enrolments, certificates = self.training()
        Registration.objects.bulk_create(self.registrations, batch_size=BATCH_SIZE)
        Document.objects.bulk_create(self.documents, batch_size=BATCH_SIZE)
        events = len(jours_fixes) + len(workshops) + len(meetings) + len(modules)
        return {
            "Veranstaltungen": events,
            "  davon Jours fixes": len(jours_fixes),
            "  davon Werkstätten": len(workshops),
            "  davon Netzwerktreffen": len(meetings),
            "  davon Fortbildungsmodule": len(modules),
            "Jour-fixe-Reihen": len(series),
            "Anmeldungen": len(self.registrations),
            "  davon Warteliste": sum(
                r.status == Registration.Status.WAITLISTED for r in self.registrations
            ),
            "  davon teilgenommen": sum(r.attended for r in self.registrations),
            "Protokolle": len(self.documents),
            "Fortbildungsreihen": len(training_series),
            "Einschreibungen": enrolments,
            "Teilnahmebescheinigungen": certificates,
        }

    # People

    def coordinators_by_region(self, regions):
        """Region pk -> sorted pks of the demo coordinators with a current post there."""
        district_regions = defaultdict(list)
        for region_pk, district_pk in Region.districts.through.objects.filter(
            region__in=regions
        ).values_list("region_id", "district_id"):
            district_regions[district_pk].append(region_pk)
        by_region = defaultdict(set)
        rows = (
            CoordinatorPosition.objects.current()
            .filter(person__email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
            .values_list("person_id", "shelter__district_id")
        )
        for person_pk, district_pk in rows:
            for region_pk in district_regions[district_pk]:
                by_region[region_pk].add(person_pk)
        return {region.pk: sorted(by_region[region.pk]) for region in regions}

    def regional_coordinator(self, region):
        role = (
            Role.objects.filter(kind=Role.Kind.REGIONAL_COORDINATOR, region=region)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return role.user if role else self.admin

    def person_pk(self, email):
        return User.objects.filter(email=email).values_list("pk", flat=True).first()

    # Jours fixes

    def jour_fixe_series(self, regions):
        rng, scale = self.rng(1), self.scale
        starts_on = _add_months(self.anchor, -scale.months_back)
        until = _add_months(self.anchor, scale.months_ahead) - _days(1)
        created = []
        for region in regions:
            organiser = self.regional_coordinator(region)
            if region.slug in BERLIN_SERIES:
                rule, start, end, venue, address = BERLIN_SERIES[region.slug]
            else:
                rule, start = rng.choice(OTHER_RULES), rng.choice([9, 10, 14])
                end, (venue, address) = start + 2, rng.choice(VENUES)
            created.append(
                create_series(
                    creator=organiser,
                    region=region,
                    title=f"Jour fixe {region.name}",
                    description=JOUR_FIXE_TEXT,
                    rrule=rule,
                    starts_on=starts_on,
                    until=until,
                    start_time=datetime.time(start),
                    end_time=datetime.time(end),
                    venue_name=venue,
                    venue_address=address,
                    capacity=scale.jour_fixe_capacity,
                )
            )
            if scale.online_series:
                created.append(
                    create_series(
                        creator=organiser,
                        region=region,
                        title=f"Jour fixe online {region.name}",
                        description="Kurzer Austausch per Video, 60 Minuten.",
                        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
                        starts_on=starts_on,
                        until=until,
                        start_time=datetime.time(9),
                        end_time=datetime.time(10),
                        online_url=f"https://meet.example.org/jf-{region.slug}",
                        capacity=scale.jour_fixe_capacity,
                    )
                )
        return created

    def register_for_jours_fixes(self, events):
        rng = self.rng(2)
        past_share, future_share = self.scale.registration_share
        nord, west = (
            self.person_pk(f"eak1@{DEMO_EMAIL_DOMAIN}"),
            self.person_pk(f"eak2@{DEMO_EMAIL_DOMAIN}"),
        )
        regional = dict(
            Role.objects.filter(kind=Role.Kind.REGIONAL_COORDINATOR).values_list(
                "region_id", "user_id"
            )
        )
        for event in events:
            pool = self.coordinators[event.region_id]
            past = event.ends_at < self.now
            share = past_share if past else future_share
            count = min(len(pool), round(len(pool) * share * rng.uniform(0.6, 1.4)))
            people = rng.sample(pool, count)
            # The documented logins eak1 (Nord) and eak2 (West) go to their Jours fixes.
            for demo_person in (nord, west):
                if demo_person in pool and demo_person not in people:
                    people.append(demo_person)
            self.register(rng, event, people)
            if past and rng.random() < 0.8:
                self.documents.append(
                    Document(
                        event=event,
                        kind=Document.Kind.MINUTES,
                        title=f"Protokoll {timezone.localtime(event.starts_at):%d.%m.%Y}",
                        text=MINUTES,
                        uploaded_by_id=regional.get(event.region_id),
                        uploaded_at=event.ends_at + _days(2),
                    )
                )

    def register(self, rng, event, people, *, waitlist=()):
        """Registrations of people for an event: seats first, the rest on the waiting list;
        past events get attendance (about 85 % of those with a seat came)."""
        past = event.ends_at < self.now
        capacity = event.capacity if event.capacity is not None else len(people)
        for index, person_pk in enumerate([*people, *waitlist]):
            created = event.starts_at - _days(rng.randint(2, 40))
            registration = Registration(
                event=event, person_id=person_pk, created_at=created, confirmed_at=created
            )
            if index < capacity and person_pk not in waitlist:
                registration.status = Registration.Status.CONFIRMED
                if past and rng.random() < 0.05:
                    registration.status = Registration.Status.CANCELLED
                    registration.cancelled_at = event.starts_at - _days(1)
                elif past:
                    registration.reminder_sent_at = event.starts_at - _days(1)
                    if rng.random() < 0.85:
                        registration.attended = True
                        registration.checked_in_at = event.starts_at + _minutes(
                            rng.randint(-10, 20)
                        )
            else:
                registration.status = Registration.Status.WAITLISTED
                registration.waitlisted_at = created
                registration.confirmed_at = None
            self.registrations.append(registration)

    # Werkstätten and Netzwerktreffen

    def city_wide_events(self, count, offsets, make):
        events = [make(i, self.anchor + _days(offsets[i % len(offsets)] + 7 * (i // len(offsets))))
                  for i in range(count)]  # fmt: skip
        Event.objects.bulk_create(events, batch_size=BATCH_SIZE)
        Event.organisers.through.objects.bulk_create(
            [Event.organisers.through(event_id=e.pk, user_id=self.admin.pk) for e in events],
            batch_size=BATCH_SIZE,
        )
        return events

    def workshops(self):
        rng = self.rng(3)
        # Two behind us, two ahead whatever the day of the month (more at the large scale).
        offsets = [-75, -20, 40, 75] if self.scale.workshops <= 4 else list(range(-360, 360, 6))

        def make(i, day):
            title, text = WORKSHOPS[i % len(WORKSHOPS)]
            day = _next_weekday(day, 3)  # Thursdays
            venue, address = VENUES[i % len(VENUES)]
            return Event(
                kind=Event.Kind.WORKSHOP,
                title=title if i < len(WORKSHOPS) else f"{title} ({i // len(WORKSHOPS) + 1})",
                description=f"{text}\n\nDie Werkstatt ist **offen für Gäste** aus Politik, "
                "Verwaltung und Zivilgesellschaft.",
                programme=PROGRAMME,
                starts_at=_berlin(day, 14),
                ends_at=_berlin(day, 17, 30),
                venue_name=venue,
                venue_address=address,
                accessibility_notes=ACCESSIBILITY,
                audience=Audience.GUESTS,
                capacity=30 if i != 2 else 12,
                registration_closes_at=_berlin(day - _days(2), 23, 59),
                status=Event.Status.PUBLISHED,
                created_by=self.admin,
            )

        events = self.city_wide_events(self.scale.workshops, offsets, make)
        eak1 = self.person_pk(f"eak1@{DEMO_EMAIL_DOMAIN}")
        for i, event in enumerate(events):
            pool = [pk for pk in self.all_coordinators if pk != eak1]
            if i == 2:
                # The small upcoming Werkstatt is full: eak1 waits on its list.
                people = rng.sample(pool, min(len(pool), 12))
                waiting = [*rng.sample([pk for pk in pool if pk not in people], 3), eak1]
                self.register(rng, event, people, waitlist=[pk for pk in waiting if pk])
                continue
            self.register(rng, event, rng.sample(pool, min(len(pool), rng.randint(8, 20))))
            self.guests(rng, event, rng.randint(3, 9))
        return events

    def guests(self, rng, event, count):
        past = event.ends_at < self.now
        for _ in range(count):
            name = f"{self.fake.first_name()} {self.fake.last_name()}"
            created = event.starts_at - _days(rng.randint(3, 30))
            self.registrations.append(
                Registration(
                    event=event,
                    guest_name=name,
                    guest_email=f"gast{len(self.registrations) + 1}@{GUEST_DOMAIN}",
                    guest_organisation=rng.choice(GUEST_ORGANISATIONS),
                    status=Registration.Status.CONFIRMED,
                    created_at=created,
                    confirmed_at=created + _minutes(rng.randint(2, 240)),
                    attended=past and rng.random() < 0.8,
                )
            )

    def network_meetings(self):
        rng = self.rng(4)
        offsets = [-45, 50, 95] if self.scale.network_meetings <= 3 else list(range(-350, 360, 9))

        def make(i, day):
            day = _next_weekday(day, 1)  # Tuesdays
            venue, address = VENUES[(i + 1) % len(VENUES)]
            return Event(
                kind=Event.Kind.NETWORK_MEETING,
                title=NETWORK_MEETINGS[i % len(NETWORK_MEETINGS)],
                description="Unterkünfte, Betreiber und Projekte lernen sich kennen und "
                "verabreden Zusammenarbeit.",
                starts_at=_berlin(day, 10),
                ends_at=_berlin(day, 13),
                venue_name=venue,
                venue_address=address,
                accessibility_notes=ACCESSIBILITY,
                audience=Audience.GUESTS if i % 2 == 0 else Audience.COORDINATORS,
                capacity=50,
                status=Event.Status.PUBLISHED,
                created_by=self.admin,
            )

        events = self.city_wide_events(self.scale.network_meetings, offsets, make)
        for event in events:
            pool = self.all_coordinators
            self.register(rng, event, rng.sample(pool, min(len(pool), rng.randint(10, 30))))
            if event.audience == Audience.GUESTS:
                self.guests(rng, event, rng.randint(2, 8))
        return events

    # Training series

    def training(self):
        """Basis and Aufbau of earlier years, this year and next year, with modules (one a month),
        enrolments, attendance, and certificates for the graduates of earlier years."""
        rng = self.rng(5)
        curriculum = defaultdict(list)
        for module in TrainingModule.objects.order_by("level", "number"):
            curriculum[module.level].append(module)
        year = self.today.year
        all_series, all_modules, enrolments, certificates = [], [], [], []
        codes = set()
        pool = list(self.all_coordinators)
        for level, first_month, seats in (("basis", 2, 16), ("aufbau", 3, 14)):
            for offset in range(-self.scale.training_years_back, 2):
                series_year = year + offset
                label = TrainingSeries.Level(level).label
                series = TrainingSeries.objects.create(
                    level=level,
                    year=series_year,
                    title=f"Freiwilligenkoordination BfE – {label} {series_year}",
                    description=(
                        f"Die Fortbildungsreihe {label} für Ehrenamtskoordinator:innen in "
                        "Unterkünften: Module an je einem Tag, einzeln nachholbar."
                    ),
                    seats=seats,
                    enrolment_opens_at=_berlin(datetime.date(series_year - 1, 10, 1), 9),
                    enrolment_closes_at=_berlin(datetime.date(series_year, 1, 31), 23, 59),
                    is_published=True,
                )
                series.organisers.set([self.admin])
                all_series.append(series)
                modules = []
                for index, module in enumerate(curriculum[level]):
                    day = _next_weekday(datetime.date(series_year, first_month + index, 1), 4)
                    modules.append(
                        Event(
                            kind=Event.Kind.TRAINING_MODULE,
                            title=f"{label} {module.number}: {module.title}",
                            description=f"Modul {module.number} der Reihe {label}.",
                            starts_at=_berlin(day, 9, 30),
                            ends_at=_berlin(day, 16),
                            venue_name=VENUES[0][0],
                            venue_address=VENUES[0][1],
                            accessibility_notes=ACCESSIBILITY,
                            audience=Audience.COORDINATORS,
                            capacity=seats,
                            status=Event.Status.PUBLISHED,
                            training_series=series,
                            module=module,
                            created_by=self.admin,
                        )
                    )
                Event.objects.bulk_create(modules)
                all_modules += modules
                # Next year's series has just opened: a few early enrolments only.
                size = rng.randint(3, 6) if offset == 1 else seats + rng.randint(0, 3)
                people = rng.sample(pool, min(len(pool), size))
                for index, person_pk in enumerate(people):
                    confirmed = index < seats
                    created = series.enrolment_opens_at + _days(rng.randint(0, 90))
                    enrolments.append(
                        Enrolment(
                            series=series,
                            person_id=person_pk,
                            status=Enrolment.Status.CONFIRMED
                            if confirmed
                            else Enrolment.Status.WAITLISTED,
                            created_at=created,
                            waitlisted_at=None if confirmed else created,
                        )
                    )
                    if not confirmed:
                        continue
                    # The first three of last year's group came (nearly) always and graduated.
                    diligence = 1.0 if index < 3 else rng.uniform(0.3, 0.85)
                    attended = self.module_registrations(rng, modules, person_pk, diligence)
                    needed = -(-len(modules) * series.completion_percent // 100)
                    if offset < 0 and len(attended) >= needed:
                        certificates.append(
                            self.certificate(rng, codes, series, person_pk, attended)
                        )
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH_SIZE)
        names = dict(
            User.objects.filter(pk__in=[c.person_id for c in certificates]).values_list(
                "pk", "full_name"
            )
        )
        for certificate in certificates:
            certificate.holder_name = names[certificate.person_id]
        Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
        return all_series, all_modules, len(enrolments), len(certificates)

    def module_registrations(self, rng, modules, person_pk, diligence):
        """A confirmed seat at every module; past ones attended with the given likelihood.
        Returns the modules attended."""
        attended = []
        for event in modules:
            registration = Registration(
                event=event,
                person_id=person_pk,
                status=Registration.Status.CONFIRMED,
                created_at=event.starts_at - _days(60),
                confirmed_at=event.starts_at - _days(60),
            )
            if event.ends_at < self.now and rng.random() < diligence:
                registration.attended = True
                registration.checked_in_at = event.starts_at + _minutes(rng.randint(-15, 10))
                attended.append(event)
            self.registrations.append(registration)
        return attended

    def certificate(self, rng, codes, series, person_pk, attended):
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        while code in codes:
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        codes.add(code)
        return Certificate(
            person_id=person_pk,
            series=series,
            verification_code=code,
            hours=sum((event.module.hours for event in attended), Decimal(0)),
            issued_at=max(event.ends_at for event in attended) + _days(14),
        )


def _minutes(n):
    return datetime.timedelta(minutes=n)
