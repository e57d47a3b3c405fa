"""The calendar: who sees which events, filters, the detail page, creating, editing, cancelling."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role, Roles
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.events.models import Audience, Event, Registration
from bfe.events.selectors import catalog as catalog_selectors
from bfe.events.services import catalog as services
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import EventFactory, JourFixeFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def make_people():
    """One person per role; regional coordinators of Nord and West."""
    admin = UserFactory(full_name="Alex Admin")
    RoleFactory(user=admin, kind=Role.Kind.ADMIN)
    regional_nord = UserFactory(full_name="Nora Nord")
    RoleFactory(
        user=regional_nord, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord")
    )
    regional_west = UserFactory(full_name="Wim West")
    RoleFactory(
        user=regional_west, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("west")
    )
    coordinator = UserFactory(full_name="Erika Koordinatorin")
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=coordinator
    )
    return SimpleNamespace(
        admin=admin,
        regional_nord=regional_nord,
        regional_west=regional_west,
        coordinator=coordinator,
        volunteer=RoleFactory(kind=Role.Kind.VOLUNTEER).user,
        partner=RoleFactory(kind=Role.Kind.PARTNER).user,
        anonymous=None,
    )


@pytest.fixture
def people(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    return make_people()


def record_notifications(monkeypatch):
    """Records the registration services' notifications instead of sending e-mails."""
    from bfe.events.services import registration

    calls = []
    monkeypatch.setattr(
        registration, "notify_event_changed", lambda event: calls.append(("changed", event.pk))
    )
    monkeypatch.setattr(
        registration,
        "notify_event_cancelled",
        lambda event, message="": calls.append(("cancelled", event.pk, message)),
    )
    return calls


@pytest.fixture
def notifications(monkeypatch):
    return record_notifications(monkeypatch)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def titles(response):
    return [event.title for group in response.context["months"] for event in group["events"]]


# --- Visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "volunteer", "partner"])
def test_coordinator_only_events_are_hidden_from_the_public(client, people, viewer):
    EventFactory(title="Offene Werkstatt")
    JourFixeFactory(title="Jour fixe Nord")

    response = login(client, getattr(people, viewer)).get(reverse("events:list"))

    assert titles(response) == ["Offene Werkstatt"]


@pytest.mark.parametrize("viewer", ["coordinator", "regional_west", "admin"])
def test_coordinators_and_staff_see_coordinator_only_events(client, people, viewer):
    EventFactory(title="Offene Werkstatt", starts_at=in_days(3))
    JourFixeFactory(title="Jour fixe Nord", starts_at=in_days(5))

    response = login(client, getattr(people, viewer)).get(reverse("events:list"))

    assert titles(response) == ["Offene Werkstatt", "Jour fixe Nord"]


@pytest.mark.parametrize(
    ("viewer", "sees_draft"),
    [
        ("anonymous", False),
        ("coordinator", False),
        ("regional_west", False),
        ("regional_nord", True),
        ("admin", True),
    ],
)
def test_drafts_are_listed_only_for_their_managers(client, people, viewer, sees_draft):
    JourFixeFactory(title="Entwurf Nord", status=Event.Status.DRAFT)

    response = login(client, getattr(people, viewer)).get(reverse("events:list"))

    assert ("Entwurf Nord" in titles(response)) is sees_draft


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("anonymous", 404),
        ("volunteer", 404),
        ("partner", 404),
        ("coordinator", 200),
        ("regional_west", 200),
        ("admin", 200),
    ],
)
def test_detail_of_a_coordinator_only_event_is_404_for_the_public(client, people, viewer, status):
    event = JourFixeFactory()

    response = login(client, getattr(people, viewer)).get(event.get_absolute_url())

    assert response.status_code == status


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("coordinator", 404), ("regional_west", 404), ("regional_nord", 200), ("admin", 200)],
)
def test_detail_of_a_draft_only_for_its_managers(client, people, viewer, status):
    event = JourFixeFactory(status=Event.Status.DRAFT)

    response = login(client, getattr(people, viewer)).get(event.get_absolute_url())

    assert response.status_code == status


