"""Reads of the events app, one module per area like `services`: `catalog` (calendar, events,
series of dates), `training` (training series, progress, certificates) and `attendance` (who
took part, for other apps).

Other apps read events only through this package. The calendar's names are re-exported here, so
`from bfe.events import selectors; selectors.upcoming_events(user)` keeps working; training's
are read as `selectors.training.progress(...)`.
"""

from . import attendance, catalog, training
from .catalog import (
    FIRST_YEAR,
    LAST_YEAR,
    WEEKDAY_CODES,
    Day,
    Month,
    calendar_events,
    can_manage,
    describe_rrule,
    event_for_detail,
    group_by_month,
    is_valid_month,
    month_grid,
    registration_of,
    sees_online_link,
    series_for_detail,
    series_managed_by,
    series_occurrences,
    staff_people,
    upcoming_events,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "WEEKDAY_CODES",
    "Day",
    "Month",
    "attendance",
    "calendar_events",
    "can_manage",
    "catalog",
    "describe_rrule",
    "event_for_detail",
    "group_by_month",
    "is_valid_month",
    "month_grid",
    "registration_of",
    "sees_online_link",
    "series_for_detail",
    "series_managed_by",
    "series_occurrences",
    "staff_people",
    "training",
    "upcoming_events",
]
