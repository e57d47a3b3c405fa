"""E-mails about consultation requests: who gets them, in which language, with which link."""

import datetime

import pytest
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import ConsultationRequest
from bfe.consultations.services import requests as services
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_region

from .factories import ConsultationFactory, ConsultationRequestFactory, topic

pytestmark = pytest.mark.django_db

Status = ConsultationRequest.Status


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://bfe.example"


@pytest.fixture
def coordinator(shelter):
    person = UserFactory(email="eak@example.org", full_name="Erika Ehrenamt")
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def regional_coordinator(region="nord", **user):
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR,
        region=berlin_region(region),
        **{f"user__{key}": value for key, value in user.items()},
    ).user


def ask(coordinator, shelter, **kwargs):
    kwargs.setdefault("topics", [topic("gewinnung")])
    return services.request_consultation(
        shelter=shelter,
        requested_by=coordinator,
        message="Wir suchen neue Freiwillige <für> das Café.",
        preferred_times="dienstags",
        **kwargs,
    )


def test_a_new_request_goes_to_each_regional_coordinator_of_the_region_after_commit(
    coordinator, shelter, mailoutbox, django_capture_on_commit_callbacks
):
    regional_coordinator(email="rita@example.org", full_name="Rita Region")
    regional_coordinator(email="nora@example.org", full_name="Nora Nord")
    regional_coordinator("west", email="west@example.org")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = ask(coordinator, shelter, urgency=ConsultationRequest.Urgency.URGENT)
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert sorted(message.to[0] for message in mailoutbox) == [
        "nora@example.org",
        "rita@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["rita@example.org"])
    assert message.subject == "[BfE] Dringende Beratungsanfrage aus GU Am Wiesengrund"
    assert message.reply_to == ["eak@example.org"]
    link = f"https://bfe.example/beratung/anfragen/{request.pk}/"
    assert link in message.body
    assert "Guten Tag Rita Region," in message.body
    assert "Erika Ehrenamt bittet für GU Am Wiesengrund (Bezirk Mitte) um eine Beratung." in (
        message.body
    )
    assert "Themen: Gewinnung von Freiwilligen" in message.body
    assert "Passende Zeiten: dienstags" in message.body
    assert "Wir suchen neue Freiwillige <für> das Café." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert '<html lang="de">' in html
    assert "&lt;für&gt;" in html


def test_each_regional_coordinator_reads_it_in_her_language(
    coordinator, shelter, mailoutbox, django_capture_on_commit_callbacks
):
    regional_coordinator(email="de@example.org", language="de")
    regional_coordinator(email="en@example.org", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        ask(coordinator, shelter)

    by_address = {message.to[0]: message for message in mailoutbox}
    english_html = by_address["en@example.org"].alternatives[0][0]
    assert '<html lang="en">' in english_html
    assert "Recruiting volunteers" in by_address["en@example.org"].body
    assert "Gewinnung von Freiwilligen" in by_address["de@example.org"].body
    assert '<html lang="de">' in by_address["de@example.org"].alternatives[0][0]


def test_without_regional_coordinators_the_regions_contact_address_is_used(
    coordinator, shelter, mailoutbox, django_capture_on_commit_callbacks
):
    region = berlin_region("nord")
    region.contact_email = "nord-kontakt@example.org"
    region.save()
    inactive = regional_coordinator(email="alt@example.org")
    inactive.is_active = False
    inactive.save()

    with django_capture_on_commit_callbacks(execute=True):
        ask(coordinator, shelter)

    (message,) = mailoutbox
    assert message.to == ["nord-kontakt@example.org"]
    assert "Guten Tag," in message.body
    assert "Kontaktadresse der Region Berlin Nord" in message.body


def test_a_refused_double_submit_sends_nothing_twice(
    coordinator, shelter, mailoutbox, django_capture_on_commit_callbacks
):
    regional_coordinator()

    with django_capture_on_commit_callbacks(execute=True):
        ask(coordinator, shelter)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DuplicateRequest):
        ask(coordinator, shelter)

    assert len(mailoutbox) == 1


def test_the_requester_gets_the_date_in_berlin_time_and_can_reply(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    regional = regional_coordinator(email="rita@example.org", full_name="Rita Region")
    request = ConsultationRequestFactory(requested_by=coordinator)
    when = datetime.datetime(2030, 3, 5, 9, 30, tzinfo=datetime.UTC)  # 10:30 in Berlin

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_request(request=request, by=regional, scheduled_for=when)

    (message,) = mailoutbox
    assert message.to == ["eak@example.org"]
    assert message.reply_to == ["rita@example.org"]
    assert message.subject == "[BfE] Termin für Ihre Beratung: 5. März 2030 10:30"
    assert "Dienstag, 5. März 2030 10:30" in message.body
    assert "Guten Tag Erika Ehrenamt," in message.body
    assert "sie geht an Rita Region" in message.body
    assert f"https://bfe.example/beratung/anfragen/{request.pk}/" in message.body


def test_an_english_speaking_requester_gets_english_dates(
    mailoutbox, django_capture_on_commit_callbacks
):
    requester = UserFactory(language="en")
    request = ConsultationRequestFactory(requested_by=requester)
    when = datetime.datetime(2030, 3, 5, 9, 30, tzinfo=datetime.UTC)

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_request(request=request, by=regional_coordinator(), scheduled_for=when)

    (message,) = mailoutbox
    assert "Tuesday" in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_requester_reads_the_reason_of_a_refusal(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    request = ConsultationRequestFactory(requested_by=coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(
            request=request, by=regional_coordinator(), reason="Bitte an die Fachstelle."
        )

    (message,) = mailoutbox
    assert message.to == ["eak@example.org"]
    assert message.subject.startswith("[BfE] Ihre Beratungsanfrage vom ")
    assert message.subject.endswith(" wurde abgesagt")
    assert "Bitte an die Fachstelle." in message.body


def test_the_requester_is_pointed_to_the_next_steps_but_never_sent_the_note(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    request = ConsultationRequestFactory(requested_by=coordinator)
    consultation = ConsultationFactory(
        shelter=request.shelter, confidential_note="Geheim: Ärger mit der Leitung."
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_request_done(request=request, consultation=consultation)

    (message,) = mailoutbox
    assert f"https://bfe.example/beratung/anfragen/{request.pk}/" in message.body
    assert "Geheim" not in message.body
    assert "Geheim" not in message.alternatives[0][0]


def test_an_update_overtaken_by_a_newer_one_is_not_sent(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    regional = regional_coordinator()
    request = ConsultationRequestFactory(requested_by=coordinator)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.schedule_request(
            request=request,
            by=regional,
            scheduled_for=timezone.now() + datetime.timedelta(days=2),
        )
        services.decline_request(request=request, by=regional, reason="Doch keine Zeit.")
    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    assert "Doch keine Zeit." in message.body


def test_nobody_is_emailed_when_the_requester_left(mailoutbox, django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    request = ConsultationRequestFactory(requested_by=gone)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(request=request, by=regional_coordinator(), reason="Nein.")

    assert mailoutbox == []
