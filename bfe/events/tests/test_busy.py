"""When a seat lock is not granted in time, the person reads "please try again" on the page she
came from, nothing is saved, and nothing answers 500."""

import pytest
from django.urls import reverse

from bfe.core.locking import LockTimeout
from bfe.events.models import Enrolment, Registration
from bfe.events.services import registration as registration_services
from bfe.events.services import training as training_services

from .factories import JourFixeFactory
from .test_registration import coordinator
from .training_helpers import coordinator as training_coordinator
from .training_helpers import series_with_modules

pytestmark = pytest.mark.django_db

TRY_AGAIN = "Bitte versuchen Sie es in einem Moment noch einmal."


def busy(*args, **kwargs):
    raise LockTimeout


def messages_of(client):
    return [str(m) for m in client.get(reverse("events:my_registrations")).context["messages"]]


def test_registering_while_the_seats_are_locked_too_long_says_try_again(client, monkeypatch):
    monkeypatch.setattr(registration_services, "lock_object", busy)
    event, person = JourFixeFactory(), coordinator()
    client.force_login(person)

    response = client.post(reverse("events:register", args=[event.pk]))

    assert response.status_code == 302
    assert not Registration.objects.filter(event=event).exists()
    assert any(TRY_AGAIN in text for text in messages_of(client))


def test_registering_by_htmx_while_locked_shows_try_again_in_the_box(client, monkeypatch):
    monkeypatch.setattr(registration_services, "lock_object", busy)
    event, person = JourFixeFactory(), coordinator()
    client.force_login(person)

    response = client.post(
        reverse("events:register", args=[event.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert TRY_AGAIN in response.text
    assert not Registration.objects.filter(event=event).exists()


def test_enrolling_while_the_series_is_locked_too_long_says_try_again(client, monkeypatch):
    monkeypatch.setattr(training_services, "lock_object", busy)
    series, person = series_with_modules(numbers=[1]), training_coordinator()
    client.force_login(person)

    response = client.post(reverse("events:training_enrol", args=[series.pk]))

    assert response.status_code == 302
    assert not Enrolment.objects.filter(series=series).exists()
    assert any(TRY_AGAIN in text for text in messages_of(client))
