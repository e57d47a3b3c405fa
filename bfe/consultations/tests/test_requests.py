"""Consultation requests: services and pages, for who may and who may not."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import ConsultationRequest, Format
from bfe.consultations.selectors import requests as selectors
from bfe.consultations.services import requests as services
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import ConsultationFactory, ConsultationRequestFactory, topic

pytestmark = pytest.mark.django_db

Status = ConsultationRequest.Status
Urgency = ConsultationRequest.Urgency
NOTE = "Vertraulich: Konflikt mit der Heimleitung."


@pytest.fixture
def coordinator(shelter):
    person = UserFactory(email="eak@example.org", full_name="Erika Ehrenamt")
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


@pytest.fixture
def regional():
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR,
        region=berlin_region("nord"),
        user__email="nord@example.org",
        user__full_name="Rita Region",
    ).user


@pytest.fixture
def regional_west():
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("west")).user


@pytest.fixture
def admin():
    return RoleFactory(kind=Role.Kind.ADMIN).user


def with_topics(obj, *slugs):
    # The factories' `topics=` does not reach the model (their mixin is not a factory).
    obj.topics.set([topic(slug) for slug in slugs])
    return obj


def ask(coordinator, shelter, **kwargs):
    kwargs.setdefault("topics", [topic("konflikte")])
    kwargs.setdefault("message", "Streit im Team der Freiwilligen.")
    return services.request_consultation(shelter=shelter, requested_by=coordinator, **kwargs)


def in_days(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# Services


def test_a_coordinator_requests_a_consultation_in_her_shelters_current_region(coordinator, shelter):
    request = ask(
        coordinator,
        shelter,
        topics=[topic("konflikte"), topic("datenschutz")],
        preferred_format=Format.VIDEO,
        urgency=Urgency.URGENT,
        preferred_times="  dienstags vormittags ",
    )

    request.refresh_from_db()
    assert request.region == berlin_region("nord")
    assert request.requested_by == coordinator
    assert request.status == Status.OPEN
    assert request.preferred_format == Format.VIDEO
    assert request.urgency == Urgency.URGENT
    assert request.preferred_times == "dienstags vormittags"
    assert {t.slug for t in request.topics.all()} == {"konflikte", "datenschutz"}


def test_nobody_requests_for_a_shelter_she_does_not_coordinate(coordinator, regional):
    other = ShelterFactory(district=berlin_district("01"))

    with pytest.raises(PermissionDenied):
        ask(coordinator, other)
    with pytest.raises(PermissionDenied):
        ask(regional, other)
    assert not ConsultationRequest.objects.exists()


def test_a_request_needs_a_topic(coordinator, shelter):
    with pytest.raises(ValidationError) as error:
        ask(coordinator, shelter, topics=[])
    assert error.value.message_dict == {"topics": ["Bitte wählen Sie mindestens ein Thema."]}


def test_the_same_request_sent_twice_within_a_minute_is_created_once(coordinator, shelter):
    first = ask(coordinator, shelter)

    with pytest.raises(services.DuplicateRequest) as duplicate:
        ask(coordinator, shelter)

    assert duplicate.value.existing == first
    assert ConsultationRequest.objects.count() == 1


def test_a_different_request_or_the_same_a_minute_later_is_a_new_request(coordinator, shelter):
    first = ask(coordinator, shelter)
    ask(coordinator, shelter, message="Eine ganz andere Frage.")
    ConsultationRequest.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    ask(coordinator, shelter)

    assert ConsultationRequest.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_requests_create_one(coordinator, shelter, monkeypatch):
    """Fails without the lock in request_consultation: both would pass the duplicate check."""
    manager = ConsultationRequest.objects
    create = manager.create

    def slow_create(**kwargs):
        time.sleep(0.3)  # widens the gap between the duplicate check and the insert
        return create(**kwargs)

    monkeypatch.setattr(manager, "create", slow_create)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            ask(coordinator, shelter)
            outcomes.append("created")
        except services.DuplicateRequest:
            outcomes.append("duplicate")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "duplicate"]
    assert ConsultationRequest.objects.count() == 1


def test_scheduling_sets_the_date_and_who_answered(regional):
    request = ConsultationRequestFactory()
    when = in_days(3)

    services.schedule_request(request=request, by=regional, scheduled_for=when)

    request.refresh_from_db()
    assert request.status == Status.SCHEDULED
    assert request.scheduled_for == when
    assert request.answered_by == regional


def test_a_scheduled_request_can_be_moved(regional):
    request = ConsultationRequestFactory(status=Status.SCHEDULED, scheduled_for=in_days(2))

    services.schedule_request(request=request, by=regional, scheduled_for=in_days(9))

    request.refresh_from_db()
    assert request.scheduled_for == in_days(9)


def test_a_date_in_the_past_is_refused(regional):
    request = ConsultationRequestFactory()

    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.schedule_request(
            request=request, by=regional, scheduled_for=timezone.now() - datetime.timedelta(hours=1)
        )


@pytest.mark.parametrize("who", ["regional_west", "coordinator"])
def test_only_the_regions_coordinators_and_the_lead_answer_a_request(request, who):
    person = request.getfixturevalue(who)
    consultation_request = ConsultationRequestFactory(
        requested_by=request.getfixturevalue("coordinator")
    )

    with pytest.raises(PermissionDenied):
        services.schedule_request(request=consultation_request, by=person, scheduled_for=in_days(1))
    with pytest.raises(PermissionDenied):
        services.decline_request(request=consultation_request, by=person, reason="Keine Zeit.")


def test_the_lead_answers_requests_of_every_region(admin):
    request = ConsultationRequestFactory()

    services.decline_request(request=request, by=admin, reason="  Bitte an die Stadtteilarbeit. ")

    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert request.decline_reason == "Bitte an die Stadtteilarbeit."
    assert request.answered_by == admin


def test_declining_needs_a_reason(regional):
    request = ConsultationRequestFactory()

    with pytest.raises(ValidationError, match="Begründung"):
        services.decline_request(request=request, by=regional, reason="   ")
    request.refresh_from_db()
    assert request.status == Status.OPEN


@pytest.mark.parametrize("status", [Status.DONE, Status.DECLINED])
def test_a_closed_request_is_neither_scheduled_nor_declined(regional, status):
    request = ConsultationRequestFactory(status=status, decline_reason="Schon erledigt.")

    with pytest.raises(ValidationError, match="bereits"):
        services.schedule_request(request=request, by=regional, scheduled_for=in_days(1))
    with pytest.raises(ValidationError, match="bereits"):
        services.decline_request(request=request, by=regional, reason="Nein.")


def test_a_logged_consultation_marks_its_request_done_and_is_linked(regional):
    request = ConsultationRequestFactory(status=Status.SCHEDULED, scheduled_for=in_days(1))
    consultation = ConsultationFactory(shelter=request.shelter, logged_by=regional)

    services.mark_request_done(request=request, consultation=consultation)

    request.refresh_from_db()
    consultation.refresh_from_db()
    assert request.status == Status.DONE
    assert request.answered_by == regional
    assert consultation.request == request


def test_marking_done_twice_changes_nothing(regional, django_capture_on_commit_callbacks):
    request = ConsultationRequestFactory()
    consultation = ConsultationFactory(shelter=request.shelter, request=request, logged_by=regional)

    with django_capture_on_commit_callbacks() as callbacks:
        services.mark_request_done(request=request, consultation=consultation)
        services.mark_request_done(request=request, consultation=consultation)

    assert request.status == Status.DONE
    assert len(callbacks) == 1


def test_a_consultation_answers_only_one_request():
    answered = ConsultationRequestFactory()
    consultation = ConsultationFactory(request=answered)

    with pytest.raises(ValidationError, match="andere Anfrage"):
        services.mark_request_done(request=ConsultationRequestFactory(), consultation=consultation)


def test_the_inbox_lists_open_and_scheduled_first_and_urgent_first(regional):
    done = ConsultationRequestFactory(status=Status.DONE, urgency=Urgency.URGENT)
    normal = ConsultationRequestFactory()
    scheduled = ConsultationRequestFactory(status=Status.SCHEDULED, scheduled_for=in_days(1))
    urgent = ConsultationRequestFactory(urgency=Urgency.URGENT)
    soon = ConsultationRequestFactory(urgency=Urgency.SOON)
    ConsultationRequestFactory(
        region=berlin_region("west"), shelter=ShelterFactory(district=berlin_district("05"))
    )

    inbox = list(selectors.inbox_for(regional))

    assert inbox == [urgent, soon, normal, scheduled, done]
    assert list(selectors.inbox_for(regional, status=Status.SCHEDULED)) == [scheduled]
    counts = selectors.inbox_counts(regional)
    assert (counts["all"], counts["open"], counts["scheduled"], counts["done"]) == (5, 3, 1, 1)


# Pages: asking


def test_a_coordinator_with_one_shelter_does_not_choose_it(client, coordinator, shelter):
    client.force_login(coordinator)

    response = client.get(reverse("consultations:request_create"))

    assert response.status_code == 200
    html = response.text
    assert f'<input type="hidden" name="shelter" value="{shelter.pk}"' in html
    assert "GU Am Wiesengrund" in html
    assert 'type="checkbox" name="topics"' in html
    assert "Gewinnung von Freiwilligen" in html
    assert 'type="radio" name="preferred_format"' in html


def test_a_coordinator_of_two_shelters_chooses_among_hers_only(client, coordinator):
    second = ShelterFactory(name="MUF Zweite", district=berlin_district("01"))
    CoordinatorPositionFactory(shelter=second, person=coordinator)
    ShelterFactory(name="GU Fremd", district=berlin_district("01"))
    client.force_login(coordinator)

    response = client.get(reverse("consultations:request_create"))

    form = response.context["form"]
    assert {s.name for s in form.fields["shelter"].queryset} == {"GU Am Wiesengrund", "MUF Zweite"}
    assert "GU Fremd" not in response.text


def test_retired_topics_are_not_offered(client, coordinator):
    retired = topic("versicherung")
    retired.is_active = False
    retired.save()
    client.force_login(coordinator)

    response = client.get(reverse("consultations:request_create"))

    assert retired not in response.context["form"].fields["topics"].queryset


def request_data(shelter, **overrides):
    return {
        "shelter": shelter.pk,
        "topics": [topic("gewinnung").pk],
        "preferred_format": Format.PHONE,
        "urgency": Urgency.SOON,
        "message": "Wir brauchen Ideen für die Gewinnung.",
        "preferred_times": "montags ab 14 Uhr",
        **overrides,
    }


def test_a_coordinator_sends_a_request_and_lands_on_its_page(client, coordinator, shelter):
    client.force_login(coordinator)

    response = client.post(reverse("consultations:request_create"), request_data(shelter))

    request = ConsultationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert request.preferred_format == Format.PHONE
    page = client.get(response["Location"])
    assert "Ihre Anfrage ist bei der Regionalkoordination Berlin Nord eingegangen" in page.text


def test_a_double_submit_creates_one_request_and_shows_it(client, coordinator, shelter):
    client.force_login(coordinator)
    url = reverse("consultations:request_create")

    client.post(url, request_data(shelter))
    second = client.post(url, request_data(shelter), follow=True)

    request = ConsultationRequest.objects.get()
    assert second.redirect_chain[-1][0] == request.get_absolute_url()
    assert "gerade schon gesendet" in second.text


def test_a_request_without_topic_says_so_and_keeps_the_text(client, coordinator, shelter):
    client.force_login(coordinator)

    response = client.post(
        reverse("consultations:request_create"), request_data(shelter, topics=[])
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie mindestens ein Thema." in response.text
    assert "Wir brauchen Ideen für die Gewinnung." in response.text
    assert "montags ab 14 Uhr" in response.text
    assert not ConsultationRequest.objects.exists()


def test_a_huge_message_is_refused_with_its_length_and_kept(client, coordinator, shelter):
    client.force_login(coordinator)
    message = "Sehr lang. " * 500

    response = client.post(
        reverse("consultations:request_create"), request_data(shelter, message=message)
    )

    assert response.status_code == 200
    assert "höchstens 4000 Zeichen, Sie haben 5499 geschrieben" in response.text
    assert response.context["form"]["message"].value() == message
    assert not ConsultationRequest.objects.exists()


def test_a_forged_shelter_is_refused(client, coordinator):
    foreign = ShelterFactory(district=berlin_district("01"))
    client.force_login(coordinator)

    response = client.post(reverse("consultations:request_create"), request_data(foreign))

    assert response.status_code == 200
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("who", ["regional", "admin"])
def test_staff_without_a_shelter_cannot_ask(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("consultations:request_create")).status_code == 404


# Pages: what the coordinator sees


def test_my_requests_show_status_date_reason_and_next_steps_but_never_the_note(
    client, coordinator, shelter
):
    ConsultationRequestFactory(shelter=shelter, requested_by=coordinator)
    ConsultationRequestFactory(
        shelter=shelter,
        requested_by=coordinator,
        status=Status.SCHEDULED,
        scheduled_for=timezone.make_aware(datetime.datetime(2030, 3, 5, 10, 30)),
    )
    ConsultationRequestFactory(
        shelter=shelter,
        requested_by=coordinator,
        status=Status.DECLINED,
        decline_reason="Bitte wenden Sie sich an die Fachstelle.",
    )
    done = ConsultationRequestFactory(shelter=shelter, requested_by=coordinator, status=Status.DONE)
    answer = ConsultationFactory(
        shelter=shelter,
        request=done,
        held_on=datetime.date(2026, 10, 1),
        format=Format.VIDEO,
        confidential_note=NOTE,
        next_steps="Vorlage für Ehrenamtsvereinbarung schicken.",
    )
    with_topics(answer, "datenschutz")
    someone_else = ConsultationRequestFactory(message="Fremde Anfrage aus einem anderen Haus")
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("consultations:request_list"))

    html = response.text
    assert response.status_code == 200
    # The note is not even read from the database for this page.
    assert not any("confidential_note" in query["sql"] for query in queries)
    assert "Meine Beratungsanfragen" in html
    assert "5. März 2030 10:30" in html
    assert "Bitte wenden Sie sich an die Fachstelle." in html
    assert "Vorlage für Ehrenamtsvereinbarung schicken." in html
    assert "1. Oktober 2026" in html
    assert "Datenschutz" in html
    assert "Konflikt mit der Heimleitung" not in html
    assert someone_else.get_absolute_url() not in html
    with CaptureQueriesContext(connection) as queries:
        detail = client.get(done.get_absolute_url())
    assert not any("confidential_note" in query["sql"] for query in queries)
    assert "Vorlage für Ehrenamtsvereinbarung schicken." in detail.text
    assert "Konflikt mit der Heimleitung" not in detail.text
    assert "Termin vereinbaren" not in detail.text


def test_the_request_of_a_predecessor_stays_with_the_shelter(client, coordinator, shelter):
    predecessor = UserFactory()
    request = ConsultationRequestFactory(shelter=shelter, requested_by=predecessor)
    client.force_login(coordinator)

    assert request.get_absolute_url() in client.get(reverse("consultations:request_list")).text
    assert client.get(request.get_absolute_url()).status_code == 200


# Pages: the regional coordinators' inbox


def test_the_inbox_shows_the_regions_requests_with_a_status_filter(client, regional):
    open_request = ConsultationRequestFactory(message="Offen")
    scheduled = ConsultationRequestFactory(status=Status.SCHEDULED, scheduled_for=in_days(2))
    west = ConsultationRequestFactory(
        region=berlin_region("west"), shelter=ShelterFactory(district=berlin_district("05"))
    )
    client.force_login(regional)
    url = reverse("consultations:request_list")

    everything = client.get(url).text
    only_scheduled = client.get(url, {"status": "scheduled"}).text
    nonsense = client.get(url, {"status": "egal"})

    assert open_request.get_absolute_url() in everything
    assert scheduled.get_absolute_url() in everything
    assert west.get_absolute_url() not in everything
    assert open_request.get_absolute_url() not in only_scheduled
    assert scheduled.get_absolute_url() in only_scheduled
    assert nonsense.status_code == 200


def test_the_detail_offers_the_answers_to_those_who_answer(client, regional, coordinator):
    request = ConsultationRequestFactory(requested_by=coordinator)
    client.force_login(regional)

    html = client.get(request.get_absolute_url()).text

    assert reverse("consultations:request_schedule", args=[request.pk]) in html
    assert reverse("consultations:request_decline", args=[request.pk]) in html
    assert f"{reverse('consultations:create')}?request={request.pk}" in html


# Pages: scheduling and declining


def test_scheduling_through_the_page_in_berlin_time(client, regional):
    request = ConsultationRequestFactory(preferred_times="mittwochs")
    client.force_login(regional)
    url = reverse("consultations:request_schedule", args=[request.pk])
    day = timezone.localdate() + datetime.timedelta(days=5)

    assert "mittwochs" in client.get(url).text
    response = client.post(url, {"date": day.isoformat(), "time": "09:15"})

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == Status.SCHEDULED
    assert timezone.localtime(request.scheduled_for).replace(tzinfo=None) == datetime.datetime(
        day.year, day.month, day.day, 9, 15
    )
    assert str(timezone.localtime(request.scheduled_for).tzinfo) == "Europe/Berlin"


def test_a_past_date_gets_a_clear_message_and_keeps_the_input(client, regional):
    request = ConsultationRequestFactory()
    client.force_login(regional)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("consultations:request_schedule", args=[request.pk]),
        {"date": yesterday.isoformat(), "time": "11:00"},
    )

    assert response.status_code == 200
    assert "Der Termin liegt in der Vergangenheit" in response.text
    assert f'value="{yesterday.isoformat()}"' in response.text
    assert 'value="11:00"' in response.text
    request.refresh_from_db()
    assert request.status == Status.OPEN


def test_a_missing_time_is_asked_for(client, regional):
    request = ConsultationRequestFactory()
    client.force_login(regional)

    response = client.post(
        reverse("consultations:request_schedule", args=[request.pk]),
        {"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "time": ""},
    )

    assert "Bitte geben Sie die Uhrzeit des Termins an." in response.text


def test_declining_without_a_reason_is_refused_with_a_message(client, regional):
    request = ConsultationRequestFactory()
    client.force_login(regional)
    url = reverse("consultations:request_decline", args=[request.pk])

    response = client.post(url, {"reason": "   "})

    assert response.status_code == 200
    assert "Bitte schreiben Sie eine Begründung für die Absage." in response.text
    request.refresh_from_db()
    assert request.status == Status.OPEN


def test_declining_through_the_page(client, regional):
    request = ConsultationRequestFactory()
    client.force_login(regional)

    response = client.post(
        reverse("consultations:request_decline", args=[request.pk]),
        {"reason": "Dafür ist die Fachstelle Datenschutz zuständig."},
    )

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == Status.DECLINED
    assert request.decline_reason == "Dafür ist die Fachstelle Datenschutz zuständig."


def test_a_closed_request_sends_back_to_its_page(client, regional):
    request = ConsultationRequestFactory(status=Status.DONE)
    client.force_login(regional)

    for name in ["consultations:request_schedule", "consultations:request_decline"]:
        response = client.post(reverse(name, args=[request.pk]), {"reason": "x"})
        assert response.status_code == 302
        assert response["Location"] == request.get_absolute_url()
    request.refresh_from_db()
    assert request.status == Status.DONE


@pytest.mark.parametrize("who", ["coordinator", "regional_west"])
@pytest.mark.parametrize(
    "name", ["consultations:request_schedule", "consultations:request_decline"]
)
def test_who_may_not_answer_gets_404_also_on_post(client, request, who, name):
    consultation_request = ConsultationRequestFactory(
        requested_by=request.getfixturevalue("coordinator")
    )
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse(name, args=[consultation_request.pk]),
        {"reason": "Nein.", "date": "2030-01-01", "time": "10:00"},
    )

    assert response.status_code == 404
    consultation_request.refresh_from_db()
    assert consultation_request.status == Status.OPEN


# Query counts


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_requests(count, *, shelter, requested_by):
    # Done ones first: even 3 requests then need the prefetch of the answering consultations.
    statuses = [Status.DONE, Status.OPEN, Status.SCHEDULED, Status.DECLINED]
    for n in range(count):
        status = statuses[n % 4]
        request = ConsultationRequestFactory(
            shelter=shelter,
            requested_by=requested_by if n % 2 else UserFactory(),
            status=status,
            scheduled_for=in_days(3) if status == Status.SCHEDULED else None,
            decline_reason="Nein." if status == Status.DECLINED else "",
        )
        with_topics(request, "gewinnung", "konflikte")
        if status == Status.DONE:
            answer = ConsultationFactory(shelter=shelter, request=request)
            with_topics(answer, "anerkennung")


@pytest.mark.parametrize("viewer", ["coordinator", "regional", "admin"])
def test_the_request_list_needs_the_same_queries_for_3_and_30_requests(
    client, request, shelter, coordinator, viewer, settings
):
    settings.DIRECTORY_PAGE_SIZE = 100
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("consultations:request_list")

    _add_requests(3, shelter=shelter, requested_by=coordinator)
    few = _queries(client, url)
    _add_requests(27, shelter=shelter, requested_by=coordinator)
    many = _queries(client, url)

    assert few == many


def test_a_regional_coordinator_who_also_coordinates_a_shelter_sees_both_lists(
    client, regional, shelter
):
    CoordinatorPositionFactory(shelter=shelter, person=regional)
    own = ConsultationRequestFactory(shelter=shelter, requested_by=regional)
    west = ConsultationRequestFactory(
        region=berlin_region("west"), shelter=ShelterFactory(district=berlin_district("05"))
    )
    client.force_login(regional)
    url = reverse("consultations:request_list")

    inbox = client.get(url)
    mine = client.get(url, {"ansicht": "meine"})

    assert "Beratungsanfragen" in inbox.text
    assert f"{url}?ansicht=meine" in inbox.text
    assert "Meine Beratungsanfragen" in mine.text
    assert own.get_absolute_url() in mine.text
    assert west.get_absolute_url() not in mine.text
