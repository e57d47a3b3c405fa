"""External guests: registration without an account, double opt-in, the personal link."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import hash_token
from bfe.events.models import Audience, Event, Registration
from bfe.events.services import registration as services

from .factories import EventFactory, GuestRegistrationFactory, JourFixeFactory, in_days

pytestmark = pytest.mark.django_db
Status = Registration.Status


def sign_up(event, email="gast@example.org", **kwargs):
    values = {"name": "Gisela Gast", "email": email, "organisation": "Bezirksamt Pankow"}
    return services.register_guest(event=event, **{**values, **kwargs})


def link_in(mail):
    return re.search(r"http://\S+/veranstaltungen/gast/([\w-]+)/", mail.body).group(1)


# --- Services -----------------------------------------------------------------------------------


def test_a_guest_registration_waits_unconfirmed_and_stores_only_the_tokens_hash():
    registration, token = sign_up(EventFactory())
    assert registration.status == Status.UNCONFIRMED
    assert registration.person is None
    assert registration.token_hash == hash_token(token)
    assert token not in registration.token_hash


def test_the_link_confirms_the_guest_onto_a_seat(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        registration, token = sign_up(event)
    assert link_in(mailoutbox[0]) == token
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_guest(token=token)
    assert confirmed.pk == registration.pk
    assert confirmed.status == Status.CONFIRMED
    assert "Anmeldung bestätigt" in mailoutbox[1].subject
    assert token in mailoutbox[1].body  # the same personal link, to view and cancel


def test_confirming_twice_changes_nothing():
    _registration, token = sign_up(EventFactory())
    first = services.confirm_guest(token=token)
    again = services.confirm_guest(token=token)
    assert again.confirmed_at == first.confirmed_at


def test_a_guest_confirming_at_a_full_event_lands_on_the_waiting_list():
    event = EventFactory(capacity=1)
    _first, first_token = sign_up(event, email="eins@example.org")
    _second, second_token = sign_up(event, email="zwei@example.org")
    services.confirm_guest(token=second_token)
    late = services.confirm_guest(token=first_token)
    assert late.status == Status.WAITLISTED
    assert services.waitlist_position(late) == 1


def test_unconfirmed_guests_hold_no_seat():
    event = EventFactory(capacity=1)
    sign_up(event)
    _other, token = sign_up(event, email="schnell@example.org")
    assert services.confirm_guest(token=token).status == Status.CONFIRMED


def test_an_unconfirmed_link_expires_after_48_hours():
    registration, token = sign_up(EventFactory())
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=48, minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        services.confirm_guest(token=token)
    assert error.value.code == "expired"


def test_stale_unconfirmed_registrations_are_deleted_and_others_kept():
    event = EventFactory()
    stale, _token = sign_up(event, email="alt@example.org")
    fresh, _token = sign_up(event, email="neu@example.org")
    confirmed = GuestRegistrationFactory(event=event)
    long_ago = timezone.now() - datetime.timedelta(hours=49)
    Registration.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(created_at=long_ago)

    assert services.expire_unconfirmed_guests() == 1

    assert set(Registration.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_the_same_address_again_resends_the_link_instead_of_failing(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first, token = sign_up(event, email="Gast@Example.org")
        again, again_token = sign_up(event, email="gast@example.org ", name="G. Gast")
    assert again.pk == first.pk
    assert again_token == token
    assert Registration.objects.filter(event=event).count() == 1
    assert [link_in(mail) for mail in mailoutbox] == [token, token]


def test_a_registered_guest_signing_up_again_gets_her_link_to_manage(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    _registration, token = sign_up(event)
    services.confirm_guest(token=token)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(event)
    assert "Ihr Link zur Anmeldung" in mailoutbox[-1].subject
    assert "bereits angemeldet" in mailoutbox[-1].body
    assert token in mailoutbox[-1].body


def test_a_guest_cancels_through_her_link_and_the_waiting_list_moves(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    _guest, token = sign_up(event)
    services.confirm_guest(token=token)
    _waiting, waiting_token = sign_up(event, email="warte@example.org")
    waiting = services.confirm_guest(token=waiting_token)
    assert waiting.status == Status.WAITLISTED

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_guest_registration(token=token)

    waiting.refresh_from_db()
    assert cancelled.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert mailoutbox[-1].to == ["warte@example.org"]


def test_a_guest_who_cancelled_can_register_again_with_the_same_address():
    event = EventFactory()
    registration, token = sign_up(event)
    services.confirm_guest(token=token)
    services.cancel_guest_registration(token=token)
    again, _token = sign_up(event)
    assert again.pk == registration.pk
    assert again.status == Status.UNCONFIRMED


def test_coordinator_only_events_and_drafts_take_no_guests():
    with pytest.raises(PermissionDenied):
        sign_up(JourFixeFactory())
    with pytest.raises(PermissionDenied):
        sign_up(EventFactory(status=Event.Status.DRAFT))


def test_guests_cannot_register_after_the_deadline():
    event = EventFactory(registration_opens_at=in_days(-5), registration_closes_at=in_days(-1))
    with pytest.raises(ValidationError):
        sign_up(event)


def test_unknown_links_open_nothing():
    with pytest.raises(Registration.DoesNotExist):
        services.confirm_guest(token="nicht-vorhanden")
    with pytest.raises(Registration.DoesNotExist):
        services.cancel_guest_registration(token="nicht-vorhanden")


# --- Pages -------------------------------------------------------------------------------------


def test_the_guest_form_registers_and_says_to_check_the_inbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Werkstatt Sozialraum")
    url = reverse("events:guest_register", args=[event.pk])
    assert "Als Gast anmelden" in client.get(url).content.decode()
    data = {
        "name": "Gisela Gast",
        "email": "gast@example.org",
        "organisation": "",
        "language": "en",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Bitte schauen Sie in Ihr Postfach" in html
    assert "gast@example.org" in html
    registration = Registration.objects.get(event=event)
    assert registration.guest_language == "en"
    assert mailoutbox[0].to == ["gast@example.org"]


def test_bad_input_keeps_what_was_entered(client):
    event = EventFactory()
    url = reverse("events:guest_register", args=[event.pk])
    response = client.post(url, {"name": "Gisela Gast", "email": "kein-at", "language": "de"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Gisela Gast"' in html
    assert 'value="kein-at"' in html
    assert "gültige E-Mail-Adresse" in html
    assert "Einverständnis" in html
    assert not Registration.objects.exists()


def test_a_duplicate_address_answers_like_a_new_one(client, mailoutbox):
    event = EventFactory()
    sign_up(event)
    url = reverse("events:guest_register", args=[event.pk])
    data = {"name": "Gisela", "email": "gast@example.org", "language": "de", "consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?gesendet=1")
    assert Registration.objects.count() == 1


def test_the_guest_form_is_only_for_events_open_to_guests(client):
    assert (
        client.get(reverse("events:guest_register", args=[JourFixeFactory().pk])).status_code == 404
    )
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("events:guest_register", args=[draft.pk])).status_code == 404


def test_a_closed_event_shows_no_form(client):
    event = EventFactory(registration_opens_at=in_days(-5), registration_closes_at=in_days(-1))
    html = client.get(reverse("events:guest_register", args=[event.pk])).content.decode()
    assert "geschlossen" in html
    assert '<form method="post" class="form card"' not in html


def test_opening_the_link_does_not_confirm_but_the_button_does(client):
    """Mail systems open links to scan them; only the guest's click on the button confirms."""
    _registration, token = sign_up(EventFactory(capacity=1))
    url = reverse("events:guest_manage", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert "Teilnahme bestätigen" in page.content.decode()
    assert Registration.objects.get().status == Status.UNCONFIRMED
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(url, {"action": "confirm"}, follow=True)
    assert Registration.objects.get().status == Status.CONFIRMED
    html = response.content.decode()
    assert "Ihre Anmeldung ist bestätigt" in html
    assert "Teilnahme absagen" in html


def test_the_guest_cancels_on_her_page(client):
    _registration, token = sign_up(EventFactory())
    services.confirm_guest(token=token)
    url = reverse("events:guest_manage", args=[token])
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert Registration.objects.get().status == Status.CANCELLED
    assert "Sie haben sich abgemeldet" in response.content.decode()


def test_an_expired_link_says_so_and_offers_to_register_again(client):
    registration, token = sign_up(EventFactory())
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    html = client.get(reverse("events:guest_manage", args=[token])).content.decode()
    assert "verfallen" in html
    assert reverse("events:guest_register", args=[registration.event_id]) in html


def test_an_unknown_link_is_404(client):
    assert client.get(reverse("events:guest_manage", args=["unbekannt"])).status_code == 404
    assert client.post(reverse("events:guest_manage", args=["unbekannt"])).status_code == 404


def test_the_online_link_shows_only_with_a_seat(client):
    event = EventFactory(capacity=1, online_url="https://meet.example.org/werkstatt")
    _registration, token = sign_up(event)
    url = reverse("events:guest_manage", args=[token])
    assert "meet.example.org" not in client.get(url).content.decode()
    services.confirm_guest(token=token)
    assert "meet.example.org" in client.get(url).content.decode()


def test_guest_links_belong_to_open_events_only():
    event = EventFactory(audience=Audience.COORDINATORS)
    with pytest.raises(PermissionDenied):
        sign_up(event)
