"""Reads of consultations for the outreach list and the figures; later reporting reads these too.

Every selector starts from the viewer's scope (`Roles.of(user)`), so a view never filters by role.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncMonth
from django.utils.translation import get_language

from bfe.accounts.models import Roles
from bfe.core import disclosure, fragments
from bfe.events.selectors.attendance import attended_registrations
from bfe.events.selectors.training import people_enrolled_in_level
from bfe.places.models import CoordinatorPosition, Region, Shelter, today

from ..models import Consultation, Format, ShelterContact, Topic

OUTREACH_MONTHS_DEFAULT = 6
OUTREACH_MONTHS_MIN = 1
OUTREACH_MONTHS_MAX = 36
NEW_COORDINATOR_MONTHS = 12
# Vacancies and new coordinators are short lists on the start page; the rest is one filter away.
OUTREACH_SECTION_LIMIT = 50


# Who may read what


def can_view_outreach(user):
    """The outreach list is BfE staff's: the project lead and the regional coordinators."""
    return Roles.of(user).is_bfe_staff


def can_view_statistics(user):
    """Figures are for the lead, the regional coordinators and partners (counts only)."""
    roles = Roles.of(user)
    return roles.is_bfe_staff or roles.is_partner


def outreach_regions(user):
    """Current regions whose outreach list a person may read: all for admins, else her own."""
    roles = Roles.of(user)
    regions = Region.objects.current().order_by("name")
    if roles.is_admin:
        return regions
    return regions.filter(pk__in=roles.region_ids)


def offers_region_choice(user):
    """Whether the outreach page offers a region filter: for people with more than one region."""
    roles = Roles.of(user)
    return roles.is_admin or len(roles.region_ids) > 1


# Outreach: shelters nobody reached lately


def last_consultation_on():
    """The latest consultation's date for the shelter at OuterRef("pk"), NULL when none: the
    maintained figure (`ShelterContact`), one row per shelter by primary key."""
    latest = ShelterContact.objects.filter(shelter=OuterRef("pk"))
    return Subquery(latest.values("last_consultation_on")[:1])


def last_attendance_on():
    """The latest day on which one of the shelter's current coordinators attended a BfE event
    (Jour fixe, Werkstatt, training module …), NULL when none."""
    coordinators = CoordinatorPosition.objects.current().filter(
        shelter=OuterRef(OuterRef("pk")), person__isnull=False
    )
    latest = attended_registrations().filter(person__in=coordinators.values("person"))
    latest = latest.order_by("-event__starts_at")
    return Subquery(latest.values("day")[:1], output_field=DateField())


# Every way BfE reaches a shelter, each as a subquery of the latest date for OuterRef("pk").
CONTACT_SOURCES = {
    "last_consultation_on": last_consultation_on,
    "last_attendance_on": last_attendance_on,
}
_NEVER = datetime.date(1900, 1, 1)


def with_last_contact(shelters):
    """Shelters annotated with `last_contact_on`: the latest date over CONTACT_SOURCES, or None
    when nobody has reached the shelter yet, and `contact_or_never`: the same with a date long
    ago for None, to filter on in one expression. One subquery per source, so no N+1."""
    shelters = shelters.annotate(**{name: source() for name, source in CONTACT_SOURCES.items()})
    # GREATEST is NULL on SQLite as soon as one argument is: compare with a floor date instead.
    floor = Value(_NEVER)
    latest = Coalesce(F(next(iter(CONTACT_SOURCES))), floor)
    if len(CONTACT_SOURCES) > 1:
        latest = Greatest(*(Coalesce(F(name), floor) for name in CONTACT_SOURCES))
    return shelters.annotate(
        contact_or_never=latest, last_contact_on=NullIf(F("contact_or_never"), floor)
    )


def _shelters_in_scope(user, region=None, on=None):
    """Open shelters whose region the person looks after: admins all (or one `region`)."""
    if not can_view_outreach(user):
        return Shelter.objects.none()
    shelters = Shelter.objects.open(on)
    if region is None and Roles.of(user).is_admin:
        return shelters
    regions = outreach_regions(user)
    if region is not None:
        regions = regions.filter(pk=region.pk)
    # Exists instead of a join: a district in two regions must not list a shelter twice.
    in_regions = Region.districts.through.objects.filter(
        district=OuterRef("district"), region__in=regions
    )
    return shelters.filter(Exists(in_regions))


