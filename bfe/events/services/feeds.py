"""Calendar subscriptions: the public feed, and each person's secret, revocable feed.

Only a hash of a personal feed's token is stored, so its address can be shown exactly once,
right after it was made (`renew_feed` returns the token; the view keeps it in the session until
the "Mein Kalender-Abo" box has shown it: `feed_box_context`).
"""

import datetime
import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import hash_token

from ..models import CalendarFeed, Event, Registration

# Feeds show what is coming and what was recent; calendars keep older entries themselves.
FEED_PAST_DAYS = 60
FEED_MAX_EVENTS = 500
# The session key under which a new feed's token waits to be shown once.
NEW_FEED_TOKEN_KEY = "events:new_feed_token"  # noqa: S105 - a session key, not a secret


def feed_window_start(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)


# Changes ---------------------------------------------------------------------------------------


@transaction.atomic
def renew_feed(*, person):
    """Give `person` a new feed token and return it; any earlier address stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person,
        defaults={"token_hash": hash_token(token), "created_at": timezone.now()},
    )
    return token


@transaction.atomic
def revoke_feed(*, person):
    """End `person`'s subscription; returns whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    return bool(deleted)


# Reading ---------------------------------------------------------------------------------------


def feed_for_token(token):
    """The CalendarFeed whose token is `token`, with its person, or None."""
    if not token or len(token) > 200:
        return None
    return (
        CalendarFeed.objects.select_related("person")
        .filter(token_hash=hash_token(token), person__is_active=True)
        .first()
    )


def public_feed_events(now=None):
    """Published events open to guests – upcoming ones and those of the last 60 days –
    cancelled ones included (calendars remove them on STATUS:CANCELLED)."""
    return (
        Event.objects.visible_to(AnonymousUser())
        .filter(ends_at__gte=feed_window_start(now))
        .order_by("starts_at", "pk")[:FEED_MAX_EVENTS]
    )


def personal_feed_registrations(person, now=None):
    """The person's confirmed and waitlisted registrations of events that are published or
    cancelled, upcoming or of the last 60 days, with their events."""
    return (
        Registration.objects.of(person)
        .filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            event__ends_at__gte=feed_window_start(now),
        )
        .select_related("event")
        .order_by("event__starts_at", "event__pk")[:FEED_MAX_EVENTS]
    )


def feed_box_context(request):
    """Context for `{% include "events/_feed_box.html" %}` ("Mein Kalender-Abo").

    A view that includes the box adds `**feed_box_context(request)` to its context. A token
    made by `feed_reset` is taken out of the session here, so its address is shown once.
    """
    user = request.user
    feed = CalendarFeed.objects.filter(person=user).first() if user.is_authenticated else None
    token = request.session.pop(NEW_FEED_TOKEN_KEY, None)
    new_url = webcal_url = None
    if token and feed and feed.token_hash == hash_token(token):
        new_url = request.build_absolute_uri(reverse("events:personal_feed", args=[token]))
        webcal_url = "webcal://" + new_url.split("://", 1)[1]
    return {
        "calendar_feed": feed,
        "calendar_feed_new_url": new_url,
        "calendar_feed_webcal_url": webcal_url,
    }