def test_the_list_shows_upcoming_events_only_grouped_by_month(client):
    EventFactory(title="Vorbei", starts_at=in_days(-3))
    first = EventFactory(title="Bald", starts_at=in_days(2))
    EventFactory(title="Später", starts_at=in_days(40))

    response = client.get(reverse("events:list"))

    months = response.context["months"]
    assert [event.title for group in months for event in group["events"]] == ["Bald", "Später"]
    assert months[0]["month"] == timezone.localtime(first.starts_at).date().replace(day=1)
    assert len(months) == 2


def test_cancelled_events_stay_listed_struck_through_and_marked(client):
    EventFactory(title="Abgesagte Werkstatt", status=Event.Status.CANCELLED)

    response = client.get(reverse("events:list"))

    assert "<s>Abgesagte Werkstatt</s>" in response.text
    assert "abgesagt" in response.text


def test_the_list_shows_the_seats_left_and_a_full_event(client):
    open_event = EventFactory(title="Mit Plätzen", capacity=10)
    RegistrationFactory.create_batch(3, event=open_event)
    full = EventFactory(title="Voll", capacity=1)
    RegistrationFactory(event=full)
    RegistrationFactory(event=full, status=Registration.Status.WAITLISTED)

    response = client.get(reverse("events:list"))

    assert "noch 7 Plätze frei" in response.text
    assert "ausgebucht – Warteliste" in response.text


def test_the_list_reads_in_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    for index in range(30):
        event = EventFactory(
            starts_at=in_days(3 + index), region=berlin_region("nord") if index % 2 else None
        )
        RegistrationFactory.create_batch(2, event=event)
    client.force_login(people.regional_nord)

    # Count, one page of events with their regions and seat counts, the region filter.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("events:list"))

    assert response.status_code == 200
    assert "noch 18 Plätze frei" in response.text


def test_the_list_links_to_the_month_view_and_the_public_feed(client):
    response = client.get(reverse("events:list"))

    today = timezone.localdate()
    assert reverse("events:month", args=[today.year, today.month]) in response.text
    assert reverse("events:public_feed") in response.text


def test_staff_get_the_buttons_to_create_events_and_series(client, people):
    client.force_login(people.regional_nord)

    response = client.get(reverse("events:list"))

    assert reverse("events:create") in response.text
    assert reverse("events:series_create") in response.text
    client.force_login(people.coordinator)
    assert reverse("events:create") not in client.get(reverse("events:list")).text


# --- Filters ------------------------------------------------------------------------------------


def test_filter_by_kind(client, people):
    client.force_login(people.coordinator)
    EventFactory(title="Werkstatt")
    JourFixeFactory(title="Jour fixe")

    response = client.get(reverse("events:list"), {"kind": "jour_fixe"})

    assert titles(response) == ["Jour fixe"]


def test_filter_by_region_includes_city_wide_events(client, people):
    client.force_login(people.coordinator)
    EventFactory(title="Berlinweite Werkstatt", starts_at=in_days(1))
    JourFixeFactory(title="Jour fixe Nord", starts_at=in_days(2))
    JourFixeFactory(title="Jour fixe West", region=berlin_region("west"), starts_at=in_days(3))

    response = client.get(reverse("events:list"), {"region": "nord"})

    assert titles(response) == ["Berlinweite Werkstatt", "Jour fixe Nord"]


def test_an_htmx_filter_request_gets_only_the_results(client):
    EventFactory(title="Werkstatt")

    response = client.get(
        reverse("events:list"), {"kind": "workshop"}, headers={"HX-Request": "true"}
    )

    assert "Werkstatt" in response.text
    assert "<html" not in response.text
    assert 'id="filter-heading"' not in response.text


