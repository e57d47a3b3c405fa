"""iCalendar files of single events, checked by two independent readers: the icalendar library and
a strict check of RFC 5545's structure written here (`assert_valid_rfc5545`)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bfe.accounts.tests.factories import UserFactory
from bfe.events import ical
from bfe.events.models import Audience, Event, Registration
from bfe.events.tests.factories import EventFactory, JourFixeFactory, RegistrationFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

pytestmark = pytest.mark.django_db

CONTENT_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9-]+)"
    r'(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*)'
    r":(?P<value>.*)$"
)
UTC_DATETIME = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "X-WR-CALNAME", "COMMENT"}


def _assert_escaped_text(name, value):
    """TEXT values escape backslash, semicolon and comma (RFC 5545, 3.3.11)."""
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            assert value[index + 1 : index + 2] in {"\\", ";", ",", "n", "N"}, (name, value)
            index += 2
            continue
        assert char not in ";,", f"unescaped {char!r} in {name}: {value!r}"
        index += 1


def assert_valid_rfc5545(data):
    """Check the structure of an iCalendar stream strictly; return its VEVENTs as dicts of
    property name -> list of raw values."""
    assert isinstance(data, bytes)
    assert data.endswith(b"\r\n"), "content lines end with CRLF"
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, f"bare line break in {line!r}"
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
        # Folding must not cut a UTF-8 sequence in two.
        line.decode("utf-8")
    logical = []
    for line in physical:
        text = line.decode("utf-8")
        if text[:1] in {" ", "\t"}:
            assert logical, "a continuation line needs a line before it"
            logical[-1] += text[1:]
        else:
            logical.append(text)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    stack, components = [], []
    for text in logical:
        match = CONTENT_LINE.match(text)
        assert match, f"not a content line: {text!r}"
        name, value = match["name"].upper(), match["value"]
        if name == "BEGIN":
            stack.append((value, {}))
            continue
        if name == "END":
            assert stack and stack[-1][0] == value, f"END:{value} does not close {stack[-1:]}"
            components.append(stack.pop())
            continue
        assert stack, f"property outside of a component: {text!r}"
        if name in TEXT_PROPERTIES:
            _assert_escaped_text(name, value)
        stack[-1][1].setdefault(name, []).append(value)
    assert not stack, f"unclosed components: {[c for c, _ in stack]}"
    calendars = [props for kind, props in components if kind == "VCALENDAR"]
    assert len(calendars) == 1
    assert calendars[0].get("VERSION") == ["2.0"]
    assert len(calendars[0].get("PRODID", [])) == 1
    events = [props for kind, props in components if kind == "VEVENT"]
    uids = []
    for props in events:
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert len(props.get(required, [])) == 1, f"VEVENT needs exactly one {required}"
        assert not ("DTEND" in props and "DURATION" in props)
        assert UTC_DATETIME.match(props["DTSTAMP"][0])
        for once in ("SEQUENCE", "STATUS", "SUMMARY", "DTEND", "URL", "LOCATION", "DESCRIPTION"):
            assert len(props.get(once, [])) <= 1, f"{once} more than once"
        uids.append(props["UID"][0])
    assert len(uids) == len(set(uids)), "UIDs repeat within one calendar"
    return events


def parse(data):
    """Both readers: the structure check and icalendar's parser."""
    assert_valid_rfc5545(data)
    return Calendar.from_ical(data).walk("VEVENT")


def ics_url(event):
    return reverse("events:ics", args=[event.pk])


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def event():
    starts = timezone.make_aware(datetime.datetime(2030, 7, 3, 10))  # CEST, UTC+2
    return EventFactory(
        title="Werkstatt: Engagement, Nachbarschaft; Teilhabe",
        description="Wir sprechen über **Nachbarschaft**.\nZweite Zeile, mit Komma; und Semikolon.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        online_url="https://meet.example.org/werkstatt-geheim",
    )


def coordinator():
    person = UserFactory()
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=person
    )
    return person


