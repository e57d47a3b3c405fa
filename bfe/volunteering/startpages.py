"""Reads for the start page (bfe/volunteering/dashboard.py): what a coordinator, a volunteer and
BfE's staff and partners see of volunteering when they sign in.

Each function runs a fixed number of queries whatever the amount of data (lists are cut at
`limit` + 1, so that the page knows whether there are more) and is scoped by the QuerySet
methods of the models: a coordinator's shelters (`managed_by`, `visible_to`), a volunteer's own
records (`of`); staff and partners get counts only (`selectors.figures_visible_to`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.urls import reverse
from django.utils import formats, timezone

from bfe.accounts.models import Roles

from . import selectors, self_service_reads
from .models import Application, Clearance, HoursEntry, Shift, ShiftSignup, Volunteer

START_LIST_LIMIT = 5
START_WEEK_LIMIT = 8
CLEARANCE_WARNING_DAYS = 60
NEW_APPLICATION_DAYS = 14
# Recognition thresholds: one definition, with its sources, in self_service_reads.
EHRENAMTSKARTE_HOURS = self_service_reads.EHRENAMTSKARTE_HOURS_A_YEAR
FREIWILLIGENPASS_HOURS = self_service_reads.FREIWILLIGENPASS_HOURS_A_YEAR


def _more(rows, limit):
    return {"rows": rows[:limit], "has_more": len(rows) > limit}


def week_of(day):
    """(Monday, next Monday) of the calendar week of `day`, as aware datetimes."""
    monday = day - datetime.timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    return start, start + datetime.timedelta(days=7)


# --- Coordinators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int
    url: str


def pipeline_for_start(user):
    """Her shelters' volunteers per stage and open opportunities, from the maintained figures
    (one query), each stage linked to the pipeline filtered by it."""
    roles = Roles.of(user)
    figures = selectors.figures_for_shelters(roles.shelter_ids)
    pipeline = reverse("volunteering:pipeline")
    stages = [
        StageCount(
            stage.value, stage.label, figures[stage.value], f"{pipeline}?stand={stage.value}"
        )
        for stage in Volunteer.Stage
    ]
    return {
        "stages": stages,
        "total": sum(row.count for row in stages),
        "open_opportunities": figures["open_opportunities"],
        "pipeline_url": pipeline,
        "create_url": reverse("volunteering:board_create"),
        "opportunities_url": reverse("volunteering:board_manage"),
    }


def shifts_with_open_slots_for(user, *, now=None, limit=START_WEEK_LIMIT):
    """Her shelters' shifts of the current calendar week that have not ended, are not
    cancelled and still have free slots, in date order (one query, by the shift index)."""
    now = now or timezone.now()
    _start, end = week_of(timezone.localdate(now))
    shifts = (
        Shift.objects.managed_by(user)
        .upcoming(now)
        .filter(starts_at__lt=end, confirmed_count__lt=F("slots"))
        .select_related("opportunity")
        .only(
            "starts_at",
            "ends_at",
            "slots",
            "confirmed_count",
            "opportunity__title",
            "opportunity__shelter_id",
        )
        .order_by("starts_at", "pk")
    )
    return _more(list(shifts[: limit + 1]), limit)


def expiring_clearances_for(user, *, today=None, limit=START_LIST_LIMIT):
    """Clearances of her shelters' current volunteers due for re-inspection within
    CLEARANCE_WARNING_DAYS (or overdue): their number and the first few (one query)."""
    today = today or timezone.localdate()
    clearances = (
        Clearance.objects.filter(
            volunteer__in=Volunteer.objects.visible_to(user).exclude(stage=Volunteer.Stage.ENDED),
            reinspect_on__lte=today + datetime.timedelta(days=CLEARANCE_WARNING_DAYS),
        )
        .select_related("volunteer")
        .only("reinspect_on", "volunteer__full_name", "volunteer__shelter_id")
        .annotate(total=Window(Count("pk")))
        .order_by("reinspect_on", "pk")
    )
    rows = list(clearances[:limit])
    count = rows[0].total if rows else 0
    return {
        "rows": [
            {"clearance": c, "url": reverse("volunteering:volunteer", args=[c.volunteer_id])}
            for c in rows
        ],
        "count": count,
        "today": today,
        "days": CLEARANCE_WARNING_DAYS,
    }


def new_applications_for(user, *, now=None, limit=START_LIST_LIMIT):
    """Confirmed applications to her shelters' opportunities of the last NEW_APPLICATION_DAYS
    whose person is still at the first stage: their number and the newest (one query)."""
    now = now or timezone.now()
    applications = (
        Application.objects.managed_by(user)
        .filter(
            status=Application.Status.CONFIRMED,
            confirmed_at__gte=now - datetime.timedelta(days=NEW_APPLICATION_DAYS),
            volunteer__stage=Volunteer.Stage.APPLIED,
        )
        .select_related("opportunity")
        .only("full_name", "confirmed_at", "volunteer_id", "opportunity__title")
        .annotate(total=Window(Count("pk")))
        .order_by("-confirmed_at", "-pk")
    )
    rows = list(applications[:limit])
    count = rows[0].total if rows else 0
    return {
        "rows": [
            {"application": a, "url": reverse("volunteering:volunteer", args=[a.volunteer_id])}
            for a in rows
        ],
        "count": count,
        "days": NEW_APPLICATION_DAYS,
        "pipeline_url": reverse("volunteering:pipeline") + "?stand=applied",
    }


# --- Volunteers --------------------------------------------------------------------------------


def own_volunteer_ids(user):
    """The pks of her own records (one indexed query, kept on the user object for the rest
    of the request): filtering by a list of pks lets the database use the foreign-key indexes,
    where a subquery (`volunteer__in=…`) or an OR across it scans whole tables at `large`."""
    ids = getattr(user, "_volunteering_own_ids", None)
    if ids is None:
        ids = list(Volunteer.objects.of(user).values_list("pk", flat=True))
        user._volunteering_own_ids = ids
    return ids


def next_shifts_of(user, *, now=None, limit=START_LIST_LIMIT):
    """Her own upcoming places in shifts and on waiting lists, in every shelter she engages
    with (one query, after own_volunteer_ids)."""
    signups = (
        ShiftSignup.objects.filter(
            volunteer_id__in=own_volunteer_ids(user),
            status__in=[ShiftSignup.Status.CONFIRMED, ShiftSignup.Status.WAITLISTED],
            shift__ends_at__gte=now or timezone.now(),
            shift__is_cancelled=False,
        )
        .select_related("shift__opportunity__shelter")
        .only(
            "status",
            "shift__starts_at",
            "shift__ends_at",
            "shift__opportunity__title",
            "shift__opportunity__shelter__name",
        )
        .order_by("shift__starts_at", "pk")
    )
    return {
        **_more(list(signups[: limit + 1]), limit),
        "my_shifts_url": reverse("volunteering:shifts_mine"),
        "board_url": reverse("volunteering:board"),
    }


def applications_of(user, *, limit=START_LIST_LIMIT):
    """Her own applications (made while signed in, or linked to her records), newest first,
    without expired or withdrawn ones (one query)."""
    mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    applications = (
        Application.objects.filter(mine | Q(volunteer_id__in=own_volunteer_ids(user)))
        .filter(status__in=[Application.Status.UNCONFIRMED, Application.Status.CONFIRMED])
        .select_related("opportunity")
        .only("status", "created_at", "opportunity__title", "opportunity__status")
        .order_by("-created_at", "-pk")
    )
    return {
        **_more(list(applications[: limit + 1]), limit),
        "my_applications_url": reverse("volunteering:self_service_applications"),
        "board_url": reverse("volunteering:board"),
    }


def format_hours(value):
    """Hours as people write them: "12", "85,5", "3,25" (German) or "85.5" (English)."""
    value = Decimal(value).quantize(Decimal("0.01"))
    places = next(n for n in (0, 1, 2) if value == round(value, n))
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


@dataclass(frozen=True)
class Threshold:
    label: str
    hours: int
    reached: bool


def hours_of(user, *, today=None):
    """Her confirmed and proposed hours of this calendar year, in every shelter, and how far
    they go towards the recognition thresholds (one query)."""
    today = today or timezone.localdate()
    totals = HoursEntry.objects.filter(
        volunteer_id__in=own_volunteer_ids(user), date__year=today.year
    ).aggregate(
        confirmed=Sum("hours", filter=Q(status=HoursEntry.Status.CONFIRMED)),
        proposed=Sum("hours", filter=Q(status=HoursEntry.Status.PROPOSED)),
    )
    confirmed = totals["confirmed"] or Decimal(0)
    return {
        "year": today.year,
        "confirmed": confirmed,
        "confirmed_display": format_hours(confirmed),
        "proposed": totals["proposed"] or Decimal(0),
        "proposed_display": format_hours(totals["proposed"] or 0),
        "thresholds": [
            Threshold(
                "FreiwilligenPass", FREIWILLIGENPASS_HOURS, confirmed >= FREIWILLIGENPASS_HOURS
            ),
            Threshold(
                "Berliner Ehrenamtskarte", EHRENAMTSKARTE_HOURS, confirmed >= EHRENAMTSKARTE_HOURS
            ),
        ],
        "meter_max": EHRENAMTSKARTE_HOURS,
        "my_hours_url": reverse("volunteering:self_service_hours"),
    }


# --- BfE staff and partners ----------------------------------------------------------------------


def figures_for_start(user):
    """The counts she may see (her regions', or all for the lead and partners): never names
    (one query)."""
    roles = Roles.of(user)
    figures = selectors.figures_visible_to(user)
    stages = [(stage.label, figures[stage.value]) for stage in Volunteer.Stage]
    return {
        "stages": stages,
        "total": sum(count for _label, count in stages),
        "open_opportunities": figures["open_opportunities"],
        "citywide": roles.is_admin or roles.is_partner,
        "board_url": reverse("volunteering:board"),
    }
