"""Fictional, reproducible demo volunteering on top of the places demo: opportunities per shelter,
volunteers in every stage of the pipeline, weekly shifts from some weeks back to some weeks ahead
(some full, some with a waiting list), hours, clearances (one due soon) and applications.

Like the events demo, dates are drawn relative to today (a start page needs "this week"); one
seed gives the same rows on the same day. Shelters are generated in chunks and written with
bulk inserts (PostgreSQL COPY for the largest tables), so that `large` (3,000 shelters, ~30,000
opportunities, ~300,000 volunteers, ~2 million shift sign-ups) keeps memory flat; the figures are
counted once at the end (records.recompute_figures) instead of through the per-row services.

Everything hangs on the demo shelters (operators on example.org), which is how
`delete_demo_data` finds it again. The documented logins: the demo coordinators (eak1@… in
Nord, eak2@… in West) and the volunteer freiwillig1@…, who has records in eak1's shelter.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from bfe.accounts.models import User
from bfe.core import fragments
from bfe.places.demo import DEMO_EMAIL_DOMAIN, ORGANISATION_DOMAIN
from bfe.places.models import LANGUAGE_CHOICES, CoordinatorPosition, District, Shelter

from .models import (
    Application,
    Area,
    Clearance,
    ConsentRecord,
    HoursEntry,
    Note,
    Opportunity,
    OpportunityLanguage,
    Shift,
    ShiftSeries,
    ShiftSignup,
    Volunteer,
)
from .services.records import recompute_figures

BATCH_SIZE = 5000
SHELTERS_PER_CHUNK = 100
VOLUNTEER_DOMAIN = "freiwillige.example"
CONSENT_VERSION = "2026-12"
DEMO_VOLUNTEER_EMAIL = f"freiwillig1@{DEMO_EMAIL_DOMAIN}"
LANGUAGES = [code for code, _label in LANGUAGE_CHOICES]
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class Scale:
    opportunities: tuple  # per open shelter, (min, max)
    volunteers: tuple  # per open shelter with a coordinator, (min, max)
    volunteers_vacant: tuple  # per open shelter without one
    weeks_back: int  # weekly shifts from this many weeks ago …
    weeks_ahead: int  # … to this many ahead
    hours_share: float  # share of past confirmed sign-ups with an hours entry
    notes: bool


SCALES = {
    "small": Scale(
        opportunities=(2, 5),
        volunteers=(10, 14),
        volunteers_vacant=(0, 4),
        weeks_back=8,
        weeks_ahead=6,
        hours_share=0.9,
        notes=True,
    ),
    "large": Scale(
        opportunities=(8, 12),
        volunteers=(85, 125),
        volunteers_vacant=(40, 80),
        weeks_back=12,
        weeks_ahead=10,
        hours_share=0.3,
        notes=False,
    ),
}

# Stage shares of a shelter's volunteers (the first of each stage is always there).
STAGE_WEIGHTS = [
    (Volunteer.Stage.APPLIED, 8),
    (Volunteer.Stage.CONTACTED, 6),
    (Volunteer.Stage.FIRST_MEETING, 5),
    (Volunteer.Stage.ONBOARDING, 6),
    (Volunteer.Stage.ACTIVE, 50),
    (Volunteer.Stage.PAUSED, 8),
    (Volunteer.Stage.ENDED, 17),
]
END_REASONS = [r for r in Volunteer.EndReason if r != Volunteer.EndReason.SHELTER_CLOSED]
STATUS_WEIGHTS = [
    (Opportunity.Status.OPEN, 70),
    (Opportunity.Status.DRAFT, 8),
    (Opportunity.Status.FILLED, 10),
    (Opportunity.Status.PAUSED, 6),
    (Opportunity.Status.CLOSED, 6),
]
# area slug -> titles and a description
OPPORTUNITIES = {
    "kinderbetreuung": (["Spielnachmittag für Kinder", "Kinderbetreuung während der Sprechstunde"],
                        "Wir spielen, basteln und lesen vor, während die Eltern Termine haben."),
    "hausaufgabenhilfe": (["Hausaufgabenhilfe", "Lernpatenschaft Grundschule"],
                          "Unterstützung bei Hausaufgaben in Deutsch, Mathe und Englisch."),
    "sprachcafe": (["Sprachcafé: Deutsch üben", "Sprachtandem am Abend"],
                   "Bei Tee und Kaffee üben Bewohner:innen Deutsch im Gespräch."),
    "begleitung": (["Begleitung zu Ämtern", "Begleitung zu Ärzt:innen"],
                   "Sie begleiten zu Terminen beim Jobcenter, Bezirksamt oder in der Praxis."),
    "dolmetschen": (["Dolmetschen bei Terminen", "Sprachmittlung Arabisch–Deutsch"],
                    "Sie übersetzen bei Gesprächen und Terminen."),
    "sport": (["Fußball mit Jugendlichen", "Frauensport im Hof"],
              "Bewegung, Spaß und Gemeinschaft, einmal die Woche."),
    "freizeit": (["Ausflüge am Wochenende", "Museumsbesuche für Familien"],
                 "Wir zeigen Berlin: Parks, Museen, Spielplätze."),
    "handwerk": (["Fahrradwerkstatt", "Reparaturcafé"],
                 "Gemeinsam Fahrräder und Kleinigkeiten reparieren."),
    "garten": (["Gemeinschaftsgarten", "Hochbeete bepflanzen"],
               "Gärtnern mit Bewohner:innen im Garten der Unterkunft."),
    "kleiderkammer": (["Kleiderkammer sortieren", "Ausgabe in der Kleiderkammer"],
                      "Spenden sortieren und an Bewohner:innen ausgeben."),
    "sonstiges": (["Unterstützung im Nachbarschaftstreff", "Hilfe beim Sommerfest"],
                  "Vielfältige Aufgaben rund um das Leben in der Unterkunft."),
}  # fmt: skip
TIMES = [(10, 12), (14, 16), (15, 17), (16, 18), (17, 19), (18, 20)]
NOTES = [
    "Telefonisch erreicht, kommt zum Kennenlernen am Dienstag.",
    "Spricht Arabisch und Französisch, gerne für Begleitungen einsetzen.",
    "Hat nur in den Schulferien Zeit.",
    "Ehrenamtsvereinbarung mitgegeben.",
]


def demo_shelters():
    return Shelter.objects.filter(operator__email__iendswith=f".{ORGANISATION_DOMAIN}")


def _delete_with_dependents(queryset):
    """Delete the rows with everything that cascades from them, one statement per table, leaf
    tables first: the collector would load millions of rows at `large` (every model has
    post_delete listeners, bfe/core/fragments.py, so Django cannot fast-delete)."""
    for relation in queryset.model._meta.related_objects:
        if relation.many_to_many:
            continue
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": queryset}
        )
        if relation.on_delete is models.CASCADE:
            _delete_with_dependents(related)
        elif relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
    queryset._raw_delete(queryset.db)


@transaction.atomic
def delete_demo_data():
    """Delete the volunteering rows of the demo shelters (records, then opportunities)."""
    shelters = demo_shelters()
    _delete_with_dependents(Volunteer.objects.filter(shelter__in=shelters))
    _delete_with_dependents(Opportunity.objects.filter(shelter__in=shelters))
    recompute_figures(list(shelters.values_list("pk", flat=True)))
    fragments.bump("volunteering")


@transaction.atomic
def seed(scale="small", seed=2016):
    """Create demo volunteering on top of the places demo; returns {German label: count}."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    counts = _Generator(scale, seed).run()
    fragments.bump("volunteering")
    return counts


