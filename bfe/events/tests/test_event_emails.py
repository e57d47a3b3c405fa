"""E-mails about registrations: content, the recipient's language, the .ics, retries."""

import datetime
import logging
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.tasks import default_task_backend
from django.utils import timezone
from icalendar import Calendar

from bfe.events import tasks
from bfe.events.emails import Mail
from bfe.events.models import Event, Registration
from bfe.events.services import registration as services
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

from .factories import EventFactory, GuestRegistrationFactory, JourFixeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status

# Wednesday, 4 December 2030, 10:00–13:00 in Berlin.
DECEMBER = timezone.make_aware(datetime.datetime(2030, 12, 4, 10, 0))


def coordinator(language="de", email=None):
    position = CoordinatorPositionFactory(shelter=ShelterFactory(district=berlin_district("01")))
    person = position.person
    person.language = language
    if email:
        person.email = email
    person.save()
    return person


def event_in_december(**kwargs):
    values = {
        "title": "Jour fixe Nord",
        "starts_at": DECEMBER,
        "ends_at": DECEMBER + datetime.timedelta(hours=3),
        "venue_name": "Nachbarschaftshaus",
        "venue_address": "Teststraße 1, 13347 Berlin",
        "online_url": "https://meet.example.org/jf-nord",
    }
    return JourFixeFactory(**{**values, **kwargs})


def calendar_of(mail):
    (name, content, mimetype) = mail.attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    data = content.encode() if isinstance(content, str) else content
    (vevent,) = Calendar.from_ical(data).walk("VEVENT")
    return vevent


def html_of(mail):
    ((html, mimetype),) = mail.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Runs the e-mail tasks that the services enqueue on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_confirmation_is_german_with_date_place_link_and_calendar(mailoutbox, send_now):
    event = event_in_december()
    person = coordinator(email="eva@example.org")
    with send_now():
        services.register(event=event, person=person)

    (mail,) = mailoutbox
    assert mail.to == ["eva@example.org"]
    assert mail.subject == "[BfE] Anmeldung bestätigt: Jour fixe Nord"
    assert "Mittwoch, 4. Dezember 2030, 10:00–13:00 Uhr" in mail.body
    assert "Nachbarschaftshaus, Teststraße 1, 13347 Berlin" in mail.body
    assert "https://meet.example.org/jf-nord" in mail.body
    assert "/meine-anmeldungen/" in mail.body
    assert '<html lang="de">' in html_of(mail)
    vevent = calendar_of(mail)
    assert str(vevent["UID"]) == f"{event.uid}@bfe"
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("DTSTART") == DECEMBER
    assert "meet.example.org" in str(vevent["DESCRIPTION"])


def test_an_english_speaker_gets_the_email_in_english(mailoutbox, send_now):
    event = event_in_december()
    with send_now():
        services.register(event=event, person=coordinator(language="en"))
    (mail,) = mailoutbox
    assert '<html lang="en">' in html_of(mail)
    assert "Wednesday, Dec. 4, 2030" in mail.body
    assert "Dezember" not in mail.body


def test_a_guest_gets_her_emails_in_the_language_she_chose(mailoutbox, send_now):
    event = EventFactory(starts_at=DECEMBER, ends_at=DECEMBER + datetime.timedelta(hours=2))
    with send_now():
        services.register_guest(
            event=event, name="Grace Guest", email="grace@example.org", language="en"
        )
    (mail,) = mailoutbox
    assert '<html lang="en">' in html_of(mail)
    assert "Wednesday, Dec. 4, 2030" in mail.body
    assert "Grace Guest" in mail.body
    assert mail.attachments == []  # not registered yet: nothing for the calendar


def test_the_waiting_list_email_names_the_place_and_adds_nothing_to_the_calendar(
    mailoutbox, send_now
):
    event = event_in_december(capacity=1)
    RegistrationFactory(event=event)
    with send_now():
        services.register(event=event, person=coordinator())
    (mail,) = mailoutbox
    assert mail.subject == "[BfE] Warteliste: Jour fixe Nord"
    assert "auf Platz 1" in mail.body
    assert mail.attachments == []
    assert "meet.example.org" not in mail.body


def test_a_change_sends_the_same_uid_with_a_higher_sequence(mailoutbox, send_now):
    event = event_in_december()
    person = coordinator()
    with send_now():
        services.register(event=event, person=person)
    Event.objects.filter(pk=event.pk).update(
        starts_at=DECEMBER + datetime.timedelta(hours=1),
        ends_at=DECEMBER + datetime.timedelta(hours=4),
        sequence=1,
    )
    with send_now():
        assert services.notify_event_changed(event) == 1

    confirmation, change = mailoutbox
    assert change.subject == "[BfE] Geändert: Jour fixe Nord"
    assert "11:00–14:00 Uhr" in change.body
    before, after = calendar_of(confirmation), calendar_of(change)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1


