"""Reads of the training series: what people see, what they attended, who is enrolled.

Attendance counts per curriculum module (`TrainingModule`), not per event: a module attended in
any year's series of the same level counts, so missed modules can be caught up in a later year.
Every function here runs a fixed number of queries, whatever the amount of data.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, TruncDate
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bfe.accounts.models import Roles
from bfe.core import pdf

from ..models import (
    Certificate,
    Enrolment,
    Event,
    Registration,
    TrainingModule,
    TrainingSeries,
)

# Completion rule used when a person is enrolled in no series of the level.
DEFAULT_COMPLETION_PERCENT = 80


# --- Series -----------------------------------------------------------------------------------


def visible_series(user):
    """Series a person may see: published ones; BfE staff also see unpublished ones."""
    series = TrainingSeries.objects.all()
    if not Roles.of(user).is_bfe_staff:
        series = series.filter(is_published=True)
    return series


def enrolment_state(series, now=None):
    """ "upcoming", "open" or "closed": enrolment is open from its opening to its closing
    instant, both included, and only for published series."""
    now = now or timezone.now()
    if not series.is_published or now > series.enrolment_closes_at:
        return "closed"
    if now < series.enrolment_opens_at:
        return "upcoming"
    return "open"


def _with_counts(series):
    confirmed = Q(enrolments__status=Enrolment.Status.CONFIRMED)
    waitlisted = Q(enrolments__status=Enrolment.Status.WAITLISTED)
    modules = Q(modules__kind=Event.Kind.TRAINING_MODULE) & ~Q(modules__status=Event.Status.DRAFT)
    return series.annotate(
        confirmed_count=Count("enrolments", filter=confirmed, distinct=True),
        waitlist_count=Count("enrolments", filter=waitlisted, distinct=True),
        module_count=Count("modules", filter=modules, distinct=True),
        first_module_at=Min("modules__starts_at", filter=modules),
        last_module_at=Max("modules__starts_at", filter=modules),
    )


def _decorate(series, now):
    """Display facts on a series row (the counts are for display only, never for decisions)."""
    series.seats_left = max(series.seats - series.confirmed_count, 0)
    series.enrolment_state = enrolment_state(series, now)
    # Over once its last module has begun: nothing left to withdraw from.
    series.is_over = series.last_module_at is not None and series.last_module_at <= now
    return series


def my_enrolments(user, series_ids):
    """The person's active enrolments in the given series by series id, each waitlisted one
    with its `waitlist_position` (1 = next to be promoted)."""
    if not user.is_authenticated:
        return {}
    ahead = (
        Enrolment.objects.filter(series=OuterRef("series"), status=Enrolment.Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("series")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enrolments = (
        Enrolment.objects.active()
        .filter(person=user, series__in=series_ids)
        .annotate(people_ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))
    )
    mine = {}
    for enrolment in enrolments:
        enrolment.is_confirmed = enrolment.status == Enrolment.Status.CONFIRMED
        enrolment.waitlist_position = None if enrolment.is_confirmed else enrolment.people_ahead + 1
        mine[enrolment.series_id] = enrolment
    return mine


@dataclass(frozen=True)
class LevelGroup:
    level: str
    label: str
    series: list
    progress: "Progress | None"


def training_overview(user, now=None):
    """The series overview: visible series grouped by level (Basis first, newest year first),
    each with seats left, enrolment state and the person's own enrolment, and per level the
    person's progress where she is enrolled."""
    now = now or timezone.now()
    rows = [_decorate(s, now) for s in _with_counts(visible_series(user)).order_by("-year")]
    mine = my_enrolments(user, [s.pk for s in rows])
    for series in rows:
        series.my_enrolment = mine.get(series.pk)
    enrolled_levels = {s.level for s in rows if s.my_enrolment}
    groups = []
    for level, label in TrainingSeries.Level.choices:
        in_level = [s for s in rows if s.level == level]
        if in_level:
            level_progress = progress(user, level) if level in enrolled_levels else None
            groups.append(LevelGroup(level, label, in_level, level_progress))
    return groups


