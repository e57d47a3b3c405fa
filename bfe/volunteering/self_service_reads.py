"""Reads of the self-service part: a volunteer's hours and her progress against the Berlin
recognitions, the applications she made, and the Ehrenamtsnachweis as print HTML and PDF.
Every function runs a fixed number of queries, whatever the number of hours."""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import segno
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Min, Q, Sum
from django.db.models.functions import ExtractYear, Lower, Trim
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bfe.core import pdf

from .models import Application, Attestation, HoursEntry, Volunteer

# Berliner Ehrenamtskarte: at least 200 hours a year, engaged for at least a year
# (Senatskanzlei Berlin, https://www.berlin.de/buergeraktiv/anerkennung/ehrenamtskarte/;
# DESIGN.md, "Facts from the field").
EHRENAMTSKARTE_HOURS_A_YEAR = Decimal("200")
EHRENAMTSKARTE_MONTHS_ENGAGED = 12
# FreiwilligenPass Berlin: 80 hours a year, or 200 hours in one project
# (https://www.berlin.de/buergeraktiv/anerkennung/freiwilligenpass/; DESIGN.md).
FREIWILLIGENPASS_HOURS_A_YEAR = Decimal("80")
FREIWILLIGENPASS_HOURS_IN_A_PROJECT = Decimal("200")
# "A year" of hours: the twelve months up to today, so that a person can apply at any time.
YEAR_MONTHS = 12


def format_hours(value):
    """34 / 34,5 / 34,25 in German; 34.5 in English."""
    value = Decimal(value or 0).quantize(Decimal("0.01"))
    if value == value.to_integral():
        return formats.number_format(value.to_integral())
    return formats.number_format(value.normalize())


def format_date(value):
    return formats.date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class Goal:
    """One threshold of a recognition: what counts, what is needed, what is missing."""

    label: str
    hours: Decimal
    needed: Decimal

    @property
    def missing(self):
        return max(self.needed - self.hours, Decimal("0"))

    @property
    def is_met(self):
        return self.hours >= self.needed

    @property
    def bar_value(self):
        return min(self.hours, self.needed)


@dataclass(frozen=True)
class Recognition:
    name: str
    goals: list
    is_met: bool
    explanation: str


@dataclass(frozen=True)
class HoursSummary:
    per_year: list  # [(year, hours)], newest first
    total: Decimal
    pending: Decimal
    last_year: Decimal
    first_date: object  # date of the first confirmed hours, or None
    best_project: tuple  # (activity, hours) or (None, 0)
    recognitions: list


def confirmed_hours_of(user):
    return HoursEntry.objects.filter(volunteer__user=user, status=HoursEntry.Status.CONFIRMED)


