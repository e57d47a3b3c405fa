"""Template helpers of the events app: `{% load event_tags %}`."""

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from bfe.events.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Organisers' Markdown as sanitised HTML: `{{ event.description|markdown }}`."""
    return render_markdown(text)


@register.filter
def when(event):
    """Date and time of an event in Berlin, e.g. "Mittwoch, 9. Dezember 2026, 10:00–12:00 Uhr"."""
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    values = {
        "weekday": date_format(start, "l"),
        "date": date_format(start, "DATE_FORMAT"),
        "start": time_format(start, "TIME_FORMAT"),
        "end": time_format(end, "TIME_FORMAT"),
    }
    if start.date() == end.date():
        return _("%(weekday)s, %(date)s, %(start)s–%(end)s Uhr") % values
    values.update(end_weekday=date_format(end, "l"), end_date=date_format(end, "DATE_FORMAT"))
    return (
        _("%(weekday)s, %(date)s, %(start)s Uhr bis %(end_weekday)s, %(end_date)s, %(end)s Uhr")
        % values
    )


@register.filter
def list_row(event):
    """What a row of the calendar list shows of an event's time, formatted in one pass (the date
    filters and `when` would each localise and format again): `{% with row=event|list_row %}`."""
    start = timezone.localtime(event.starts_at)
    # What the date filter's "D", "M" and "c" give, without parsing a format per call.
    return {
        "weekday": WEEKDAYS_ABBR[start.weekday()],
        "day": start.day,
        "month": str(MONTHS_3[start.month]).title(),
        "iso": start.isoformat(),
        "when": when(event),
        "url": event.get_absolute_url(),
    }