def series_for_detail(user, pk, now=None):
    """One visible series with its counts; raises TrainingSeries.DoesNotExist."""
    series = _with_counts(visible_series(user)).get(pk=pk)
    return _decorate(series, now or timezone.now())


def module_events(series, user):
    """The series' module events in date order with their curriculum module. Drafts only for
    BfE staff; cancelled ones stay visible, marked."""
    events = Event.objects.filter(
        training_series=series, kind=Event.Kind.TRAINING_MODULE
    ).select_related("module")
    if not Roles.of(user).is_bfe_staff:
        events = events.exclude(status=Event.Status.DRAFT)
    return events.order_by("starts_at", "pk")


def waitlist_position(enrolment):
    """1-based place of a waitlisted enrolment on its series' waiting list."""
    ahead = Enrolment.objects.filter(
        series_id=enrolment.series_id, status=Enrolment.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=enrolment.waitlisted_at)
        | Q(waitlisted_at=enrolment.waitlisted_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def took_part(person, series):
    """Enrolled with a seat, or attended at least one of the series' module events: who may
    receive the series' certificate once the completion rule is met."""
    if not person.is_authenticated:
        return False
    enrolled = Enrolment.objects.filter(
        series=series, person=person, status=Enrolment.Status.CONFIRMED
    )
    attended = Registration.objects.filter(
        person=person, attended=True, event__training_series=series
    )
    return enrolled.exists() or attended.exists()


def certificate_at_level(person, series):
    """The person's certificate for this series, else her newest one for another series of the
    same level (a level completed once need not be certified again), or None."""
    if not person.is_authenticated:
        return None
    certificates = Certificate.objects.filter(person=person, series__level=series.level)
    return (
        certificates.select_related("series")
        .order_by(Case(When(series=series, then=0), default=1), "-issued_at")
        .first()
    )


def issued_certificates():
    """Certificates that stand (not revoked), each annotated with `day`: the (local) date it
    was issued. For other apps' timelines; callers narrow it down and scope it."""
    return Certificate.objects.filter(revoked_at__isnull=True).annotate(day=TruncDate("issued_at"))


def people_enrolled_in_level(level):
    """Ids of people with an active enrolment in any series of the level (a subquery)."""
    return Enrolment.objects.active().filter(series__level=level).values("person")


# --- Progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleProgress:
    """One curriculum module and, if attended, the registration that proves it (earliest)."""

    module: TrainingModule
    registration: Registration | None

    @property
    def attended(self):
        return self.registration is not None

    @property
    def event(self):
        return self.registration.event if self.registration else None

    @property
    def attended_on(self):
        if self.registration is None:
            return None
        return timezone.localdate(self.registration.event.starts_at)

    @property
    def hours(self):
        return self.module.hours


@dataclass(frozen=True)
class Progress:
    """A person's way through a level's curriculum and whether it meets the completion rule."""

    level: str
    modules: list
    required_percent: int
    series: TrainingSeries | None

    @property
    def total(self):
        return len(self.modules)

    @property
    def attended_count(self):
        return sum(1 for row in self.modules if row.attended)

    @property
    def attended_modules(self):
        return [row for row in self.modules if row.attended]

    @property
    def percent(self):
        if not self.total:
            return Decimal(0)
        return (Decimal(self.attended_count * 100) / self.total).quantize(Decimal("0.1"))

    @property
    def is_complete(self):
        # Whole numbers, so that 7 of 8 (87.5 %) against 80 % never meets a rounding error.
        return bool(self.total) and self.attended_count * 100 >= self.required_percent * self.total

    @property
    def hours(self):
        return sum((row.hours for row in self.modules if row.attended), Decimal(0))


def enrolled_series(person, level):
    """The series of the level the person is enrolled in (confirmed before waitlisted, then the
    newest year), or None."""
    if not person.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.active()
        .filter(person=person, series__level=level)
        .select_related("series")
        # "confirmed" sorts before "waitlisted".
        .order_by("status", "-series__year")
        .first()
    )
    return enrolment.series if enrolment else None


