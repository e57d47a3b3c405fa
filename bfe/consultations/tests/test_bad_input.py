"""Bad input on the consultation pages: a coordinator's request, the regional coordinators' log
form and its filters answer anything with 200, 302 or 4xx and save nothing by halves."""

import datetime
import html
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given

from bfe.consultations.models import Attachment, Consultation, ConsultationRequest, Format
from bfe.core.tests.hostile import (
    added,
    assert_no_server_error,
    bad_input_settings,
    counts,
    each_example_apart,
    hostile_text,
    mutated,
    query_strings,
)
from bfe.places.tests.factories import (
    berlin_region,
)

from .factories import FollowUpFactory, topic

pytestmark = pytest.mark.django_db


def request_data(shelter):
    return {
        "shelter": str(shelter.pk),
        "topics": [str(topic("gewinnung").pk), str(topic("konflikte").pk)],
        "preferred_format": Format.ON_SITE,
        "urgency": ConsultationRequest.Urgency.NORMAL,
        "message": "Wir suchen Ideen für neue Freiwillige.",
        "preferred_times": "dienstags vormittags",
    }


def log_data(shelter, coordinator):
    return {
        "shelter": str(shelter.pk),
        "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "duration_minutes": "45",
        "format": Format.PHONE,
        "participants": [str(coordinator.pk)],
        "other_participants": "Heimleitung",
        "topics": [str(topic("versicherung").pk)],
        "next_steps": "Vorlage schicken",
        "confidential_note": "Vertraulich",
        "submission_key": "a" * 32,
    }


# Requests by coordinators ----------------------------------------------------------------------


def test_a_coordinator_request_with_any_input_is_one_complete_request_or_none(shelter, coordinator):
    valid = request_data(shelter)

    @bad_input_settings
    @given(data=mutated(valid, extra=["region", "status", "requested_by"]))
    @example(data=valid)
    @example(data={**valid, "topics": str(2**63)})
    def check(data):
        with each_example_apart() as client:
            client.force_login(coordinator)
            before = counts(ConsultationRequest)

            response = client.post(reverse("consultations:request_create"), data)

            assert_no_server_error(response)
            if response.status_code == 302:
                assert added(before, ConsultationRequest) == {"ConsultationRequest": 1}
                made = ConsultationRequest.objects.get()
                assert (made.shelter, made.requested_by) == (shelter, coordinator)
                assert made.region == berlin_region("nord")
                assert made.topics.exists()
                assert made.status == ConsultationRequest.Status.OPEN
            else:
                assert response.status_code == 200
                assert added(before, ConsultationRequest) == {"ConsultationRequest": 0}

    check()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message", "x" * 5000, "Der Text ist zu lang: höchstens"),
        ("topics", [], "Bitte wählen Sie mindestens ein Thema."),
        ("urgency", "sofort!!", "sofort!! ist keine gültige Auswahl."),
    ],
)
def test_a_refused_request_says_why_in_german_and_keeps_what_was_typed(
    client, shelter, coordinator, field, value, message
):
    client.force_login(coordinator)
    data = {**request_data(shelter), "preferred_times": "‏مساءً, nachmittags", field: value}

    response = client.post(reverse("consultations:request_create"), data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Bitte prüfen Sie die markierten Felder." in page
    assert 'value="‏مساءً, nachmittags"' in page
    if field != "message":
        assert "Wir suchen Ideen für neue Freiwillige." in page
    assert not ConsultationRequest.objects.exists()


# The log ---------------------------------------------------------------------------------------


def test_the_log_form_with_any_input_logs_one_complete_consultation_or_nothing(
    shelter, coordinator, regional
):
    valid = log_data(shelter, coordinator)

    @bad_input_settings
    @given(data=mutated(valid, extra=["region", "logged_by", "consultation_request"]))
    @example(data=valid)
    @example(data={**valid, "held_on": "0000-00-00"})
    @example(data={**valid, "duration_minutes": "99999999999999999999999"})
    # Keys beyond SQLite's integer range once reached the database's `IN (…)` (OverflowError).
    @example(data={**valid, "topics": str(2**63)})
    @example(data={**valid, "participants": str(2**63)})
    def check(data):
        with each_example_apart() as client:
            client.force_login(regional)
            before = counts(Consultation, Attachment)

            response = client.post(reverse("consultations:create"), data)

            assert_no_server_error(response)
            if response.status_code == 302:
                assert added(before, Consultation, Attachment) == {
                    "Consultation": 1,
                    "Attachment": 0,
                }
                logged = Consultation.objects.get()
                assert (logged.shelter, logged.logged_by) == (shelter, regional)
                assert logged.topics.exists()
                assert logged.participants.exists() or logged.other_participants
            else:
                assert response.status_code == 200
                assert added(before, Consultation, Attachment) == {
                    "Consultation": 0,
                    "Attachment": 0,
                }

    check()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", "0000-00-00", "gültiges Datum"),
        ("held_on", "2999-01-01", "Das Datum liegt in der Zukunft."),
        ("duration_minutes", "1e309", "ganze Zahl"),
        ("topics", None, "Bitte wählen Sie mindestens ein Thema."),
    ],
)
def test_a_refused_log_entry_says_why_in_german_and_keeps_what_was_typed(
    client, shelter, coordinator, regional, field, value, message
):
    client.force_login(regional)
    data = {**log_data(shelter, coordinator), "confidential_note": "Notiz ‮RTL‬ 🏠", field: value}
    data = {name: sent for name, sent in data.items() if sent is not None}

    response = client.post(reverse("consultations:create"), data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Ihre Eingaben sind erhalten geblieben." in page
    assert "Notiz ‮RTL‬ 🏠" in page
    assert 'value="Heimleitung"' in page
    assert not Consultation.objects.exists()


def test_the_log_form_opens_with_any_request_or_shelter_in_its_address(regional, shelter):
    @bad_input_settings
    @given(query=query_strings(["request", "shelter"]))
    @example(query={"request": "²"})  # a digit to str.isdigit(), no number to int()
    @example(query={"request": "99999999999999999999999"})
    @example(query={"shelter": "\x00"})
    def check(query):
        with each_example_apart() as client:
            client.force_login(regional)
            response = client.get(reverse("consultations:create"), query)
            assert response.status_code in {200, 404}

    check()


def test_the_log_and_the_requests_answer_any_filter_values(regional):
    @bad_input_settings
    @given(query=query_strings(["q", "topic", "format", "start", "end", "seite", "status"]))
    @example(query={"start": "0000-00-00", "end": "9999-99-99"})
    def check(query):
        with each_example_apart() as client:
            client.force_login(regional)
            for name in ("consultations:list", "consultations:request_list"):
                assert client.get(reverse(name), query).status_code == 200

    check()


def test_a_follow_up_done_with_any_next_redirects_on_this_site(regional):
    @bad_input_settings
    @given(target=hostile_text)
    @example(target="Aufgaben")  # no "/" or ".": once taken for a URL name and a 500
    def check(target):
        with each_example_apart() as client:
            follow_up = FollowUpFactory(owner=regional)
            client.force_login(regional)

            response = client.post(
                reverse("consultations:followup_done", args=[follow_up.pk]), {"next": target}
            )

            assert response.status_code == 302
            location = urlsplit(response["Location"].replace("\\", "/"))
            assert location.netloc in {"", "testserver"}
            assert location.scheme in {"", "http"}

    check()
