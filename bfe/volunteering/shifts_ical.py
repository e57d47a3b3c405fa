"""iCalendar (RFC 5545) of a volunteer's shifts, in the style of bfe/events/ical.py: stable UIDs
(one per sign-up), times in UTC, STATUS:CANCELLED for a cancelled shift or sign-up so that
calendars remove it, TENTATIVE on the waiting list. The place is the district unless the
shelter's address is public."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

from .models import ShiftSignup
from .services import shifts as services

PRODID = "-//Beratungsforum Engagement//BfE Plattform//DE"
CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = datetime.timedelta(hours=6)
Status = ShiftSignup.Status


def calendar(signups, *, name=None, now=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for signup in signups:
        cal.add_component(vevent(signup, now=now))
    return cal


def vevent(signup, *, now=None):
    shift = signup.shift
    opportunity = shift.opportunity
    cancelled = shift.is_cancelled or signup.status == Status.CANCELLED
    waitlisted = signup.status == Status.WAITLISTED
    item = VEvent()
    item.add("uid", f"shift-signup-{signup.pk}@bfe")
    item.add("dtstamp", _utc(now or timezone.now()))
    item.add("dtstart", _utc(shift.starts_at))
    item.add("dtend", _utc(shift.ends_at))
    if cancelled:
        item.add("summary", _("Abgesagt: %(title)s") % {"title": opportunity.title})
        item.add("status", "CANCELLED")
    elif waitlisted:
        item.add("summary", _("Warteliste: %(title)s") % {"title": opportunity.title})
        item.add("status", "TENTATIVE")
    else:
        item.add("summary", opportunity.title)
        item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT" if cancelled or waitlisted else "OPAQUE")
    item.add("location", services.place_of(shift))
    description = [opportunity.shelter.name]
    if waitlisted:
        description.append(_("Sie stehen auf der Warteliste."))
    if shift.note:
        description.append(shift.note)
    url = settings.SITE_URL.rstrip("/") + reverse("volunteering:shifts_mine")
    description.append(url)
    item.add("description", "\n\n".join(description))
    return item


def _utc(value):
    return value.astimezone(datetime.UTC)


def to_bytes(cal):
    return cal.to_ical()
