import pytest
from django.test import Client
from django.urls import reverse

from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory
from bfe.volunteering.models import AccessLog, Volunteer
from bfe.volunteering.selectors import figures_for_shelters

from .factories import VolunteerFactory
from .factories_pipeline import record

pytestmark = pytest.mark.django_db
Stage = Volunteer.Stage


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def eak(coordinator):
    return signed_in(coordinator)


# The table -----------------------------------------------------------------------------------


def test_the_table_lists_her_shelters_volunteers_and_no_others(eak, shelter, other_shelter):
    record(shelter, full_name="Nora Nord")
    record(other_shelter, full_name="Wanda West")

    response = eak.get(reverse("volunteering:pipeline"))

    assert response.status_code == 200
    assert "Nora Nord" in response.text
    assert "Wanda West" not in response.text
    assert response["Cache-Control"].count("no-store")


def test_the_table_filters_by_stage_and_searches_by_name(eak, shelter):
    record(shelter, full_name="Anna Aktiv", stage=Stage.ACTIVE)
    record(shelter, full_name="Bert Beworben")
    record(shelter, full_name="Anton Aktiv", stage=Stage.ACTIVE)

    by_stage = eak.get(reverse("volunteering:pipeline"), {"stand": "active"}).text
    by_name = eak.get(reverse("volunteering:pipeline"), {"q": "anton"}).text

    assert "Anna Aktiv" in by_stage and "Anton Aktiv" in by_stage
    assert "Bert Beworben" not in by_stage
    assert "Anton Aktiv" in by_name and "Anna Aktiv" not in by_name


def test_an_unknown_stage_in_the_filter_link_shows_everyone(eak, shelter):
    record(shelter, full_name="Bert Beworben")

    response = eak.get(reverse("volunteering:pipeline"), {"stand": "gone", "seite": "x"})

    assert response.status_code == 200
    assert "Bert Beworben" in response.text


def test_nobody_found_says_so(eak, shelter):
    record(shelter)

    response = eak.get(reverse("volunteering:pipeline"), {"q": "zzz"})

    assert "Niemand gefunden" in response.text


def test_an_empty_shelter_shows_how_to_start(eak):
    response = eak.get(reverse("volunteering:pipeline"))

    assert "Noch keine Freiwilligen" in response.text
    assert reverse("volunteering:pipeline_add") in response.text


def test_htmx_gets_the_results_alone(eak, shelter):
    record(shelter, full_name="Nora Nord")

    response = eak.get(
        reverse("volunteering:pipeline"), {"q": "Nora"}, headers={"HX-Request": "true"}
    )

    assert "Nora Nord" in response.text
    assert "<html" not in response.text


def test_the_table_is_paginated(eak, shelter):
    for number in range(27):
        record(shelter, full_name=f"Person {number:02d}")

    first = eak.get(reverse("volunteering:pipeline")).text
    second = eak.get(reverse("volunteering:pipeline"), {"seite": 2}).text

    assert "Person 00" in first and "Person 26" not in first
    assert "Person 26" in second


def table_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("volunteering:pipeline")).status_code == 200
    return len(context.captured_queries)


def test_the_table_costs_the_same_queries_for_3_and_30_volunteers(
    eak, shelter, django_assert_max_num_queries
):
    for _ in range(3):
        record(shelter)
    few = table_queries(eak, django_assert_max_num_queries)
    for _ in range(27):
        record(shelter)

    with django_assert_max_num_queries(few):
        assert eak.get(reverse("volunteering:pipeline")).status_code == 200