def test_the_list_is_paginated(client, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for day in range(1, 6):
        EventFactory(title=f"Werkstatt {day}", starts_at=in_days(day))

    response = client.get(reverse("events:list"), {"seite": 2})

    assert titles(response) == ["Werkstatt 3", "Werkstatt 4"]


# --- Month --------------------------------------------------------------------------------------


def test_the_month_grid_puts_events_on_their_berlin_day(client):
    # 00:30 on 1 April in Berlin is still 31 March in UTC.
    early = timezone.make_aware(datetime.datetime(2027, 4, 1, 0, 30))
    EventFactory(title="Mitternacht", starts_at=early, ends_at=early + datetime.timedelta(hours=1))

    march = client.get(reverse("events:month", args=[2027, 3]))
    april = client.get(reverse("events:month", args=[2027, 4]))

    days = {day.date: day for week in april.context["month"].weeks for day in week}
    assert [e.title for e in days[datetime.date(2027, 4, 1)].events] == ["Mitternacht"]
    assert days[datetime.date(2027, 3, 31)].events == []
    assert april.context["month"].event_count == 1
    # March's grid ends with the first days of April, which do not count for March.
    assert march.context["month"].event_count == 0
    assert "<caption>" in april.text
    assert 'scope="col"' in april.text


def test_the_month_view_respects_visibility_and_filters(client, people):
    EventFactory(title="Werkstatt im Monat", starts_at=in_days(1))
    JourFixeFactory(title="Jour fixe im Monat", starts_at=in_days(1))
    month = timezone.localtime(in_days(1))
    url = reverse("events:month", args=[month.year, month.month])

    assert "Jour fixe im Monat" not in client.get(url).text
    client.force_login(people.coordinator)
    assert "Jour fixe im Monat" in client.get(url).text
    filtered = client.get(url, {"kind": "workshop"}).text
    assert "Werkstatt im Monat" in filtered
    assert "Jour fixe im Monat" not in filtered


def test_the_month_view_links_to_the_previous_and_next_month(client):
    response = client.get(reverse("events:month", args=[2027, 1]))

    assert reverse("events:month", args=[2026, 12]) in response.text
    assert reverse("events:month", args=[2027, 2]) in response.text


@pytest.mark.parametrize(("year", "month"), [(2027, 13), (2027, 0), (1999, 5), (2101, 1)])
def test_an_invalid_month_is_404(client, year, month):
    assert client.get(reverse("events:month", args=[year, month])).status_code == 404


# --- Detail -------------------------------------------------------------------------------------


def test_the_detail_shows_the_event_with_sanitised_markdown(client):
    event = EventFactory(
        title="Werkstatt Sozialraum",
        description="**Wichtig** <script>alert(1)</script>",
        programme="1. Ankommen\n2. Arbeitsgruppen",
        accessibility_notes="Stufenlos erreichbar",
    )

    response = client.get(event.get_absolute_url())

    assert response.context["event"] == event
    assert response.context["registration"] is None
    assert response.context["can_manage"] is False
    assert "<strong>Wichtig</strong>" in response.text
    assert "<script>alert" not in response.text
    assert "<li>Arbeitsgruppen</li>" in response.text
    assert "Stufenlos erreichbar" in response.text
    assert reverse("events:ics", args=[event.pk]) in response.text


@pytest.mark.parametrize(
    ("status", "sees_link"),
    [
        (Registration.Status.CONFIRMED, True),
        (Registration.Status.WAITLISTED, False),
        (Registration.Status.CANCELLED, False),
        (None, False),
    ],
)
def test_the_online_link_is_shown_only_with_a_confirmed_seat(client, people, status, sees_link):
    event = EventFactory(online_url="https://meet.example.org/geheim")
    if status:
        RegistrationFactory(event=event, person=people.coordinator, status=status)
    client.force_login(people.coordinator)

    response = client.get(event.get_absolute_url())

    assert ("https://meet.example.org/geheim" in response.text) is sees_link
    assert (response.context["registration"] is not None) is bool(status)


def test_managers_see_the_online_link_and_their_tools(client, people):
    event = JourFixeFactory(online_url="https://meet.example.org/geheim")
    client.force_login(people.regional_nord)

    response = client.get(event.get_absolute_url())

    assert response.context["can_manage"] is True
    assert "https://meet.example.org/geheim" in response.text
    for name in ["edit", "cancel", "participants", "check_in", "documents", "invite_region"]:
        assert reverse(f"events:{name}", args=[event.pk]) in response.text


def test_other_people_get_no_management_links(client, people):
    event = JourFixeFactory()
    client.force_login(people.regional_west)

    response = client.get(event.get_absolute_url())

    assert response.context["can_manage"] is False
    assert reverse("events:edit", args=[event.pk]) not in response.text


def test_only_a_jour_fixe_offers_to_invite_the_region(client, people):
    workshop = EventFactory()
    client.force_login(people.admin)

    response = client.get(workshop.get_absolute_url())

    assert reverse("events:edit", args=[workshop.pk]) in response.text
    assert reverse("events:invite_region", args=[workshop.pk]) not in response.text


def test_the_detail_shows_seats_left_and_the_waiting_list(client):
    event = EventFactory(capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory.create_batch(3, event=event, status=Registration.Status.WAITLISTED)

    response = client.get(event.get_absolute_url())

    assert "ausgebucht" in response.text
    assert "3 Personen auf der Warteliste" in response.text


# --- Creating and editing -------------------------------------------------------------------


def form_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "kind": "workshop",
        "title": "Werkstatt: Anerkennung",
        "status": "published",
        "audience": "guests",
        "region": "",
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "17:00",
        "end_date": "",
        "venue_name": "Nachbarschaftshaus",
        "venue_address": "Am Lindenhof 3, 13581 Berlin",
        "accessibility_notes": "",
        "online_url": "",
        "description": "Wir sprechen über *Anerkennung*.",
        "programme": "",
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("coordinator", 404), ("volunteer", 404), ("regional_nord", 200), ("admin", 200)],
)
def test_only_bfe_staff_may_open_the_create_form(client, people, viewer, status):
    client.force_login(getattr(people, viewer))

    assert client.get(reverse("events:create")).status_code == status


