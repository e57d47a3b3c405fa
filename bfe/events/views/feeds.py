"""Calendars: one event as .ics, the public feed, and each person's secret feed.

Calendar programs fetch feeds without a session, so the feeds are public views: the public feed
shows what anyone may see, a personal feed is found by its secret token alone.
"""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bfe.core.views import public

from .. import ical
from ..models import Event, Registration
from ..services import feeds

FEED_REFRESH = datetime.timedelta(hours=1)


def _ics_response(cal, *, filename=None):
    response = HttpResponse(ical.to_bytes(cal), content_type=ical.CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@public
@require_GET
def event_ics(request, pk):
    """One event for the viewer's calendar; the online link only for people registered for it
    (and its organisers)."""
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    registration = (
        Registration.objects.of(request.user).filter(event=event).active().first()
        if request.user.is_authenticated
        else None
    )
    is_registered = (
        registration is not None and registration.status == Registration.Status.CONFIRMED
    )
    shows_online_url = is_registered or (
        request.user.is_authenticated
        and Event.objects.managed_by(request.user).filter(pk=event.pk).exists()
    )
    is_waitlisted = (
        registration is not None and registration.status == Registration.Status.WAITLISTED
    )
    cal = ical.calendar(
        [event],
        show_online_url=lambda e: shows_online_url,
        waitlisted=lambda e: is_waitlisted,
    )
    day = timezone.localdate(event.starts_at).isoformat()
    filename = f"{day}_{slugify(event.title)[:60].strip('-') or 'veranstaltung'}.ics"
    response = _ics_response(cal, filename=filename)
    # The file may hold the online link: nobody but this person keeps it.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@public
@require_GET
def public_feed(request):
    """/veranstaltungen/feed.ics: events open to guests, upcoming and of the last 60 days."""
    cal = ical.calendar(
        feeds.public_feed_events(),
        name=_("Beratungsforum Engagement – Veranstaltungen"),
        refresh=FEED_REFRESH,
    )
    response = _ics_response(cal)
    patch_cache_control(response, public=True, max_age=15 * 60)
    return response


@public
@require_GET
def personal_feed(request, token):
    """A person's registrations (confirmed and waitlisted), found by the secret token alone."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404
    registrations = list(feeds.personal_feed_registrations(feed.person))
    status_by_event = {r.event_id: r.status for r in registrations}
    confirmed = Registration.Status.CONFIRMED
    cal = ical.calendar(
        [registration.event for registration in registrations],
        name=_("BfE – Meine Veranstaltungen"),
        show_online_url=lambda event: status_by_event[event.pk] == confirmed,
        waitlisted=lambda event: status_by_event[event.pk] == Registration.Status.WAITLISTED,
        refresh=FEED_REFRESH,
    )
    response = _ics_response(cal)
    patch_cache_control(response, private=True, max_age=15 * 60)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def feed_reset(request):
    """Create or renew the person's feed address (`action=renew`, the default) or end the
    subscription (`action=revoke`). The new address is shown once, by the feed box."""
    if request.POST.get("action") == "revoke":
        if feeds.revoke_feed(person=request.user):
            messages.success(
                request,
                _("Ihr Kalender-Abo ist beendet. Der bisherige Link funktioniert nicht mehr."),
            )
        request.session.pop(feeds.NEW_FEED_TOKEN_KEY, None)
    else:
        request.session[feeds.NEW_FEED_TOKEN_KEY] = feeds.renew_feed(person=request.user)
        messages.success(
            request,
            _("Ihr neuer Kalender-Link ist erstellt. Ein früherer Link funktioniert nicht mehr."),
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("events:my_registrations")
    # Never redirect(): a `next` without "/" or "." would be taken for a URL name.
    return HttpResponseRedirect(target + "#kalender-abo" if "#" not in target else target)