def test_the_board_costs_the_same_queries_for_3_and_30_volunteers(
    eak, shelter, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for stage in list(Stage)[:3]:
        record(shelter, stage=stage)
    with CaptureQueriesContext(connection) as context:
        eak.get(reverse("volunteering:pipeline_board"))
    for number in range(27):
        record(shelter, stage=list(Stage)[number % 7])

    with django_assert_max_num_queries(len(context.captured_queries)):
        assert eak.get(reverse("volunteering:pipeline_board")).status_code == 200


# Several shelters ------------------------------------------------------------------------------


@pytest.fixture
def second_shelter(coordinator):
    other = ShelterFactory(name="Zweite Unterkunft")
    CoordinatorPositionFactory(shelter=other, person=coordinator)
    return other


def test_a_coordinator_of_two_shelters_picks_one(eak, shelter, second_shelter):
    record(shelter, full_name="Nora Nord")
    record(second_shelter, full_name="Zora Zwei")

    response = eak.get(reverse("volunteering:pipeline"), {"unterkunft": second_shelter.pk})

    assert "Zora Zwei" in response.text and "Nora Nord" not in response.text
    assert 'name="unterkunft"' in response.text


def test_picking_a_shelter_she_does_not_coordinate_is_not_found(eak, other_shelter):
    response = eak.get(reverse("volunteering:pipeline"), {"unterkunft": other_shelter.pk})

    assert response.status_code == 404


# Who is refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_coordinator", "regional_coordinator", "lead", "partner", "volunteer_user"]
)
@pytest.mark.parametrize("name", ["volunteering:volunteer", "volunteering:pipeline_message"])
def test_nobody_but_her_shelters_coordinator_reads_a_record(request, shelter, who, name):
    volunteer = record(shelter, full_name="Nora Nord")
    client = signed_in(request.getfixturevalue(who))

    response = client.get(reverse(name, args=[volunteer.pk]))

    assert response.status_code == 404
    assert "Nora Nord" not in response.text
    assert not volunteer.access_log.filter(action=AccessLog.Action.VIEW).exists()


@pytest.mark.parametrize("who", ["regional_coordinator", "lead", "partner", "volunteer_user"])
@pytest.mark.parametrize(
    "name", ["volunteering:pipeline", "volunteering:pipeline_board", "volunteering:pipeline_add"]
)
def test_staff_partners_and_volunteers_get_no_list_of_names(request, shelter, who, name):
    record(shelter, full_name="Nora Nord")

    response = signed_in(request.getfixturevalue(who)).get(reverse(name))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("volunteering:pipeline_move", {"direction": "next"}),
        ("volunteering:pipeline_stage", {"stage": "active"}),
        ("volunteering:pipeline_note", {"text": "von West"}),
        (
            "volunteering:pipeline_clearance",
            {"inspected_on": "2026-01-02", "issued_on": "2026-01-01"},
        ),
        (
            "volunteering:pipeline_message",
            {"kind": "free", "subject": "x", "body": "y", "action": "send"},
        ),
    ],
)
def test_another_shelters_coordinator_cannot_change_a_record(
    other_coordinator, shelter, name, data, mailoutbox
):
    volunteer = record(shelter)

    response = signed_in(other_coordinator).post(reverse(name, args=[volunteer.pk]), data)

    assert response.status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.APPLIED
    assert not volunteer.notes.exists()
    assert not volunteer.messages.exists()
    assert not volunteer.access_log.exclude(actor=None).exists()
    assert mailoutbox == []


# The board ------------------------------------------------------------------------------------


def test_the_board_shows_a_column_per_stage_with_its_cards(eak, shelter):
    record(shelter, full_name="Carla Kontakt", stage=Stage.CONTACTED)

    response = eak.get(reverse("volunteering:pipeline_board"))

    assert response.status_code == 200
    for stage in Stage:
        assert f'id="column-{stage.value}"' in response.text
    assert "Carla Kontakt" in response.text