def _copy(model, fields, rows):
    """Insert plain rows (tuples in the order of `fields`): COPY on PostgreSQL, bulk_create
    elsewhere. For the largest tables, whose primary keys nobody needs back."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(name).column for name in fields]
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
    return len(rows)


class _Generator:
    def __init__(self, scale, seed):
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed * 1000 + 10)
        self.fake = Faker("de_DE")
        self.fake.seed_instance(seed + 10)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.monday = self.today - datetime.timedelta(days=self.today.weekday())
        self.counts = dict.fromkeys(
            [
                "opportunities",
                "volunteers",
                "shifts",
                "signups",
                "waitlisted",
                "hours",
                "clearances",
                "applications",
            ],
            0,
        )

    def run(self):
        self.areas = {area.slug: area for area in Area.objects.all()}
        coordinators = dict(
            CoordinatorPosition.objects.current()
            .filter(person__email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
            .values_list("shelter_id", "person_id")
        )
        self.eak1_shelter = (
            CoordinatorPosition.objects.current()
            .filter(person__email=f"eak1@{DEMO_EMAIL_DOMAIN}")
            .values_list("shelter_id", flat=True)
            .first()
        )
        self.demo_volunteer = User.objects.filter(email=DEMO_VOLUNTEER_EMAIL).first()
        shelters = list(
            demo_shelters()
            .open()
            .order_by("pk")
            .values("pk", "name", "district_id", "latitude", "longitude", "address_public")
        )
        districts = {
            pk: (lat, lng)
            for pk, lat, lng in District.objects.values_list("pk", "latitude", "longitude")
        }
        for start in range(0, len(shelters), SHELTERS_PER_CHUNK):
            chunk = shelters[start : start + SHELTERS_PER_CHUNK]
            self.chunk(chunk, coordinators, districts)
        recompute_figures()
        c = self.counts
        return {
            "Engagementangebote": c["opportunities"],
            "Freiwillige (Datensätze der Unterkünfte)": c["volunteers"],
            "Einsätze": c["shifts"],
            "Eintragungen in Einsätze": c["signups"],
            "  davon Warteliste": c["waitlisted"],
            "Stundeneinträge": c["hours"],
            "Führungszeugnisse (nur Einsichtnahme)": c["clearances"],
            "Bewerbungen": c["applications"],
        }

    # One chunk of shelters: everything of theirs, written before the next chunk is made.

    def chunk(self, shelters, coordinators, districts):
        opportunities, volunteers = [], []
        for shelter in shelters:
            opportunities += self.opportunities(shelter, districts)
            staffed = shelter["pk"] in coordinators
            volunteers += self.volunteers(shelter, staffed)
        Opportunity.objects.bulk_create(opportunities, batch_size=BATCH_SIZE)
        _copy(
            OpportunityLanguage,
            ["opportunity_id", "language"],
            [(o.pk, code) for o in opportunities for code in o._demo_languages],
        )
        Volunteer.objects.bulk_create(volunteers, batch_size=BATCH_SIZE)
        self.counts["opportunities"] += len(opportunities)
        self.counts["volunteers"] += len(volunteers)

        by_shelter = {}
        for volunteer in volunteers:
            by_shelter.setdefault(volunteer.shelter_id, []).append(volunteer)
        opportunities_by_shelter = {}
        for opportunity in opportunities:
            opportunities_by_shelter.setdefault(opportunity.shelter_id, []).append(opportunity)
        self.shifts_and_signups(opportunities, by_shelter, coordinators)
        self.clearances(volunteers)
        self.applications(opportunities_by_shelter, by_shelter)
        if self.scale.notes:
            self.notes(volunteers, coordinators)

    def weighted(self, weights):
        values, shares = zip(*weights, strict=True)
        return self.rng.choices(values, shares)[0]

    def opportunities(self, shelter, districts):
        rng = self.rng
        count = rng.randint(*self.scale.opportunities)
        if shelter["pk"] == self.eak1_shelter:
            count = max(count, 4)
        if shelter["address_public"] and shelter["latitude"] is not None:
            position = (shelter["latitude"], shelter["longitude"])
        else:
            position = districts[shelter["district_id"]]
        rows = []
        slugs = list(OPPORTUNITIES)
        for index in range(count):
            slug = slugs[(shelter["pk"] + index * 3) % len(slugs)]
            area = self.areas.get(slug) or next(iter(self.areas.values()))
            titles, description = OPPORTUNITIES[slug]
            status = Opportunity.Status.OPEN if index < 2 else self.weighted(STATUS_WEIGHTS)
            one_off = index >= 2 and rng.random() < 0.1
            start, end = rng.choice(TIMES)
            weekdays = 1 << rng.randrange(7)
            if rng.random() < 0.3:
                weekdays |= 1 << rng.randrange(7)
            published = self.now - datetime.timedelta(days=rng.randint(10, 400))
            opportunity = Opportunity(
                shelter_id=shelter["pk"],
                district_id=shelter["district_id"],
                area=area,
                title=rng.choice(titles),
                description=f"{description}\n\nSie sind bei uns in der {shelter['name']} "
                "herzlich willkommen; wir arbeiten Sie ein.",
                schedule=Opportunity.Schedule.ONE_OFF if one_off else Opportunity.Schedule.REGULAR,
                weekdays=0 if one_off else weekdays,
                date=self.today + datetime.timedelta(days=rng.randint(3, 40)) if one_off else None,
                time_from=datetime.time(start),
                time_until=datetime.time(end),
                min_age=18 if area.works_with_children else rng.choice([None, 16, 18]),
                needs_clearance=area.works_with_children,
                volunteers_wanted=rng.randint(1, 6),
                status=status,
                public_latitude=position[0],
                public_longitude=position[1],
                created_at=published - datetime.timedelta(days=2),
                published_at=None if status == Opportunity.Status.DRAFT else published,
            )
            opportunity._demo_languages = rng.sample(LANGUAGES, rng.choice([0, 1, 1, 2]))
            rows.append(opportunity)
        return rows

    def volunteers(self, shelter, staffed):
        rng = self.rng
        low, high = self.scale.volunteers if staffed else self.scale.volunteers_vacant
        count = rng.randint(low, high)
        stages = [stage for stage, _weight in STAGE_WEIGHTS] if staffed else []
        stages += [self.weighted(STAGE_WEIGHTS) for _ in range(max(count - len(stages), 0))]
        if shelter["pk"] == self.eak1_shelter:
            # The documented coordinator has a few fresh applications to answer.
            stages += [Volunteer.Stage.APPLIED] * 2
        rows = []
        for index, stage in enumerate(stages):
            first, last = self.fake.first_name(), self.fake.last_name()
            changed = self.now - datetime.timedelta(days=self.stage_age(stage))
            source = rng.choices(
                [Volunteer.Source.APPLICATION, Volunteer.Source.IMPORT, Volunteer.Source.MANUAL],
                [60, 25, 15],
            )[0]
            if stage in (Volunteer.Stage.APPLIED, Volunteer.Stage.CONTACTED):
                source = Volunteer.Source.APPLICATION
            volunteer = Volunteer(
                shelter_id=shelter["pk"],
                full_name=f"{first} {last}",
                email=f"{_ascii(first)}.{_ascii(last)}.{shelter['pk']}-{index}@{VOLUNTEER_DOMAIN}",
                phone=f"030 {rng.randint(1000000, 9999999)}" if rng.random() < 0.5 else "",
                languages=["de", *rng.sample(LANGUAGES[1:], rng.choice([0, 1, 2]))],
                stage=stage,
                stage_changed_at=changed,
                end_reason=rng.choice(END_REASONS) if stage == Volunteer.Stage.ENDED else "",
                source=source,
                created_at=changed - datetime.timedelta(days=self.time_to_reach(stage)),
                last_activity_at=changed,
            )
            rows.append(volunteer)
        if shelter["pk"] == self.eak1_shelter and self.demo_volunteer:
            user = self.demo_volunteer
            rows.append(
                Volunteer(
                    shelter_id=shelter["pk"],
                    user=user,
                    full_name=user.full_name or "Frieda Freiwillig",
                    email=user.email,
                    languages=["de", "en", "fr"],
                    stage=Volunteer.Stage.ACTIVE,
                    stage_changed_at=self.now - datetime.timedelta(days=200),
                    source=Volunteer.Source.APPLICATION,
                    created_at=self.now - datetime.timedelta(days=230),
                    last_activity_at=self.now - datetime.timedelta(days=3),
                )
            )
        return rows

    def time_to_reach(self, stage):
        """Days from the application to the stage."""
        if stage == Volunteer.Stage.APPLIED:
            return 0
        if stage in (Volunteer.Stage.CONTACTED, Volunteer.Stage.FIRST_MEETING):
            return self.rng.randint(1, 10)
        return self.rng.randint(14, 120)

    def stage_age(self, stage):
        """Days since the record reached its stage: recent for the first stages."""
        if stage == Volunteer.Stage.APPLIED:
            return self.rng.randint(0, 12)
        if stage in (Volunteer.Stage.CONTACTED, Volunteer.Stage.FIRST_MEETING):
            return self.rng.randint(2, 30)
        return self.rng.randint(20, 500)

    # Shifts, sign-ups and hours

    def shifts_and_signups(self, opportunities, by_shelter, coordinators):
        rng, scale = self.rng, self.scale
        series_rows, shifts = [], []
        for opportunity in opportunities:
            if opportunity.status in (Opportunity.Status.DRAFT, Opportunity.Status.CLOSED):
                continue
            start, end = opportunity.time_from, opportunity.time_until
            slots = rng.randint(3, 6)
            if opportunity.schedule == Opportunity.Schedule.ONE_OFF:
                starts = _aware(opportunity.date, start)
                shifts.append(
                    Shift(opportunity=opportunity, starts_at=starts,
                          ends_at=_aware(opportunity.date, end), slots=slots)
                )  # fmt: skip
                continue
            weekday = opportunity.weekday_list[0]
            first_day = self.monday + datetime.timedelta(weeks=-scale.weeks_back, days=weekday)
            series = ShiftSeries(
                opportunity=opportunity,
                rrule=f"FREQ=WEEKLY;BYDAY={RRULE_DAYS[weekday]}",
                starts_at=_aware(first_day, start),
                duration=datetime.timedelta(hours=end.hour - start.hour),
                slots=slots,
                created_at=_aware(first_day, start) - datetime.timedelta(days=14),
            )
            series_rows.append(series)
            for week in range(scale.weeks_back + scale.weeks_ahead):
                day = first_day + datetime.timedelta(weeks=week)
                shift = Shift(
                    opportunity=opportunity,
                    starts_at=_aware(day, start),
                    ends_at=_aware(day, end),
                    slots=slots,
                    is_cancelled=rng.random() < 0.02,
                )
                shift._demo_series = series
                shifts.append(shift)
        ShiftSeries.objects.bulk_create(series_rows, batch_size=BATCH_SIZE)
        for shift in shifts:
            if hasattr(shift, "_demo_series"):
                shift.series_id = shift._demo_series.pk

        signups, hours = [], []
        # Who may take shifts, per shelter, worked out once (not per shift: 500,000 at large).
        pools = {}
        for shelter_id, volunteers in by_shelter.items():
            pool = [
                v
                for v in volunteers
                if v.stage in (Volunteer.Stage.ACTIVE, Volunteer.Stage.ONBOARDING)
            ]
            pools[shelter_id] = (pool, next((v for v in pool if v.user_id), None))
        for shift in shifts:
            pool, demo = pools.get(shift.opportunity.shelter_id, ([], None))
            self.fill(shift, pool, demo, signups, hours, coordinators)
        shifts += self.open_shift_this_week(opportunities, pools, signups)
        Shift.objects.bulk_create(shifts, batch_size=BATCH_SIZE)
        self.counts["shifts"] += len(shifts)
        _copy(
            ShiftSignup,
            ["shift_id", "volunteer_id", "status", "waitlisted_at", "created_at", "cancelled_at",
             "reminder_sent_at"],
            [(s[0].pk, *s[1:]) for s in signups],
        )  # fmt: skip
        _copy(
            HoursEntry,
            ["volunteer_id", "shift_id", "date", "hours", "activity", "status", "created_at",
             "confirmed_at", "confirmed_by_id"],
            [(h[0], h[1].pk if h[1] else None, *h[2:]) for h in hours],
        )  # fmt: skip
        self.counts["signups"] += len(signups)
        self.counts["hours"] += len(hours)
        self.demo_volunteer_hours(by_shelter, coordinators)

    def open_shift_this_week(self, opportunities, pools, signups):
        """An extra date with free places later this week in eak1's shelter, whatever the
        weekday: her start page always has a shift to fill."""
        opportunity = next(
            (o for o in opportunities
             if o.shelter_id == self.eak1_shelter and o.status == Opportunity.Status.OPEN),
            None,
        )  # fmt: skip
        if opportunity is None:
            return []
        # Tomorrow afternoon, at a time people volunteer; on a Sunday in two hours instead.
        sunday = _aware(self.monday + datetime.timedelta(days=6), datetime.time(21))
        tomorrow = _aware(self.today + datetime.timedelta(days=1), datetime.time(16))
        hour = (self.now + datetime.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        starts = tomorrow if tomorrow <= sunday else min(hour, sunday)
        shift = Shift(
            opportunity=opportunity,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            slots=4,
            note="Zusätzlicher Termin",
        )
        pool, _demo = pools.get(self.eak1_shelter, ([], None))
        if pool:
            signups.append(
                (shift, pool[0].pk, ShiftSignup.Status.CONFIRMED, None, self.now, None, None)
            )
            shift.confirmed_count = 1
        return [shift]

    def fill(self, shift, pool, demo, signups, hours, coordinators):
        """Sign-ups of a shift: past ones confirmed (with hours), future ones partly filled,
        some full with a waiting list. Keeps `confirmed_count` equal to the confirmed rows."""
        rng = self.rng
        if not pool or shift.is_cancelled:
            return
        past = shift.ends_at < self.now
        roll = rng.random()
        if past:
            taken = rng.randint(2, shift.slots)
            waiting = 0
        elif roll < 0.25:  # full, with a waiting list
            taken, waiting = shift.slots, rng.randint(1, 3)
        elif roll < 0.6:
            taken, waiting = rng.randint(1, shift.slots - 1), 0
        else:
            taken, waiting = rng.randint(2, shift.slots), 0
        chosen = rng.sample(pool, min(len(pool), taken + waiting))
        # The demo volunteer is on about half of her shelter's shifts: her pages have something.
        if demo and chosen and demo not in chosen and rng.random() < 0.5:
            chosen[0] = demo
        confirmed = chosen[:taken]
        confirmed_ids = {v.pk for v in confirmed}
        created = shift.starts_at - datetime.timedelta(days=rng.randint(1, 20))
        coordinator = coordinators.get(shift.opportunity.shelter_id)
        duration = Decimal(int((shift.ends_at - shift.starts_at).total_seconds() // 3600))
        for volunteer in chosen:
            if volunteer.pk in confirmed_ids:
                status, waitlisted_at = ShiftSignup.Status.CONFIRMED, None
            else:
                status, waitlisted_at = ShiftSignup.Status.WAITLISTED, created
            reminder = shift.starts_at - datetime.timedelta(days=1) if past else None
            signups.append((shift, volunteer.pk, status, waitlisted_at, created, None, reminder))
            with_hours = volunteer.user_id or rng.random() < self.scale.hours_share
            if past and status == ShiftSignup.Status.CONFIRMED and with_hours:
                recent = self.now - shift.ends_at < datetime.timedelta(days=10)
                hours.append(
                    (
                        volunteer.pk,
                        shift,
                        timezone.localdate(shift.starts_at),
                        duration,
                        shift.opportunity.title,
                        HoursEntry.Status.PROPOSED if recent else HoursEntry.Status.CONFIRMED,
                        shift.ends_at,
                        None if recent else shift.ends_at + datetime.timedelta(days=2),
                        None if recent else coordinator,
                    )
                )
        shift.confirmed_count = len(confirmed_ids)
        self.counts["waitlisted"] += len(chosen) - len(confirmed_ids)

    def demo_volunteer_hours(self, by_shelter, coordinators):
        """freiwillig1's hours of this year by hand (Begleitungen), beyond the FreiwilligenPass's
        80 hours and on her way to the Ehrenamtskarte."""
        volunteer = next((v for v in by_shelter.get(self.eak1_shelter, ()) if v.user_id), None)
        if volunteer is None:
            return
        coordinator = coordinators.get(self.eak1_shelter)
        rows = []
        first = self.today.replace(month=1, day=1)
        span = max((self.today - first).days, 1)
        for index in range(24):
            day = first + datetime.timedelta(days=index * span // 24)
            at = _aware(day, datetime.time(18))
            rows.append(
                HoursEntry(
                    volunteer=volunteer,
                    date=day,
                    hours=Decimal("3.5"),
                    activity="Begleitung zu Ämtern",
                    status=HoursEntry.Status.CONFIRMED,
                    created_at=at,
                    confirmed_at=at + datetime.timedelta(days=1),
                    confirmed_by_id=coordinator,
                )
            )
        HoursEntry.objects.bulk_create(rows)
        self.counts["hours"] += len(rows)

    # Clearances, applications, notes

    def clearances(self, volunteers):
        rng, rows = self.rng, []
        years = 5
        for volunteer in volunteers:
            if (
                volunteer.stage
                not in (Volunteer.Stage.ACTIVE, Volunteer.Stage.ONBOARDING, Volunteer.Stage.PAUSED)
                or rng.random() > 0.35
            ):
                continue  # fmt: skip
            inspected = self.today - datetime.timedelta(days=rng.randint(10, 365 * years - 1))
            rows.append(self.clearance(volunteer, inspected, years))
        # eak1's shelter: one clearance due within the next weeks, one already overdue.
        own = [
            v for v in volunteers
            if v.shelter_id == self.eak1_shelter and v.stage == Volunteer.Stage.ACTIVE
            and not v.user_id
        ]  # fmt: skip
        for volunteer, due_in in zip(own[:2], (25, -4), strict=False):
            rows = [row for row in rows if row.volunteer_id != volunteer.pk]
            inspected = self.today + datetime.timedelta(days=due_in) - _years(years)
            rows.append(self.clearance(volunteer, inspected, years))
        Clearance.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts["clearances"] += len(rows)

    def clearance(self, volunteer, inspected, years):
        issued = inspected - datetime.timedelta(days=self.rng.randint(3, 60))
        return Clearance(
            volunteer_id=volunteer.pk,
            inspected_on=inspected,
            issued_on=issued,
            reinspect_on=inspected + _years(years),
        )

    def applications(self, opportunities_by_shelter, by_shelter):
        """A confirmed application for each record that came through the platform (to one of
        its shelter's opportunities), and some fresh ones still unconfirmed."""
        rng, rows = self.rng, []
        for shelter_id, volunteers in by_shelter.items():
            opportunities = [
                o for o in opportunities_by_shelter.get(shelter_id, ())
                if o.status != Opportunity.Status.DRAFT
            ]  # fmt: skip
            if not opportunities:
                continue
            for volunteer in volunteers:
                if volunteer.source != Volunteer.Source.APPLICATION:
                    continue
                confirmed = volunteer.created_at + datetime.timedelta(minutes=rng.randint(3, 600))
                rows.append(
                    Application(
                        opportunity=rng.choice(opportunities),
                        volunteer_id=volunteer.pk,
                        user_id=volunteer.user_id,
                        full_name=volunteer.full_name,
                        email=volunteer.email,
                        languages=volunteer.languages,
                        message="Ich habe unter der Woche nachmittags Zeit.",
                        status=Application.Status.CONFIRMED,
                        link_salt=f"demo{shelter_id}x{volunteer.pk}",
                        consent_version=CONSENT_VERSION,
                        created_at=volunteer.created_at,
                        confirmed_at=min(confirmed, self.now),
                    )
                )
            for index in range(rng.randint(0, 2)):
                name = f"{self.fake.first_name()} {self.fake.last_name()}"
                email = f"{_ascii(name.replace(' ', '.'))}.{shelter_id}-{index}@{VOLUNTEER_DOMAIN}"
                rows.append(
                    Application(
                        opportunity=rng.choice(opportunities),
                        full_name=name,
                        email=email,
                        message="Ich würde gern helfen.",
                        link_salt=f"demo{shelter_id}u{index}",
                        consent_version=CONSENT_VERSION,
                        created_at=self.now - datetime.timedelta(hours=rng.randint(1, 40)),
                    )
                )
        Application.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        _copy(
            ConsentRecord,
            ["application_id", "volunteer_id", "user_id", "kind", "version", "given",
             "recorded_at"],
            [(a.pk, a.volunteer_id, a.user_id, ConsentRecord.Kind.PROCESSING, CONSENT_VERSION,
              True, a.created_at) for a in rows],
        )  # fmt: skip
        self.counts["applications"] += len(rows)

    def notes(self, volunteers, coordinators):
        rows = [
            Note(
                volunteer_id=v.pk,
                author_id=coordinators.get(v.shelter_id),
                text=self.rng.choice(NOTES),
                created_at=v.stage_changed_at,
            )
            for v in volunteers
            if self.rng.random() < 0.3
        ]
        Note.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _years(years):
    return datetime.timedelta(days=round(365.25 * years))


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss", "é": "e", "è": "e"})  # fmt: skip


def _ascii(text):
    return "".join(ch for ch in text.translate(_UMLAUTS).lower() if ch.isalnum() or ch == ".")