def test_one_event_downloads_as_a_valid_calendar_file(client, event):
    response = client.get(ics_url(event))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="2030-07-03_werkstatt-engagement-nachbarschaft-teilhabe.ics"'
    )
    (vevent,) = parse(response.content)
    assert str(vevent["UID"]) == f"{event.uid}@bfe"
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("DTSTART") == datetime.datetime(2030, 7, 3, 8, tzinfo=datetime.UTC)
    assert vevent.decoded("DTEND") == datetime.datetime(2030, 7, 3, 11, tzinfo=datetime.UTC)
    assert str(vevent["LOCATION"]) == "Haus der Demokratie, Greifswalder Str. 4, 10405 Berlin"
    assert str(vevent["URL"]).endswith(f"/veranstaltungen/{event.pk}/")
    assert "Zweite Zeile, mit Komma; und Semikolon." in str(vevent["DESCRIPTION"])


def test_the_uid_stays_and_the_sequence_grows_when_the_event_changes(client, event):
    first = parse(client.get(ics_url(event)).content)[0]

    event.sequence += 1
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event.save()
    second = parse(client.get(ics_url(event)).content)[0]

    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1 == 1
    assert second.decoded("DTSTART") - first.decoded("DTSTART") == datetime.timedelta(hours=1)


def test_a_cancelled_event_says_so_for_calendars_to_remove_it(client, event):
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save()

    (vevent,) = parse(client.get(ics_url(event)).content)

    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]).startswith("Abgesagt: ")
    assert int(vevent["SEQUENCE"]) == 1


def test_the_online_link_is_only_for_people_registered_for_the_event(client, event):
    assert b"meet.example.org" not in client.get(ics_url(event)).content

    outsider = coordinator()
    client.force_login(outsider)
    assert b"meet.example.org" not in client.get(ics_url(event)).content

    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, waitlisted_at=timezone.now()
    ).person
    client.force_login(waiting)
    (vevent,) = parse(client.get(ics_url(event)).content)
    assert "meet.example.org" not in str(vevent["DESCRIPTION"])
    assert str(vevent["STATUS"]) == "TENTATIVE"

    registered = RegistrationFactory(event=event).person
    client.force_login(registered)
    (vevent,) = parse(client.get(ics_url(event)).content)
    assert "Online: https://meet.example.org/werkstatt-geheim" in str(vevent["DESCRIPTION"])
    assert "private" in client.get(ics_url(event))["Cache-Control"]


def test_an_online_only_event_shows_online_as_its_place_to_outsiders(client):
    event = EventFactory(venue_name="", venue_address="", online_url="https://meet.example.org/x")
    (vevent,) = parse(client.get(ics_url(event)).content)
    assert str(vevent["LOCATION"]) == "Online"


def test_who_cannot_see_the_event_cannot_download_it(client):
    jour_fixe = JourFixeFactory(audience=Audience.COORDINATORS)
    draft = EventFactory(status=Event.Status.DRAFT)

    assert client.get(ics_url(jour_fixe)).status_code == 404
    client.force_login(coordinator())
    assert client.get(ics_url(jour_fixe)).status_code == 200
    assert client.get(ics_url(draft)).status_code == 404


def test_long_texts_with_umlauts_are_folded_without_breaking_characters(event):
    event.title = "Ü" * 80
    event.description = "Grüße, Äpfel; Öl\\ " * 30

    data = ical.to_bytes(ical.calendar([event], name="Müller’s Kalender"))

    (props,) = assert_valid_rfc5545(data)
    assert len(props["SUMMARY"][0]) == 80
    (vevent,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["DESCRIPTION"]).startswith(event.description)


def test_the_structure_check_refuses_broken_calendars():
    good = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//DE\r\n"
        b"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20300101T100000Z\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert_valid_rfc5545(good)
    broken = [
        good.replace(b"\r\n", b"\n"),  # LF only
        good.replace(b"UID:1\r\n", b""),  # no UID
        good.replace(b"DTSTAMP:20300101T000000Z\r\n", b""),  # no DTSTAMP
        good.replace(b"END:VEVENT\r\n", b""),  # unbalanced
        good.replace(b"UID:1", b"UID:" + b"x" * 80),  # not folded
        good.replace(b"UID:1", b"UID:1\r\nSUMMARY:a,b"),  # unescaped comma
    ]
    for data in broken:
        with pytest.raises(AssertionError):
            assert_valid_rfc5545(data)