def test_staff_create_an_event_they_organise_by_default(client, people):
    client.force_login(people.regional_nord)
    data = form_data(organisers=[people.regional_nord.pk])

    response = client.post(reverse("events:create"), data)

    event = Event.objects.get(title="Werkstatt: Anerkennung")
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert list(event.organisers.all()) == [people.regional_nord]
    assert event.created_by == people.regional_nord
    assert timezone.localtime(event.starts_at).hour == 14
    assert event.status == Event.Status.PUBLISHED


def test_a_double_submit_creates_one_event(client, people):
    client.force_login(people.regional_nord)
    data = form_data(organisers=[people.regional_nord.pk])

    first = client.post(reverse("events:create"), data)
    second = client.post(reverse("events:create"), data)

    assert Event.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_create_form_preselects_the_creator_as_organiser(client, people):
    client.force_login(people.regional_nord)

    response = client.get(reverse("events:create"))

    assert response.context["form"]["organisers"].initial == [people.regional_nord.pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "13:00"}, "end_time", "Das Ende muss nach dem Beginn liegen."),
        ({"kind": "jour_fixe"}, "region", "Ein Jour fixe gehört zu einer Region."),
        ({"venue_name": ""}, "venue_name", "Bitte geben Sie einen Ort oder einen Online-Link an."),
        (
            {"registration_closes_at": "2099-01-01T10:00"},
            "registration_closes_at",
            "Der Anmeldeschluss muss vor dem Beginn der Veranstaltung liegen.",
        ),
        (
            {
                "registration_opens_at": "2026-01-10T10:00",
                "registration_closes_at": "2026-01-05T10:00",
            },
            "registration_closes_at",
            "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen.",
        ),
    ],
)
def test_invalid_input_gets_a_clear_message_and_keeps_what_was_entered(
    client, people, overrides, field, message
):
    client.force_login(people.admin)

    response = client.post(
        reverse("events:create"), form_data(organisers=[people.admin.pk], **overrides)
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert 'value="Werkstatt: Anerkennung"' in response.text
    assert not Event.objects.exists()


def test_a_regional_coordinator_may_only_choose_her_own_region(client, people):
    client.force_login(people.regional_nord)

    form = client.get(reverse("events:create")).context["form"]
    response = client.post(
        reverse("events:create"),
        form_data(
            kind="jour_fixe", region=berlin_region("west").pk, organisers=[people.regional_nord.pk]
        ),
    )

    assert [r.slug for r in form.fields["region"].queryset] == ["nord"]
    assert "region" in response.context["form"].errors
    assert not Event.objects.exists()


def test_admins_may_choose_every_region(people):
    from bfe.events.forms.catalog import EventForm

    form = EventForm(user=people.admin)

    assert {r.slug for r in form.fields["region"].queryset} == {"nord", "west", "suedost"}


def test_the_service_refuses_another_regions_jour_fixe(people):
    with pytest.raises(PermissionDenied):
        services.create_event(
            creator=people.regional_nord,
            kind=Event.Kind.JOUR_FIXE,
            title="Fremder Jour fixe",
            region=berlin_region("west"),
            starts_at=in_days(3),
            ends_at=in_days(3, 12),
            venue_name="Raum",
        )


def test_the_service_refuses_people_who_are_not_staff(people):
    with pytest.raises(PermissionDenied):
        services.create_event(
            creator=people.coordinator,
            kind=Event.Kind.WORKSHOP,
            title="Werkstatt",
            starts_at=in_days(3),
            ends_at=in_days(3, 12),
        )


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("regional_west", 404), ("coordinator", 404), ("regional_nord", 200), ("admin", 200)],
)
def test_only_managers_may_edit(client, people, viewer, status):
    event = JourFixeFactory()
    client.force_login(getattr(people, viewer))

    assert client.get(reverse("events:edit", args=[event.pk])).status_code == status


