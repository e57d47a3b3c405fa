"""iCalendar (RFC 5545) for events: one builder for attachments, downloads and feeds.

UIDs are stable (the event's uuid), SEQUENCE is the event's change counter, and cancelled events
carry STATUS:CANCELLED so that calendars remove them.
"""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//Beratungsforum Engagement//BfE Plattform//DE"


def calendar(events, *, name=None, show_online_url=lambda event: False):
    """A VCALENDAR with one VEVENT per event.

    `show_online_url(event)` decides per event whether its online link may be included (only
    for people registered for it).
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(vevent(event, show_online_url=show_online_url(event)))
    return cal


def vevent(event, *, show_online_url=False):
    item = VEvent()
    item.add("uid", f"{event.uid}@bfe")
    item.add("sequence", event.sequence)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    if location:
        item.add("location", location)
    url = settings.SITE_URL + event.get_absolute_url()
    item.add("url", url)
    description = [event.description] if event.description else []
    if show_online_url and event.online_url:
        description.append(f"Online: {event.online_url}")
    description.append(url)
    item.add("description", "\n\n".join(description))
    return item


def to_bytes(cal):
    return cal.to_ical()
