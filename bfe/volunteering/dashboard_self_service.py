"""The self-service part's start-page sections (bfe/core/dashboard.py): a volunteer's hours
and recognitions, and a coordinator's hours waiting for her confirmation. Registered when
imported from VolunteeringConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, register

from . import self_service_reads as reads
from .models import HoursEntry
from .services.hours import reviewable_by


def _is_volunteer(roles):
    return roles.is_volunteer


def _is_coordinator(roles):
    return roles.is_coordinator


def my_hours_context(user, roles):
    """Her confirmed hours of the last twelve months, those waiting, her recognitions."""
    summary = reads.hours_summary(user)
    return {"summary": summary, "has_hours": bool(summary.total or summary.pending)}


def hours_to_confirm_context(user, roles):
    """How many proposed hours entries of her shelters wait for her (one count query)."""
    count = reviewable_by(user).filter(status=HoursEntry.Status.PROPOSED).count()
    return {"count": count}


MY_HOURS = register(
    DashboardSection(
        key="volunteering.my_hours",
        order=40,
        title=_("Meine Stunden"),
        applies_to=_is_volunteer,
        template="volunteering/self_service/dashboard_my_hours.html",
        context=my_hours_context,
    )
)

HOURS_TO_CONFIRM = register(
    DashboardSection(
        key="volunteering.hours_to_confirm",
        order=45,
        title=_("Stunden zu bestätigen"),
        applies_to=_is_coordinator,
        template="volunteering/self_service/dashboard_hours_to_confirm.html",
        context=hours_to_confirm_context,
    )
)