def shelters_without_recent_contact(user, *, months=OUTREACH_MONTHS_DEFAULT, region=None, on=None):
    """Open shelters of the person's regions (admins: all, or `region`) that nobody reached in
    the `months` months before `on` (default today), most residents first.

    Each shelter comes with its district, `last_contact_on` (None: never) and `is_staffed`.
    """
    since = (on or today()) - relativedelta(months=months)
    shelters = with_last_contact(_shelters_in_scope(user, region, on).with_vacancy())
    return (
        # One comparison, not "< since OR IS NULL": each would compute every subquery again.
        shelters.filter(contact_or_never__lt=since)
        .select_related("district")
        .order_by("-residents", "name", "pk")
    )


def vacant_shelters(user, *, region=None, on=None):
    """Open shelters of the person's regions with no staffed current coordinator post, most
    residents first, with their district and `vacant_since`: the start of the open vacancy post,
    else the last day of the last post, else None (no post was ever recorded)."""
    on = on or today()
    open_vacancy = (
        CoordinatorPosition.objects.current(on)
        .filter(shelter=OuterRef("pk"), person__isnull=True)
        .order_by("starts_on")
    )
    last_post = CoordinatorPosition.objects.filter(
        shelter=OuterRef("pk"), person__isnull=False, ends_on__lt=on
    ).order_by("-ends_on")
    return (
        _shelters_in_scope(user, region, on)
        .with_vacancy()
        .filter(is_staffed=False)
        .annotate(
            vacant_since=Coalesce(
                Subquery(open_vacancy.values("starts_on")[:1]),
                Subquery(last_post.values("ends_on")[:1]),
            )
        )
        .select_related("district")
        .order_by("-residents", "name", "pk")
    )


def basis_series_enrolments():
    """The ids of people enrolled in any Basis training series (a subquery): new coordinators
    among them are on their way and leave the outreach list."""
    return people_enrolled_in_level("basis")


def new_coordinator_positions(
    user, *, region=None, on=None, months=NEW_COORDINATOR_MONTHS, enrolled_people=None
):
    """Current staffed posts at open shelters of the person's regions that began in the last
    `months` months, newest first, with shelter, district and person.

    `enrolled_people` is the training hook: a queryset of user ids (see
    `basis_series_enrolments`) whose posts are left out, so that only coordinators who have not
    yet enrolled in a Basis series remain. None leaves nobody out.
    """
    on = on or today()
    positions = CoordinatorPosition.objects.current(on).filter(
        person__isnull=False,
        starts_on__gt=on - relativedelta(months=months),
        shelter__in=_shelters_in_scope(user, region, on),
    )
    if enrolled_people is not None:
        positions = positions.exclude(person__in=enrolled_people)
    return positions.select_related("shelter__district", "person").order_by(
        "-starts_on", "shelter__name", "pk"
    )


@dataclass(frozen=True)
class Outreach:
    """The outreach page's content; `shelters` is a queryset for pagination, the rest is read."""

    months: int
    since: datetime.date
    shelters: object
    shelter_count: int
    resident_count: int
    vacancies: list
    vacancy_count: int
    new_coordinators: list
    new_coordinator_count: int
    training_filter_applied: bool


def outreach_overview(user, *, months=OUTREACH_MONTHS_DEFAULT, region=None, on=None):
    """Everything the outreach page shows, in a fixed number of queries whatever the data size:
    shelters nobody reached (unevaluated, for pagination) with their totals, and the first
    OUTREACH_SECTION_LIMIT vacancies and new coordinators with their counts."""
    on = on or today()
    shelters = shelters_without_recent_contact(user, months=months, region=region, on=on)
    totals = shelters.order_by().aggregate(count=Count("pk"), residents=Sum("residents"))
    vacancies = vacant_shelters(user, region=region, on=on)
    enrolled = basis_series_enrolments()
    newcomers = new_coordinator_positions(user, region=region, on=on, enrolled_people=enrolled)
    return Outreach(
        months=months,
        since=on - relativedelta(months=months),
        shelters=shelters,
        shelter_count=totals["count"],
        resident_count=totals["residents"] or 0,
        vacancies=list(vacancies[:OUTREACH_SECTION_LIMIT]),
        vacancy_count=vacancies.count(),
        new_coordinators=list(newcomers[:OUTREACH_SECTION_LIMIT]),
        new_coordinator_count=newcomers.count(),
        training_filter_applied=enrolled is not None,
    )


