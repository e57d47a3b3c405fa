"""iCalendar (RFC 5545) for events: one builder for attachments, downloads and feeds.

UIDs are stable (the event's uuid), SEQUENCE is the event's change counter, and cancelled events
carry STATUS:CANCELLED so that calendars remove them. Times are written in UTC ("…Z"), which
needs no VTIMEZONE and means the same in every calendar. Texts are in the active language.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

PRODID = "-//Beratungsforum Engagement//BfE Plattform//DE"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar(
    events,
    *,
    name=None,
    show_online_url=lambda event: False,
    waitlisted=lambda event: False,
    refresh=None,
):
    """A VCALENDAR with one VEVENT per event.

    `show_online_url(event)` decides per event whether its online link may be included (only
    for people registered for it); `waitlisted(event)` marks the person's place as tentative.
    `refresh` (a timedelta) tells subscribing calendars how often to fetch a feed again.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    if refresh:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    for event in events:
        cal.add_component(
            vevent(event, show_online_url=show_online_url(event), waitlisted=waitlisted(event))
        )
    return cal


def vevent(event, *, show_online_url=False, waitlisted=False, now=None):
    item = VEvent()
    item.add("uid", f"{event.uid}@bfe")
    item.add("sequence", event.sequence)
    item.add("dtstamp", _utc(now or timezone.now()))
    item.add("dtstart", _utc(event.starts_at))
    item.add("dtend", _utc(event.ends_at))
    if event.created_at:
        item.add("created", _utc(event.created_at))
    if event.updated_at:
        item.add("last-modified", _utc(event.updated_at))
    item.add("summary", _summary(event, waitlisted))
    if event.is_cancelled:
        item.add("status", "CANCELLED")
    elif waitlisted:
        item.add("status", "TENTATIVE")
    else:
        item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT" if event.is_cancelled or waitlisted else "OPAQUE")
    item.add("categories", [str(event.get_kind_display())])
    location = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    if not location and event.online_url:
        location = event.online_url if show_online_url else _("Online")
    if location:
        item.add("location", location)
    url = settings.SITE_URL + event.get_absolute_url()
    item.add("url", url)
    description = []
    if waitlisted:
        description.append(_("Sie stehen auf der Warteliste."))
    if event.description:
        description.append(event.description)
    if show_online_url and event.online_url:
        description.append(_("Online: %(url)s") % {"url": event.online_url})
    description.append(url)
    item.add("description", "\n\n".join(description))
    return item


def _summary(event, waitlisted):
    if event.is_cancelled:
        return _("Abgesagt: %(title)s") % {"title": event.title}
    if waitlisted:
        return _("Warteliste: %(title)s") % {"title": event.title}
    return event.title


def _utc(value):
    return value.astimezone(datetime.UTC)


def to_bytes(cal):
    return cal.to_ical()
