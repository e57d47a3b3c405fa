"""The self-service part's start-page section (bfe/core/dashboard.py): a coordinator's hours
waiting for her confirmation. Registered when imported from VolunteeringConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, register

from .models import HoursEntry
from .services.hours import reviewable_by


def _is_coordinator(roles):
    return roles.is_coordinator


def hours_to_confirm_context(user, roles):
    """How many proposed hours entries of her shelters wait for her (one count query)."""
    count = reviewable_by(user).filter(status=HoursEntry.Status.PROPOSED).count()
    return {"count": count}


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
