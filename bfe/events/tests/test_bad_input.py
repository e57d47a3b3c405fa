"""Bad input on the events pages: registration, guests, the calendar's filters, the training
list and certificate checks answer anything with 200, 302 or 4xx and save nothing by halves."""

import html
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from bfe.accounts.tests.factories import UserFactory
from bfe.core.tests.hostile import (
    added,
    assert_no_server_error,
    bad_input_settings,
    counts,
    each_example_apart,
    hostile_value,
    mutated,
    path_segment,
    query_strings,
)
from bfe.events.models import Registration
from bfe.events.services import registration as services
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_district

from .factories import EventFactory, JourFixeFactory, TrainingSeriesFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status

GUEST = {
    "name": "Gisela Gast",
    "email": "gast@example.org",
    "organisation": "Bezirksamt Pankow",
    "language": "de",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def workshop():
    return EventFactory(capacity=1)


def a_coordinator_in_nord():
    person = UserFactory()
    CoordinatorPositionFactory(person=person, shelter__district=berlin_district("01"))
    return person


@pytest.fixture
def coordinator():
    return a_coordinator_in_nord()


def is_safe_redirect(response):
    """A redirect that stays on this site, whatever `next` was sent."""
    location = response["Location"]
    parts = urlsplit(location.replace("\\", "/"))
    return parts.scheme in {"", "http"} and parts.netloc in {"", "testserver"}


# Signed-in registration ------------------------------------------------------------------------


@bad_input_settings
@given(data=mutated({"next": "/meine-anmeldungen/"}, extra=["action", "csrfmiddlewaretoken"]))
@example(data={"next": "a b"})  # no "/" or ".": once taken for a URL name and a 500
@example(data={"next": "//evil.example/"})
@example(data={"next": "https://evil.example/"})
@example(data={"next": ["/", "http://evil.example/"]})
def test_registering_with_any_form_data_gives_one_registration_and_a_safe_redirect(
    coordinator, data
):
    event = JourFixeFactory(capacity=1)
    with each_example_apart() as client:
        client.force_login(coordinator)
        before = counts(Registration)

        response = client.post(reverse("events:register", args=[event.pk]), data)

        assert_no_server_error(response)
        assert response.status_code == 302
        assert is_safe_redirect(response)
        assert added(before, Registration) == {"Registration": 1}
        registration = Registration.objects.get(event=event)
        assert (registration.person, registration.status) == (coordinator, Status.CONFIRMED)

        again = client.post(reverse("events:register", args=[event.pk]), data)
        assert again.status_code == 302
        assert added(before, Registration) == {"Registration": 1}


@bad_input_settings
@given(data=mutated({"next": "/"}, extra=["status", "person"]), registered=st.booleans())
def test_unregistering_with_any_form_data_cancels_at_most_the_own_registration(
    coordinator, data, registered
):
    event = JourFixeFactory()
    other = a_coordinator_in_nord()
    with each_example_apart() as client:
        services.register(event=event, person=other)
        if registered:
            services.register(event=event, person=coordinator)
        client.force_login(coordinator)
        before = counts(Registration)

        response = client.post(reverse("events:unregister", args=[event.pk]), data)

        assert_no_server_error(response)
        assert is_safe_redirect(response)
        assert added(before, Registration) == {"Registration": 0}
        assert Registration.objects.get(person=other).status == Status.CONFIRMED
        if registered:
            assert Registration.objects.get(person=coordinator).status == Status.CANCELLED


@bad_input_settings
@given(pk=st.integers(min_value=0, max_value=10**30))
def test_registering_for_events_that_do_not_exist_is_not_found(coordinator, pk):
    with each_example_apart() as client:
        client.force_login(coordinator)
        for name in ("events:register", "events:unregister"):
            response = client.post(reverse(name, args=[pk]))
            assert response.status_code in {302, 404}
        assert not Registration.objects.exists()


@bad_input_settings
@given(data=mutated({"next": "/meine-anmeldungen/", "action": "renew"}))
@example(data={"next": "Kalender"})  # no "/" or ".": once taken for a URL name and a 500
def test_renewing_the_calendar_link_with_any_form_data_redirects_on_this_site(coordinator, data):
    with each_example_apart() as client:
        client.force_login(coordinator)

        response = client.post(reverse("events:feed_reset"), data)

        assert response.status_code == 302
        assert is_safe_redirect(response)


# Guests ----------------------------------------------------------------------------------------


@bad_input_settings
@given(data=mutated(GUEST, extra=["person", "status", "token_hash"]))
@example(data=GUEST)
@example(data={**GUEST, "name": "  \u202eمريم‏ Gast\u202c  ", "organisation": "🏠" * 200})
def test_a_guest_form_with_any_input_registers_one_complete_guest_or_none(workshop, data):
    with each_example_apart() as client:
        before = counts(Registration)

        response = client.post(reverse("events:guest_register", args=[workshop.pk]), data)

        assert_no_server_error(response)
        if response.status_code == 302:
            assert response["Location"].endswith("?gesendet=1")
            assert added(before, Registration) == {"Registration": 1}
            guest = Registration.objects.get(event=workshop)
            assert guest.person is None
            assert guest.status == Status.UNCONFIRMED
            assert guest.guest_name and "@" in guest.guest_email and guest.token_hash
        else:
            assert response.status_code == 200
            assert added(before, Registration) == {"Registration": 0}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "gast at example", "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ("name", "   ", "Bitte geben Sie Ihren Namen an."),
        ("consent", "", "Ohne Ihr Einverständnis können wir Sie leider nicht anmelden."),
        ("name", "G" * 500, "höchstens 150 Zeichen"),
    ],
)
def test_a_refused_guest_form_says_why_in_german_and_keeps_what_was_typed(
    client, workshop, field, value, message
):
    data = {**GUEST, "name": "Gülşen ‏مريم Gast", field: value}

    response = client.post(reverse("events:guest_register", args=[workshop.pk]), data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Bitte prüfen Sie die markierten Felder." in page
    for kept in ("name", "email", "organisation"):
        if kept != field and data[kept].strip():
            assert f'value="{data[kept]}"' in page
    assert not Registration.objects.exists()


@bad_input_settings
@given(token=path_segment, action=hostile_value)
def test_a_guest_link_with_any_token_is_not_found_and_changes_nothing(workshop, token, action):
    with each_example_apart() as client:
        registration, _token = services.register_guest(
            event=workshop, name="Gast", email="gast@example.org", organisation="", language="de"
        )
        url = reverse("events:guest_manage", args=[token])

        assert client.get(url).status_code == 404
        assert client.post(url, {"action": action}).status_code == 404

        registration.refresh_from_db()
        assert registration.status == Status.UNCONFIRMED


@bad_input_settings
@given(data=mutated({"action": "confirm"}, extra=["token", "status"]))
def test_a_real_guest_link_with_any_form_data_changes_at_most_the_guests_status(workshop, data):
    with each_example_apart() as client:
        registration, token = services.register_guest(
            event=workshop, name="Gast", email="gast@example.org", organisation="", language="de"
        )
        before = counts(Registration)

        response = client.post(reverse("events:guest_manage", args=[token]), data)

        assert response.status_code == 302
        assert added(before, Registration) == {"Registration": 0}
        registration.refresh_from_db()
        expected = Status.CONFIRMED if data.get("action") == "confirm" else Status.UNCONFIRMED
        assert registration.status == expected


# The calendar and the training list ------------------------------------------------------------


@bad_input_settings
@given(query=query_strings(["kind", "region", "seite", "q"]), htmx=st.booleans())
def test_the_event_list_answers_any_filter_values(query, htmx):
    EventFactory()
    with each_example_apart() as client:
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(reverse("events:list"), query, headers=headers)
        assert response.status_code == 200


@bad_input_settings
@given(
    year=st.one_of(st.integers(0, 3000), st.integers(min_value=0, max_value=10**30)),
    month=st.one_of(st.integers(0, 13), st.integers(min_value=0, max_value=10**30)),
    query=query_strings(["kind", "region"]),
)
@example(year=0, month=0, query={})
@example(year=9999, month=12, query={})
def test_the_month_view_answers_odd_years_and_months(year, month, query):
    with each_example_apart() as client:
        response = client.get(reverse("events:month", args=[year, month]), query)
        assert response.status_code in {200, 404}
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            assert response.status_code == 200


@bad_input_settings
@given(query=query_strings(["jahr", "stufe", "seite", "level", "year"]))
def test_the_training_list_answers_any_query_string(query):
    TrainingSeriesFactory()
    with each_example_apart() as client:
        assert client.get(reverse("events:training_list"), query).status_code == 200


@bad_input_settings
@given(code=path_segment)
@example(code="a\x00b")  # PostgreSQL refused the query: a 500 until the selector caught it
def test_checking_any_certificate_code_finds_nothing_without_an_error(code):
    with each_example_apart() as client:
        response = client.get(reverse("events:certificate_verify", args=[code]))
        assert response.status_code == 404
        assert "Diese Prüfnummer ist uns nicht bekannt." in response.content.decode()