def test_a_cancellation_reaches_everyone_active_with_status_cancelled(mailoutbox, send_now):
    event = event_in_december(capacity=1)
    seat = RegistrationFactory(event=event, person=coordinator(email="platz@example.org"))
    RegistrationFactory(
        event=event,
        person=coordinator(email="warte@example.org"),
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    RegistrationFactory(event=event, status=Status.CANCELLED)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED, sequence=2)

    with send_now():
        count = services.notify_event_cancelled(event, "Der Raum ist leider nicht verfügbar.")

    assert count == 2
    assert sorted(mail.to[0] for mail in mailoutbox) == ["platz@example.org", "warte@example.org"]
    mail = next(mail for mail in mailoutbox if mail.to == [seat.person.email])
    assert mail.subject == "[BfE] Abgesagt: Jour fixe Nord"
    assert "Der Raum ist leider nicht verfügbar." in mail.body
    assert "meet.example.org" not in mail.body
    vevent = calendar_of(mail)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 2


def test_guests_get_their_personal_link_in_every_email(mailoutbox, send_now):
    event = EventFactory(capacity=5)
    guest = GuestRegistrationFactory(event=event)
    with send_now():
        services.notify_event_changed(event)
    token = services.guest_token(guest)
    assert f"/veranstaltungen/gast/{token}/" in mailoutbox[0].body


def test_the_region_invitation_in_the_coordinators_language(mailoutbox, send_now):
    from bfe.accounts.models import Role
    from bfe.accounts.tests.factories import RoleFactory, UserFactory
    from bfe.places.tests.factories import berlin_region

    lead = UserFactory()
    RoleFactory(user=lead, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    event = event_in_december()
    coordinator(language="en", email="english@example.org")
    with send_now():
        services.invite_region(event=event, by=lead)
    (mail,) = mailoutbox
    assert mail.to == ["english@example.org"]
    assert '<html lang="en">' in html_of(mail)
    assert f"http://localhost:8000/veranstaltungen/{event.pk}/" in mail.body
    vevent = calendar_of(mail)
    assert "meet.example.org" not in str(vevent["DESCRIPTION"])  # the link is for participants


def test_nothing_is_sent_for_a_registration_that_moved_on(mailoutbox):
    registration = RegistrationFactory(event=event_in_december(), status=Status.CANCELLED)
    result = tasks.send_registration_email.enqueue(
        registration_id=registration.pk, mail=Mail.CONFIRMED
    )
    assert result.return_value is False
    assert mailoutbox == []


def test_a_failed_delivery_is_retried_until_it_goes_out(mailoutbox, monkeypatch):
    registration = RegistrationFactory(event=event_in_december())
    send = EmailMessage.send
    attempts = []

    def flaky_send(message, *args, **kwargs):
        attempts.append(1)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("Verbindung verloren")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    tasks.send_registration_email.enqueue(registration_id=registration.pk, mail=Mail.CONFIRMED)

    assert len(attempts) == 3
    assert len(mailoutbox) == 1


def test_delivery_gives_up_after_five_attempts_and_logs(mailoutbox, monkeypatch, caplog):
    registration = RegistrationFactory(event=event_in_december())
    attempts = []

    def broken_send(message, *args, **kwargs):
        attempts.append(1)
        raise smtplib.SMTPConnectError(421, "Dienst nicht verfügbar")

    monkeypatch.setattr(EmailMessage, "send", broken_send)
    with caplog.at_level(logging.ERROR, logger="bfe.events.tasks"):
        tasks.send_registration_email.enqueue(registration_id=registration.pk, mail=Mail.CONFIRMED)

    assert len(attempts) == tasks.MAX_ATTEMPTS == 5
    assert mailoutbox == []
    assert "Giving up" in caplog.text


def test_a_retry_waits_where_the_task_backend_can_defer(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    registration = RegistrationFactory(event=event_in_december())

    def down(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Verbindung verloren")

    monkeypatch.setattr(EmailMessage, "send", down)
    before = timezone.now()
    assert (
        tasks.send_registration_email.call(registration_id=registration.pk, mail=Mail.CONFIRMED)
        is False
    )

    (retry,) = default_task_backend.results
    assert retry.kwargs["attempt"] == 2
    assert retry.task.run_after >= before + datetime.timedelta(minutes=1)
