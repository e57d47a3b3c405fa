"""The periods volunteering keeps data for, from the settings, for the privacy page
(volunteering/privacy.html), so that the page says what the code does."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def volunteering_periods():
    return {
        "retention_months": settings.VOLUNTEER_RETENTION_MONTHS,
        "notice_days": settings.VOLUNTEER_RETENTION_NOTICE_DAYS,
        "confirm_hours": settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS,
        "reinspect_years": settings.VOLUNTEER_CLEARANCE_REINSPECT_YEARS,
        "clearance_months": settings.VOLUNTEER_CLEARANCE_KEEP_MONTHS,
    }