def test_a_card_moves_without_javascript_and_comes_back_to_the_board(eak, shelter):
    volunteer = record(shelter, stage=Stage.CONTACTED)

    response = eak.post(
        reverse("volunteering:pipeline_move", args=[volunteer.pk]), {"direction": "next"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:pipeline_board") + f"#card-{volunteer.pk}"
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.FIRST_MEETING
    assert figures_for_shelters([shelter.pk])["first_meeting"] == 1


def test_a_card_moves_with_htmx_and_the_board_comes_back_as_a_fragment(eak, shelter):
    volunteer = record(shelter, full_name="Carla Kontakt", stage=Stage.CONTACTED)

    response = eak.post(
        reverse("volunteering:pipeline_move", args=[volunteer.pk]),
        {"direction": "previous"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="column-applied"' in response.text
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.APPLIED
    assert figures_for_shelters([shelter.pk])["contacted"] == 0


def test_moving_into_ended_on_the_board_is_refused_with_a_reason(eak, shelter):
    volunteer = record(shelter, stage=Stage.PAUSED)

    response = eak.post(
        reverse("volunteering:pipeline_move", args=[volunteer.pk]),
        {"direction": "next"},
        headers={"HX-Request": "true"},
    )

    assert "braucht es einen Grund" in response.text
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.PAUSED


def test_a_move_with_a_broken_direction_changes_nothing(eak, shelter):
    volunteer = record(shelter, stage=Stage.CONTACTED)

    response = eak.post(
        reverse("volunteering:pipeline_move", args=[volunteer.pk]), {"direction": "up"}
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.CONTACTED


def test_opening_a_move_link_goes_to_the_board(eak, shelter):
    volunteer = record(shelter)

    response = eak.get(reverse("volunteering:pipeline_move", args=[volunteer.pk]))

    assert response.status_code == 302
    assert volunteer.stage == Volunteer.objects.get(pk=volunteer.pk).stage


# Adding a person -----------------------------------------------------------------------------


def test_a_coordinator_adds_a_person_by_hand(eak, shelter):
    response = eak.post(
        reverse("volunteering:pipeline_add"),
        {"full_name": "Hanna Hand", "email": "hanna@example.org", "contact_preference": "email"},
    )

    volunteer = Volunteer.objects.get(email="hanna@example.org")
    assert response.status_code == 302
    assert response["Location"] == volunteer.get_absolute_url()
    assert (volunteer.shelter, volunteer.source) == (shelter, Volunteer.Source.MANUAL)


def test_a_bad_add_form_keeps_what_was_entered(eak):
    response = eak.post(
        reverse("volunteering:pipeline_add"),
        {"full_name": "Hanna Hand", "email": "kein-at", "contact_preference": "phone"},
    )

    assert response.status_code == 200
    assert 'value="Hanna Hand"' in response.text
    assert "gültige E-Mail-Adresse" in response.text
    assert "brauchen wir eine Nummer" in response.text
    assert not Volunteer.objects.exists()


# The record ------------------------------------------------------------------------------------


def test_the_record_shows_contact_stage_notes_and_applications(eak, shelter, coordinator):
    from bfe.volunteering.services.pipeline import add_note

    from .factories import ApplicationFactory, OpportunityFactory

    volunteer = record(shelter, full_name="Nora Nord", phone="030 555")
    add_note(volunteer=volunteer, author=coordinator, text="Kann dienstags.")
    ApplicationFactory(
        opportunity=OpportunityFactory(shelter=shelter, title="Hausaufgabenhilfe am Montag"),
        volunteer=volunteer,
    )

    response = eak.get(volunteer.get_absolute_url())

    assert response.status_code == 200
    for text in ["Nora Nord", "030 555", "Kann dienstags.", "Hausaufgabenhilfe am Montag"]:
        assert text in response.text
    assert "Das Zeugnis selbst" in response.text


def test_every_view_of_a_record_is_logged(eak, shelter, coordinator):
    volunteer = record(shelter)

    eak.get(volunteer.get_absolute_url())
    eak.get(volunteer.get_absolute_url())

    views = volunteer.access_log.filter(action=AccessLog.Action.VIEW)
    assert views.count() == 2
    assert set(views.values_list("actor", flat=True)) == {coordinator.pk}


def test_the_record_costs_the_same_queries_however_long_its_history(
    eak, shelter, coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bfe.volunteering.services.pipeline import add_note

    volunteer = record(shelter)
    add_note(volunteer=volunteer, author=coordinator, text="eins")
    with CaptureQueriesContext(connection) as context:
        eak.get(volunteer.get_absolute_url())
    for number in range(10):
        add_note(volunteer=volunteer, author=coordinator, text=f"Notiz {number}")

    with django_assert_max_num_queries(len(context.captured_queries)):
        eak.get(volunteer.get_absolute_url())


def test_a_stage_change_through_the_form_is_saved_and_logged(eak, shelter):
    volunteer = record(shelter)

    response = eak.post(
        reverse("volunteering:pipeline_stage", args=[volunteer.pk]), {"stage": "first_meeting"}
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.FIRST_MEETING
    assert volunteer.access_log.filter(action=AccessLog.Action.EDIT).exists()


def test_ending_without_a_reason_is_shown_as_an_error_and_changes_nothing(eak, shelter):
    volunteer = record(shelter, stage=Stage.ACTIVE)

    response = eak.post(
        reverse("volunteering:pipeline_stage", args=[volunteer.pk]),
        {"stage": "ended", "end_note": "zieht nach Hamburg"},
    )

    assert response.status_code == 200
    assert "warum das Engagement endet" in response.text
    assert "zieht nach Hamburg" in response.text
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.ACTIVE


def test_ending_with_a_reason_is_saved(eak, shelter):
    volunteer = record(shelter, stage=Stage.ACTIVE)

    eak.post(
        reverse("volunteering:pipeline_stage", args=[volunteer.pk]),
        {"stage": "ended", "end_reason": "moved_away", "end_note": "Hamburg"},
    )

    volunteer.refresh_from_db()
    assert (volunteer.stage, volunteer.end_reason, volunteer.end_note) == (
        Stage.ENDED,
        "moved_away",
        "Hamburg",
    )
    assert figures_for_shelters([shelter.pk])["ended"] == 1


def test_a_note_is_added_from_the_record(eak, shelter):
    volunteer = record(shelter)

    response = eak.post(
        reverse("volunteering:pipeline_note", args=[volunteer.pk]), {"text": "Erstgespräch gut."}
    )

    assert response.status_code == 302
    assert volunteer.notes.get().text == "Erstgespräch gut."


def test_an_empty_note_is_refused_on_the_record(eak, shelter):
    volunteer = record(shelter)

    response = eak.post(reverse("volunteering:pipeline_note", args=[volunteer.pk]), {"text": " "})

    assert response.status_code == 200
    assert not volunteer.notes.exists()


def test_a_record_made_by_a_factory_without_figures_still_opens(eak, shelter):
    volunteer = VolunteerFactory(shelter=shelter, languages=["ar", "xx"])

    response = eak.get(volunteer.get_absolute_url())

    assert response.status_code == 200
    assert "Arabisch" in response.text


def test_the_record_in_english(eak, shelter):
    volunteer = record(shelter, stage=Stage.ACTIVE)
    eak.cookies["django_language"] = "en"

    response = eak.get(volunteer.get_absolute_url(), headers={"Accept-Language": "en"})

    assert "Change stage" in response.text
    assert "The document itself" in response.text


# Contact data -----------------------------------------------------------------------------------


def contact_data(**changes):
    return {
        "full_name": "Nora Nord",
        "email": "nora@example.org",
        "phone": "030 1",
        "contact_preference": "email",
        "language": "en",
        **changes,
    }


def test_a_coordinator_corrects_the_contact_data(eak, shelter):
    volunteer = record(shelter, full_name="Nora Nrod", email="")

    response = eak.post(
        reverse("volunteering:pipeline_contact", args=[volunteer.pk]), contact_data()
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.full_name, volunteer.email, volunteer.language) == (
        "Nora Nord",
        "nora@example.org",
        "en",
    )
    assert volunteer.access_log.filter(
        action=AccessLog.Action.EDIT, detail__startswith="Kontakt"
    ).exists()


def test_an_address_of_another_record_of_the_shelter_is_refused(eak, shelter):
    record(shelter, email="nora@example.org")
    volunteer = record(shelter, full_name="Nora Zwei", email="")

    response = eak.post(
        reverse("volunteering:pipeline_contact", args=[volunteer.pk]),
        contact_data(full_name="Nora Zwei", email="NORA@example.org"),
    )

    assert response.status_code == 200
    assert "schon eine andere Person" in response.text
    assert 'value="Nora Zwei"' in response.text
    volunteer.refresh_from_db()
    assert volunteer.email == ""


def test_another_shelters_coordinator_cannot_open_the_contact_form(other_coordinator, shelter):
    volunteer = record(shelter, full_name="Nora Nord")

    response = signed_in(other_coordinator).get(
        reverse("volunteering:pipeline_contact", args=[volunteer.pk])
    )

    assert response.status_code == 404