def test_regional_coordinator_of_nord_cannot_edit_wests_jour_fixe_by_post(client, people):
    event = JourFixeFactory(region=berlin_region("west"), title="Jour fixe West")
    client.force_login(people.regional_nord)

    response = client.post(reverse("events:edit", args=[event.pk]), form_data(title="Gekapert"))

    assert response.status_code == 404
    event.refresh_from_db()
    assert event.title == "Jour fixe West"


def test_the_edit_form_shows_the_events_berlin_times(client, people):
    event = JourFixeFactory(starts_at=in_days(10, 10), ends_at=in_days(10, 12))
    client.force_login(people.regional_nord)

    form = client.get(reverse("events:edit", args=[event.pk])).context["form"]

    assert form["start_time"].value() == datetime.time(10)
    assert form["end_time"].value() == datetime.time(12)
    assert form["date"].value() == timezone.localtime(event.starts_at).date()


def test_editing_saves_and_bumps_the_sequence(client, people, notifications):
    event = JourFixeFactory(title="Jour fixe", organisers=[people.regional_nord])
    client.force_login(people.regional_nord)
    day = timezone.localtime(event.starts_at).date()

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        form_data(
            kind="jour_fixe",
            region=berlin_region("nord").pk,
            title="Jour fixe (neuer Raum)",
            date=day.isoformat(),
            start_time="11:00",
            end_time="13:00",
            organisers=[people.regional_nord.pk],
        ),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Jour fixe (neuer Raum)"
    assert timezone.localtime(event.starts_at).hour == 11
    assert event.sequence == 1
    assert notifications == [("changed", event.pk)]


def test_the_capacity_cannot_drop_below_the_confirmed_seats(client, people):
    event = JourFixeFactory(capacity=5, organisers=[people.regional_nord])
    RegistrationFactory.create_batch(3, event=event)
    client.force_login(people.regional_nord)
    day = timezone.localtime(event.starts_at).date()

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        form_data(
            kind="jour_fixe",
            region=berlin_region("nord").pk,
            date=day.isoformat(),
            start_time="10:00",
            end_time="13:00",
            capacity="2",
            organisers=[people.regional_nord.pk],
        ),
    )

    assert "Es sind bereits 3 Personen angemeldet" in " ".join(
        response.context["form"].errors["capacity"]
    )
    event.refresh_from_db()
    assert event.capacity == 5


def test_the_service_also_guards_the_capacity(people):
    event = JourFixeFactory(capacity=5)
    RegistrationFactory.create_batch(3, event=event)

    with pytest.raises(ValidationError):
        services.update_event(event=event, editor=people.regional_nord, capacity=2)


def test_more_seats_move_the_waiting_list_up(people, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, waitlisted_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=False):
        services.update_event(event=event, editor=people.admin, capacity=2)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


# --- Sequence and notifications ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "bumps", "notifies"),
    [
        ({"title": "Neuer Titel"}, True, False),
        ({"status": Event.Status.DRAFT}, True, False),
        ({"venue_name": "Anderer Raum"}, True, True),
        ({"venue_address": "Neue Straße 1"}, True, True),
        ({"online_url": "https://meet.example.org/neu"}, True, True),
        ({"starts_at": in_days(14, 9)}, True, True),
        ({"ends_at": in_days(14, 15)}, True, True),
        ({"description": "Neue Beschreibung"}, False, False),
        ({"capacity": 40}, False, False),
        ({"programme": "Neues Programm"}, False, False),
    ],
)
def test_sequence_and_notification_rules(people, notifications, changes, bumps, notifies):
    event = EventFactory()

    updated = services.update_event(event=event, editor=people.admin, **changes)

    assert updated.sequence == (1 if bumps else 0)
    assert (notifications == [("changed", event.pk)]) is notifies


