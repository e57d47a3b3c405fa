"""Template helpers of the events app: `{% load event_tags %}`."""

from django import template
from django.utils import timezone
from django.utils.dateformat import DateFormat
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
    formatter = DateFormat(start)
    return {
        "weekday": formatter.format("D"),
        "day": start.day,
        "month": formatter.format("M"),
        "iso": formatter.format("c"),
        "when": when(event),
        "url": event.get_absolute_url(),
    }