def progress(person, level, *, series=None, until=None):
    """Per curriculum module of the level (in order): attended or not, when, and its hours.

    A module counts as attended when the person has any registration marked attended at an
    event of that module, in any year. The completion rule is that of `series`, else of the
    series the person is enrolled in at that level, else DEFAULT_COMPLETION_PERCENT. `until`
    leaves out events that began later (a certificate lists what was attended when issued).
    """
    modules = list(TrainingModule.objects.filter(level=level).order_by("number"))
    attended = {}
    if person.is_authenticated:
        registrations = Registration.objects.filter(
            person=person,
            attended=True,
            event__kind=Event.Kind.TRAINING_MODULE,
            event__module__level=level,
        ).select_related("event")
        if until is not None:
            registrations = registrations.filter(event__starts_at__lte=until)
        for registration in registrations.order_by("event__starts_at", "pk"):
            attended.setdefault(registration.event.module_id, registration)
    if series is None:
        series = enrolled_series(person, level)
    return Progress(
        level=level,
        modules=[ModuleProgress(module, attended.get(module.pk)) for module in modules],
        required_percent=series.completion_percent if series else DEFAULT_COMPLETION_PERCENT,
        series=series,
    )


# --- Participants (BfE staff) -----------------------------------------------------------------


def series_participants(series):
    """Enrolled people, then the waiting list in its order, each with the number of the
    level's modules she attended in any year (`attended_count`), `is_complete`,
    `waitlist_position` and `certificate_id`; in three queries."""
    attended_modules = (
        Registration.objects.filter(
            person=OuterRef("person"),
            attended=True,
            event__kind=Event.Kind.TRAINING_MODULE,
            event__module__level=series.level,
        )
        .order_by()
        .values("person")
        .annotate(n=Count("event__module", distinct=True))
        .values("n")
    )
    certificate = Certificate.objects.filter(
        person=OuterRef("person"), series=series, revoked_at__isnull=True
    ).values("pk")[:1]
    from bfe.places.models import CoordinatorPosition

    current_posts = CoordinatorPosition.objects.current().filter(person=OuterRef("person"))
    enrolments = (
        Enrolment.objects.active()
        .filter(series=series)
        .select_related("person")
        .annotate(
            attended_count=Coalesce(Subquery(attended_modules, output_field=IntegerField()), 0),
            certificate_id=Subquery(certificate),
            shelter_name=Subquery(current_posts.order_by("starts_on").values("shelter__name")[:1]),
        )
        .order_by("status", "waitlisted_at", "created_at", "pk")
    )
    module_total = TrainingModule.objects.filter(level=series.level).count()
    rows = list(enrolments)
    position = 0
    for row in rows:
        row.is_confirmed = row.status == Enrolment.Status.CONFIRMED
        if not row.is_confirmed:
            position += 1
        row.waitlist_position = None if row.is_confirmed else position
        row.module_total = module_total
        row.is_complete = bool(module_total) and (
            row.attended_count * 100 >= series.completion_percent * module_total
        )
    return rows


# --- Certificates -----------------------------------------------------------------------------


def verification_url(certificate):
    return settings.SITE_URL.rstrip("/") + certificate.get_absolute_url()


def normalise_code(code):
    """What people type or scan: any case, with spaces or dashes (e.g. "abcd-2345")."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def certificate_for_verification(code):
    """The certificate with that code, revoked or not; raises Certificate.DoesNotExist."""
    code = normalise_code(code)
    if "\x00" in code:
        # No code has one, and PostgreSQL refuses NUL in a query instead of finding nothing.
        raise Certificate.DoesNotExist
    return Certificate.objects.select_related("series").get(verification_code=code)


def certificate_visible_to(user, pk):
    """A valid certificate its holder or BfE staff may download; raises DoesNotExist."""
    if not user.is_authenticated:
        raise Certificate.DoesNotExist
    certificates = Certificate.objects.filter(revoked_at__isnull=True).select_related(
        "series", "person"
    )
    if not Roles.of(user).is_bfe_staff:
        certificates = certificates.filter(person=user)
    return certificates.get(pk=pk)


def series_name(series):
    """The series' title without its year, which the certificate names separately."""
    return re.sub(rf"\s*{series.year}\s*$", "", series.title).strip() or series.title