def test_an_unchanged_value_bumps_nothing(people, notifications):
    event = EventFactory(title="Gleich")

    updated = services.update_event(event=event, editor=people.admin, title="Gleich")

    assert updated.sequence == 0
    assert notifications == []


def test_moving_a_draft_tells_nobody(people, notifications):
    event = EventFactory(status=Event.Status.DRAFT)

    updated = services.update_event(event=event, editor=people.admin, starts_at=in_days(13))

    assert updated.sequence == 1
    assert notifications == []


def test_update_refuses_people_who_do_not_manage_the_event(people):
    event = JourFixeFactory()

    with pytest.raises(PermissionDenied):
        services.update_event(event=event, editor=people.regional_west, title="Fremd")


def test_update_refuses_moving_an_event_into_another_region(people):
    event = JourFixeFactory(organisers=[people.regional_nord])

    with pytest.raises(PermissionDenied):
        services.update_event(
            event=event, editor=people.regional_nord, region=berlin_region("west")
        )


# --- Cancelling ---------------------------------------------------------------------------------


def test_the_cancel_page_asks_first_and_counts_who_will_be_told(client, people):
    event = JourFixeFactory()
    RegistrationFactory.create_batch(2, event=event)
    client.force_login(people.regional_nord)

    response = client.get(reverse("events:cancel", args=[event.pk]))

    assert response.status_code == 200
    assert "2 angemeldete Personen werden per E-Mail benachrichtigt." in response.text
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_cancelling_marks_the_event_bumps_the_sequence_and_tells_people(
    client, people, notifications
):
    event = JourFixeFactory()
    client.force_login(people.regional_nord)

    response = client.post(
        reverse("events:cancel", args=[event.pk]), {"message": "Krankheitsbedingt"}
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.sequence == 1
    assert notifications == [("cancelled", event.pk, "Krankheitsbedingt")]


def test_cancelling_twice_tells_people_once(people, notifications):
    event = JourFixeFactory()

    services.cancel_event(event=event, by=people.regional_nord, message="")
    again = services.cancel_event(event=event, by=people.regional_nord, message="")

    assert again.sequence == 1
    assert len(notifications) == 1


@pytest.mark.parametrize("viewer", ["regional_west", "coordinator"])
def test_cancel_is_404_for_people_who_do_not_manage_the_event(client, people, viewer):
    event = JourFixeFactory()
    client.force_login(getattr(people, viewer))

    assert client.post(reverse("events:cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


# --- Query counts -------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "coordinator", "regional_nord"])
def test_list_month_and_detail_queries_do_not_grow_with_data(client, people, viewer):
    login(client, getattr(people, viewer))
    regional = people.regional_nord

    def add_events(count):
        for index in range(count):
            event = EventFactory(
                starts_at=in_days(1 + index % 20),
                audience=Audience.COORDINATORS if index % 2 else Audience.GUESTS,
                organisers=[regional, people.admin],
            )
            RegistrationFactory.create_batch(2, event=event)
            JourFixeFactory(starts_at=in_days(1 + index % 20), organisers=[regional])
            if index == 0:
                public = event
        return public

    month = timezone.localtime(in_days(1))

    def urls(event):
        return [
            reverse("events:list"),
            reverse("events:list") + "?kind=workshop&region=nord",
            reverse("events:month", args=[month.year, month.month]),
            reverse("events:month", args=[month.year, month.month]) + "?region=nord",
            event.get_absolute_url(),
        ]

    event = add_events(3)
    few = [count_queries(client, url) for url in urls(event)]
    event = add_events(27)
    many = [count_queries(client, url) for url in urls(event)]

    assert few == many


# --- Start page ---------------------------------------------------------------------------------


def test_the_start_page_lists_of_a_region_read_once_with_their_seat_counts(
    people, django_assert_num_queries
):
    user = people.regional_nord
    Roles.of(user)  # the roles are read once per request, before the sections
    for index in range(8):
        event = JourFixeFactory(starts_at=in_days(10 + index), organisers=[people.regional_west])
        RegistrationFactory.create_batch(2, event=event)
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)

    with django_assert_num_queries(1):
        rows = catalog_selectors.region_jours_fixes_for(user)

    assert len(rows) == catalog_selectors.START_LIST_LIMIT
    assert [(row.confirmed_count, row.waitlist_count) for row in rows] == [(2, 1)] * 5