def hours_summary(user, today=None):
    """Her confirmed hours per calendar year and in the last twelve months, what is still
    waiting for confirmation, and her progress towards the Ehrenamtskarte and the
    FreiwilligenPass. A project is one activity in one shelter (the opportunity's title for
    hours from shifts)."""
    today = today or timezone.localdate()
    year_ago = today - relativedelta(months=YEAR_MONTHS)
    confirmed = confirmed_hours_of(user)
    totals = confirmed.aggregate(
        total=Sum("hours"),
        last_year=Sum("hours", filter=Q(date__gt=year_ago, date__lte=today)),
        first_date=Min("date"),
    )
    pending = HoursEntry.objects.filter(
        volunteer__user=user, status=HoursEntry.Status.PROPOSED
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    per_year = [
        (row["year"], row["total"])
        for row in confirmed.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(total=Sum("hours"))
        .order_by("-year")
    ]
    project = (
        confirmed.annotate(project=Lower(Trim("activity")))
        .values("volunteer__shelter_id", "project")
        .annotate(total=Sum("hours"), activity=Min("activity"))
        .order_by("-total")
        .first()
    )
    best_project = (project["activity"], project["total"]) if project else (None, Decimal("0"))
    total = totals["total"] or Decimal("0")
    last_year = totals["last_year"] or Decimal("0")
    first_date = totals["first_date"]
    return HoursSummary(
        per_year=per_year,
        total=total,
        pending=pending,
        last_year=last_year,
        first_date=first_date,
        best_project=best_project,
        recognitions=[
            ehrenamtskarte(last_year, first_date, today),
            freiwilligenpass(last_year, best_project),
        ],
    )


def ehrenamtskarte(last_year, first_date, today):
    """≥ 200 confirmed hours in the last twelve months, and engaged for at least a year: the
    first confirmed hours twelve months ago or longer."""
    name = _("Berliner Ehrenamtskarte")
    hours_goal = Goal(
        _("Stunden in den letzten 12 Monaten"), last_year, EHRENAMTSKARTE_HOURS_A_YEAR
    )
    one_year_on = (
        first_date + relativedelta(months=EHRENAMTSKARTE_MONTHS_ENGAGED) if first_date else None
    )
    long_enough = one_year_on is not None and one_year_on <= today
    missing = []
    if not hours_goal.is_met:
        missing.append(
            _("noch %(hours)s Stunden in den letzten 12 Monaten")
            % {"hours": format_hours(hours_goal.missing)}
        )
    if one_year_on is None:
        missing.append(_("ein Jahr Engagement, gerechnet ab Ihren ersten bestätigten Stunden"))
    elif not long_enough:
        missing.append(
            _("Engagement seit mindestens einem Jahr: erreicht am %(date)s")
            % {"date": format_date(one_year_on)}
        )
    is_met = hours_goal.is_met and long_enough
    if is_met:
        explanation = _("Sie erfüllen die Voraussetzungen für die Berliner Ehrenamtskarte.")
    else:
        explanation = _("Bis zur Berliner Ehrenamtskarte fehlen: %(missing)s.") % {
            "missing": "; ".join(missing)
        }
    return Recognition(name=name, goals=[hours_goal], is_met=is_met, explanation=explanation)


def freiwilligenpass(last_year, best_project):
    """80 confirmed hours in the last twelve months, or 200 in one project."""
    name = _("FreiwilligenPass")
    activity, project_hours = best_project
    year_goal = Goal(
        _("Stunden in den letzten 12 Monaten"), last_year, FREIWILLIGENPASS_HOURS_A_YEAR
    )
    project_goal = Goal(
        _("Stunden in einem Projekt („%(activity)s“)") % {"activity": activity}
        if activity
        else _("Stunden in einem Projekt"),
        project_hours,
        FREIWILLIGENPASS_HOURS_IN_A_PROJECT,
    )
    is_met = year_goal.is_met or project_goal.is_met
    missing = []
    if not is_met:
        missing.append(
            _(
                "noch %(year)s Stunden in den letzten 12 Monaten "
                "oder noch %(project)s Stunden in einem Projekt"
            )
            % {
                "year": format_hours(year_goal.missing),
                "project": format_hours(project_goal.missing),
            }
        )
    if is_met:
        explanation = _("Sie erfüllen die Voraussetzungen für den FreiwilligenPass.")
    else:
        explanation = _("Bis zum FreiwilligenPass fehlen: %(missing)s.") % {
            "missing": "; ".join(missing)
        }
    return Recognition(
        name=name, goals=[year_goal, project_goal], is_met=is_met, explanation=explanation
    )


def hours_entries_of(user):
    return HoursEntry.objects.filter(volunteer__user=user).select_related(
        "volunteer__shelter", "shift"
    )


def records_of(user):
    """Her shelters' records of her, the shelter with each."""
    return Volunteer.objects.of(user).select_related("shelter").order_by("shelter__name", "pk")


def activities_suggested(user):
    """Activity names she used before and her shelters' opportunities' titles, for the
    activity field's suggestions."""
    used = (
        HoursEntry.objects.filter(volunteer__user=user)
        .values_list("activity", flat=True)
        .distinct()
        .order_by("activity")[:30]
    )
    return list(used)


def applications_of(user):
    return (
        Application.objects.filter(user=user)
        .select_related("opportunity__shelter__district")
        .order_by("-created_at", "-pk")
    )


def attestations_of(user):
    return Attestation.objects.filter(volunteer__user=user).order_by("-issued_at")


# --- The Ehrenamtsnachweis as document --------------------------------------------------------


def normalise_code(code):
    """What people type or scan: any case, with spaces or dashes (e.g. "abcd-2345")."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def attestation_for_verification(code):
    """The attestation with that code, revoked or not; raises Attestation.DoesNotExist."""
    code = normalise_code(code)
    if "\x00" in code or len(code) > 16:
        # PostgreSQL refuses NUL in a query instead of finding nothing.
        raise Attestation.DoesNotExist
    return Attestation.objects.get(verification_code=code)


def attestation_of_holder(user, pk):
    """A valid attestation of one of her own records; raises Attestation.DoesNotExist."""
    if not user.is_authenticated:
        raise Attestation.DoesNotExist
    return Attestation.objects.filter(volunteer__user=user, revoked_at__isnull=True).get(pk=pk)


def attestation_of_shelter(user, pk):
    """A valid attestation of a volunteer of her shelters; raises Attestation.DoesNotExist."""
    return Attestation.objects.filter(
        volunteer__in=Volunteer.objects.visible_to(user).values("pk"), revoked_at__isnull=True
    ).get(pk=pk)


def verification_url(attestation):
    return settings.SITE_URL.rstrip("/") + attestation.get_absolute_url()


def attestation_context(attestation):
    url = verification_url(attestation)
    qr = segno.make(url, error="m")
    code = attestation.verification_code
    return {
        "attestation": attestation,
        "activities": [
            {"activity": row["activity"], "hours": Decimal(row["hours"])}
            for row in attestation.activities
        ],
        "issued_on": timezone.localdate(attestation.issued_at),
        "place": "Berlin",
        "verification_url": url,
        "qr_data_uri": qr.svg_data_uri(dark="#0f2a4a", border=0, scale=4),
        "code_display": f"{code[:4]}-{code[4:]}",
        "stylesheet": _stylesheet(),
    }


def _stylesheet():
    return "\n".join(
        Path(finders.find(name)).read_text(encoding="utf-8")
        for name in ("pdf/certificate.css", "volunteering/self_service_pdf.css")
    )


def attestation_language(attestation):
    volunteer = attestation.volunteer
    if volunteer and volunteer.user_id:
        return volunteer.user.language
    return volunteer.language if volunteer else settings.LANGUAGE_CODE


def render_attestation_html(attestation, language=None):
    with translation.override(language or attestation_language(attestation)):
        return render_to_string(
            "pdf/volunteering_attestation.html", attestation_context(attestation)
        )


def render_attestation_pdf(attestation, language=None):
    return pdf.render_pdf(render_attestation_html(attestation, language))


def attestation_filename(attestation):
    return (
        f"Ehrenamtsnachweis-{attestation.verification_code}-"
        f"{attestation.period_start:%Y-%m-%d}-{attestation.period_end:%Y-%m-%d}.pdf"
    )