def certificate_context(certificate):
    """Everything the certificate shows: holder, series, the modules attended up to the day of
    issue with dates and hours, and the verification code, URL and QR code."""
    series = certificate.series
    level_progress = progress(
        certificate.person, series.level, series=series, until=certificate.issued_at
    )
    url = verification_url(certificate)
    qr = segno.make(url, error="m")
    return {
        "certificate": certificate,
        "series": series,
        "series_name": series_name(series),
        "progress": level_progress,
        "modules": level_progress.attended_modules,
        "issued_on": timezone.localdate(certificate.issued_at),
        "place": "Berlin",
        "verification_url": url,
        "qr_data_uri": qr.svg_data_uri(dark="#0f2a4a", border=0, scale=4),
        "code_display": f"{certificate.verification_code[:4]}-{certificate.verification_code[4:]}",
        "stylesheet": _certificate_stylesheet(),
    }


def _certificate_stylesheet():
    return Path(finders.find("pdf/certificate.css")).read_text(encoding="utf-8")


def render_certificate_html(certificate):
    """The certificate's HTML with its stylesheet inlined, in the holder's language."""
    with translation.override(certificate.person.language):
        return render_to_string("pdf/certificate.html", certificate_context(certificate))


def certificate_document(certificate):
    """The laid-out certificate (a WeasyPrint Document), in the project's fonts."""
    return pdf.layout(render_certificate_html(certificate))


def render_certificate_pdf(certificate):
    """The certificate as PDF bytes (A4, one page)."""
    return certificate_document(certificate).write_pdf()


def certificate_filename(certificate):
    day = timezone.localdate(certificate.issued_at)
    return f"Teilnahmebescheinigung-{certificate.verification_code}-{day:%Y-%m-%d}.pdf"


# --- The start page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelSummary:
    """A person's standing in one level, for the start page: modules attended of the
    curriculum, the completion rule, her enrolled series and her valid certificate."""

    level: str
    label: str
    attended_count: int
    total: int
    required_percent: int
    series: TrainingSeries | None
    certificate: Certificate | None

    @property
    def is_complete(self):
        # The same rule as Progress.is_complete, on counts.
        return bool(self.total) and self.attended_count * 100 >= self.required_percent * self.total

    @property
    def required_count(self):
        """The fewest modules that meet the completion rule."""
        return -(-self.required_percent * self.total // 100)


def training_summary_for(user):
    """Per level (Basis, then Aufbau) in which the person is enrolled, attended a module or
    holds a certificate: a LevelSummary. Counts per curriculum module in any year, as
    `progress` does; four queries, whatever the number of series and modules."""
    if not user.is_authenticated:
        return []
    totals = dict(
        TrainingModule.objects.order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    attended = dict(
        Registration.objects.filter(
            person=user, attended=True, event__kind=Event.Kind.TRAINING_MODULE
        )
        .order_by()
        .values("event__module__level")
        .annotate(n=Count("event__module", distinct=True))
        .values_list("event__module__level", "n")
    )
    series = {}
    # "confirmed" sorts before "waitlisted", then the newest year: as enrolled_series does.
    enrolments = (
        Enrolment.objects.active()
        .filter(person=user)
        .select_related("series")
        .order_by("status", "-series__year")
    )
    for enrolment in enrolments:
        series.setdefault(enrolment.series.level, enrolment.series)
    certificates = {}
    valid = Certificate.objects.filter(person=user, revoked_at__isnull=True)
    for certificate in valid.select_related("series").order_by("-issued_at"):
        certificates.setdefault(certificate.series.level, certificate)
    summaries = []
    for level, label in TrainingSeries.Level.choices:
        if not (level in series or attended.get(level) or level in certificates):
            continue
        enrolled = series.get(level)
        summaries.append(
            LevelSummary(
                level=level,
                label=label,
                attended_count=attended.get(level, 0),
                total=totals.get(level, 0),
                required_percent=(
                    enrolled.completion_percent if enrolled else DEFAULT_COMPLETION_PERCENT
                ),
                series=enrolled,
                certificate=certificates.get(level),
            )
        )
    return summaries