# Statistics: counts that later reporting reads


def countable_consultations(user):
    """Consultations a person may count: all for admins and partners (partners get numbers only,
    never rows or names), her regions' for regional coordinators, none for anyone else."""
    roles = Roles.of(user)
    if roles.is_admin or roles.is_partner:
        return Consultation.objects.all()
    if roles.region_ids:
        return Consultation.objects.filter(region__in=roles.region_ids)
    return Consultation.objects.none()


def default_period(on=None):
    """The current calendar year: the period figures show when none is chosen."""
    on = on or today()
    return datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31)


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: a stable `key` (slug, format value or first day of the month),
    a `label` for people, the `count` of consultations and its `share` of all in percent.
    For partners a small count is `withheld` (see `bfe.core.disclosure`): count and share None."""

    key: object
    label: str
    count: int | None
    share: int | None
    withheld: str = ""


@dataclass(frozen=True)
class Totals:
    """The totals of a period; for partners `withheld` maps the withheld ones (None) to why."""

    consultations: int | None
    minutes: int | None
    shelters: int | None
    coordinators: int | None
    withheld: dict = field(default_factory=dict)

    @property
    def hours(self):
        """Hours of consultation, to one decimal."""
        if self.minutes is None:
            return None
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _rows(items, total):
    return [
        CountRow(key, label, count, round(100 * count / total) if total else 0)
        for key, label, count in items
    ]


def consultation_totals(consultations):
    """Totals of the given consultations: how many, minutes, distinct shelters reached and
    distinct people consulted (the participants, nearly all of them coordinators)."""
    figures = consultations.order_by().aggregate(
        consultations=Count("pk"),
        minutes=Sum("duration_minutes"),
        shelters=Count("shelter", distinct=True),
    )
    people = Consultation.participants.through.objects.filter(consultation__in=consultations)
    coordinators = people.aggregate(n=Count("user", distinct=True))["n"]
    return Totals(
        consultations=figures["consultations"],
        minutes=figures["minutes"] or 0,
        shelters=figures["shelters"],
        coordinators=coordinators,
    )


def counts_by_region(consultations, *, regions=None):
    """Consultations per region they were logged in (by name), as CountRows keyed by slug.

    `regions` adds rows with 0 for regions without consultations.
    """
    grouped = (
        consultations.order_by()
        .values("region__slug", "region__name")
        .annotate(n=Count("pk"))
        .values_list("region__slug", "region__name", "n")
    )
    counts = {slug: (name, n) for slug, name, n in grouped}
    for region in regions if regions is not None else []:
        counts.setdefault(region.slug, (region.name, 0))
    items = sorted(((slug, name, n) for slug, (name, n) in counts.items()), key=lambda r: r[1])
    return _rows(items, sum(n for _, _, n in items))


def counts_by_topic(consultations, *, total=None):
    """Consultations per topic, in the taxonomy's order, as CountRows keyed by slug; every active
    topic appears, retired ones only where counted. A consultation counts once for each of its
    topics, so the shares (of all consultations, `total` if known) may add up to more than 100."""
    through = Consultation.topics.through.objects.filter(consultation__in=consultations)
    grouped = through.order_by().values("topic").annotate(n=Count("consultation"))
    counts = dict(grouped.values_list("topic", "n"))
    if total is None:
        total = consultations.order_by().count()
    topics = Topic.objects.filter(Q(is_active=True) | Q(pk__in=counts))
    return [
        CountRow(
            topic.slug,
            topic.label,
            counts.get(topic.pk, 0),
            round(100 * counts.get(topic.pk, 0) / total) if total else 0,
        )
        for topic in topics
    ]


def counts_by_format(consultations):
    """Consultations per format (on site, phone, video), every format listed, keyed by value."""
    counts = dict(
        consultations.order_by().values("format").annotate(n=Count("pk")).values_list("format", "n")
    )
    items = [(value, label, counts.get(value, 0)) for value, label in Format.choices]
    return _rows(items, sum(counts.values()))


def counts_by_month(consultations, start, end):
    """Consultations per calendar month from `start` to `end`, every month listed (0 where none),
    as CountRows keyed and labelled by the month's first day."""
    grouped = (
        consultations.order_by()
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counts = {_as_date(month): n for month, n in grouped}
    items = []
    month = start.replace(day=1)
    while month <= end:
        items.append((month, month, counts.get(month, 0)))
        month += relativedelta(months=1)
    return _rows(items, sum(counts.values()))


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass(frozen=True)
class ConsultationFigures:
    """The figures of one period in one scope: totals and the four breakdowns. `protected`:
    small counts are withheld; `withheld_breakdowns` names the breakdowns withheld whole."""

    start: datetime.date
    end: datetime.date
    totals: Totals
    by_region: list
    by_topic: list
    by_format: list
    by_month: list
    protected: bool = False
    withheld_breakdowns: frozenset = frozenset()


def _figures_scope(roles):
    """What the figures of a person depend on: all regions (admins, partners) or hers, and
    whether small counts are withheld."""
    regions = "all" if roles.is_admin or roles.is_partner else sorted(roles.region_ids)
    return (regions, "exact" if roles.is_bfe_staff else "protected")


def consultation_figures(user, *, start, end):
    """Figures of the consultations held from `start` to `end` (inclusive) that the person may
    count (see `countable_consultations`), in a fixed number of queries. Regions of her scope
    appear with 0 where nothing was logged. People outside BfE staff (partners) get them with
    small counts withheld (`withhold_small_counts`); BfE staff get exact numbers.

    A year's figures read ~100,000 rows per national scope: they are cached per scope, period,
    language and day until a consultation (or a topic, region) changes."""
    roles = Roles.of(user)
    return fragments.cached(
        "consultations.figures",
        lambda: _compute_figures(user, roles, start=start, end=end),
        apps=("consultations", "places"),
        vary=(*_figures_scope(roles), start, end, get_language(), today()),
    )


def _compute_figures(user, roles, *, start, end):
    consultations = countable_consultations(user).in_period(start, end)
    regions = Region.objects.current()
    if not (roles.is_admin or roles.is_partner):
        regions = regions.filter(pk__in=roles.region_ids)
    totals = consultation_totals(consultations)
    figures = ConsultationFigures(
        start=start,
        end=end,
        totals=totals,
        by_region=counts_by_region(consultations, regions=regions),
        by_topic=counts_by_topic(consultations, total=totals.consultations),
        by_format=counts_by_format(consultations),
        by_month=counts_by_month(consultations, start, end),
    )
    return figures if roles.is_bfe_staff else withhold_small_counts(figures)


# A consultation has one region, format and month, and one or more topics.
BREAKDOWNS_ADD_UP = {"by_region": True, "by_format": True, "by_month": True, "by_topic": False}


def withhold_small_counts(figures):
    """The figures with every count from 1 to 4 withheld, and with whatever else is needed so
    that none can be recovered from the totals (`bfe.core.disclosure`: primary and secondary
    cell suppression). Below 5 consultations in all, no breakdown and no hours are shown."""
    totals = figures.totals
    withheld = {
        name: disclosure.SMALL
        for name in ("consultations", "shelters", "coordinators")
        if disclosure.is_small(getattr(totals, name))
    }
    if "consultations" in withheld:
        withheld["minutes"] = disclosure.COMPLEMENTARY
    breakdowns, withheld_whole = {}, set()
    for name, adds_up in BREAKDOWNS_ADD_UP.items():
        rows = getattr(figures, name)
        marks = None
        if "consultations" not in withheld:
            counts = [row.count for row in rows]
            marks = disclosure.withhold(counts, totals.consultations, adds_up=adds_up)
        if marks is None:
            withheld_whole.add(name)
            breakdowns[name] = []
            continue
        breakdowns[name] = [
            replace(row, count=None, share=None, withheld=mark) if mark else row
            for row, mark in zip(rows, marks, strict=True)
        ]
    return replace(
        figures,
        totals=replace(totals, withheld=withheld, **dict.fromkeys(withheld)),
        protected=True,
        withheld_breakdowns=frozenset(withheld_whole),
        **breakdowns,
    )
