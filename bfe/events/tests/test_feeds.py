"""Calendar feeds: the public one, each person's secret one, and renewing or revoking it."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import hash_token
from bfe.accounts.tests.factories import UserFactory
from bfe.events.models import Audience, CalendarFeed, Event, Registration
from bfe.events.services import feeds
from bfe.events.tests.factories import EventFactory, JourFixeFactory, RegistrationFactory, in_days
from bfe.events.tests.test_ical import parse

pytestmark = pytest.mark.django_db
Status = Registration.Status


def public_feed(client):
    return client.get(reverse("events:public_feed"))


def summaries(vevents):
    return {str(vevent["SUMMARY"]) for vevent in vevents}


def event_on(days, **kwargs):
    return EventFactory(starts_at=in_days(days), ends_at=in_days(days, hour=13), **kwargs)


# The public feed -------------------------------------------------------------------------------


def test_the_public_feed_has_guest_events_upcoming_and_of_the_last_60_days(client):
    event_on(10, title="Kommt noch")
    event_on(-30, title="Vor einem Monat")
    event_on(-90, title="Zu lange her")
    event_on(5, title="Nur Koordination", audience=Audience.COORDINATORS)
    event_on(5, title="Entwurf", status=Event.Status.DRAFT)
    event_on(20, title="Fällt aus", status=Event.Status.CANCELLED)

    response = public_feed(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "public" in response["Cache-Control"]
    vevents = parse(response.content)
    assert summaries(vevents) == {"Kommt noch", "Vor einem Monat", "Abgesagt: Fällt aus"}
    cancelled = next(v for v in vevents if "Fällt aus" in str(v["SUMMARY"]))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert b"X-WR-CALNAME:Beratungsforum Engagement" in response.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content


def test_the_public_feed_never_holds_online_links(client):
    event_on(3, online_url="https://meet.example.org/geheim")
    assert b"meet.example.org" not in public_feed(client).content


def test_the_public_feed_is_valid_when_empty(client):
    assert parse(public_feed(client).content) == []


def test_the_public_feed_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for days in range(1, 30):
        event_on(days)
    with django_assert_max_num_queries(2):
        public_feed(client)


# The personal feed -----------------------------------------------------------------------------


@pytest.fixture
def person():
    return UserFactory(full_name="Petra Plan")


FEED_TOKEN = "geheimer-token-1234567890"


def make_feed(person, token=FEED_TOKEN):
    CalendarFeed.objects.create(person=person, token_hash=hash_token(token))
    return reverse("events:personal_feed", args=[token])


def test_a_personal_feed_holds_the_persons_registrations_found_by_token_alone(client, person):
    url = make_feed(person)
    confirmed = event_on(7, title="Bestätigt", online_url="https://meet.example.org/a")
    waiting = event_on(8, title="Wartend", online_url="https://meet.example.org/b")
    cancelled_event = event_on(9, title="Abgesagt vom BfE", status=Event.Status.CANCELLED)
    RegistrationFactory(event=confirmed, person=person)
    RegistrationFactory(
        event=waiting, person=person, status=Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    RegistrationFactory(event=cancelled_event, person=person)
    RegistrationFactory(
        event=event_on(10, title="Selbst abgemeldet"), person=person, status=Status.CANCELLED
    )
    RegistrationFactory(event=event_on(11, title="Fremde Anmeldung"))
    RegistrationFactory(event=event_on(-90, title="Lange vorbei"), person=person)
    RegistrationFactory(event=JourFixeFactory(title="Jour fixe"), person=person)

    response = client.get(url)  # no session: calendar programs do not sign in

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    vevents = parse(response.content)
    assert summaries(vevents) == {
        "Bestätigt",
        "Warteliste: Wartend",
        "Abgesagt: Abgesagt vom BfE",
        "Jour fixe",
    }
    by_summary = {str(v["SUMMARY"]): v for v in vevents}
    assert str(by_summary["Warteliste: Wartend"]["STATUS"]) == "TENTATIVE"
    assert str(by_summary["Abgesagt: Abgesagt vom BfE"]["STATUS"]) == "CANCELLED"
    assert "meet.example.org/a" in str(by_summary["Bestätigt"]["DESCRIPTION"])
    assert "meet.example.org/b" not in str(by_summary["Warteliste: Wartend"]["DESCRIPTION"])


def test_an_unknown_token_finds_nothing(client, person):
    make_feed(person)
    assert client.get(reverse("events:personal_feed", args=["geraten"])).status_code == 404


def test_the_feed_of_a_deactivated_account_is_gone(client, person):
    url = make_feed(person)
    person.is_active = False
    person.save()
    assert client.get(url).status_code == 404


# Renewing and revoking -------------------------------------------------------------------------


def test_renewing_makes_a_new_address_and_the_old_one_stops_working(client, person):
    client.force_login(person)

    response = client.post(reverse("events:feed_reset"))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:my_registrations") + "#kalender-abo"
    first = client.session[feeds.NEW_FEED_TOKEN_KEY]
    first_url = reverse("events:personal_feed", args=[first])
    assert client.get(first_url).status_code == 200
    assert CalendarFeed.objects.get(person=person).token_hash == hash_token(first)

    client.post(reverse("events:feed_reset"), {"action": "renew"})
    second = client.session[feeds.NEW_FEED_TOKEN_KEY]

    assert second != first
    assert client.get(first_url).status_code == 404
    assert client.get(reverse("events:personal_feed", args=[second])).status_code == 200
    assert CalendarFeed.objects.filter(person=person).count() == 1


def test_revoking_ends_the_subscription(client, person):
    client.force_login(person)
    client.post(reverse("events:feed_reset"))
    url = reverse("events:personal_feed", args=[client.session[feeds.NEW_FEED_TOKEN_KEY]])

    response = client.post(reverse("events:feed_reset"), {"action": "revoke"}, follow=False)

    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(person=person).exists()
    assert feeds.NEW_FEED_TOKEN_KEY not in client.session
    assert client.get(url).status_code == 404


def test_feed_reset_takes_post_only_and_stays_on_this_site(client, person):
    client.force_login(person)
    assert client.get(reverse("events:feed_reset")).status_code == 405

    response = client.post(reverse("events:feed_reset"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("events:my_registrations") + "#kalender-abo"

    response = client.post(reverse("events:feed_reset"), {"next": "/"})
    assert response["Location"] == "/#kalender-abo"


def test_only_a_hash_of_the_token_is_stored(client, person):
    client.force_login(person)
    client.post(reverse("events:feed_reset"))
    token = client.session[feeds.NEW_FEED_TOKEN_KEY]
    assert len(token) >= 40
    assert token not in CalendarFeed.objects.get(person=person).token_hash


# The "Mein Kalender-Abo" box -------------------------------------------------------------------


def box_request(person, session):
    request = RequestFactory().get(reverse("events:my_registrations"))
    request.user = person
    request.session = session
    return request


def render_box(request):
    return render_to_string(
        "events/_feed_box.html", feeds.feed_box_context(request), request=request
    )


def test_the_box_shows_a_new_address_exactly_once(person):
    session = SessionStore()
    session[feeds.NEW_FEED_TOKEN_KEY] = token = feeds.renew_feed(person=person)
    request = box_request(person, session)

    first = render_box(request)
    second = render_box(request)

    url = f"http://testserver/kalender/{token}.ics"
    assert "Der Link wird nur einmal angezeigt." in first
    assert url in first
    assert f"webcal://testserver/kalender/{token}.ics" in first
    assert token not in second
    assert "Neuen Link erstellen" in second and "Abo beenden" in second


def test_the_box_offers_a_subscription_to_people_without_one(person):
    html = render_box(box_request(person, SessionStore()))
    assert "Kalender-Abo einrichten" in html
    assert "Abo beenden" not in html


def test_a_stale_token_in_the_session_is_not_shown(person):
    session = SessionStore()
    session[feeds.NEW_FEED_TOKEN_KEY] = feeds.renew_feed(person=person)
    feeds.renew_feed(person=person)  # renewed elsewhere meanwhile

    html = render_box(box_request(person, session))

    assert "nur einmal angezeigt" not in html


def test_feed_window_is_60_days():
    now = timezone.now()
    assert now - feeds.feed_window_start(now) == datetime.timedelta(days=60)
