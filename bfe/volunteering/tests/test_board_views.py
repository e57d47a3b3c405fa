"""The board's pages: coordinators' opportunities, the public board with its filters and
map, the opportunity page, "Ich möchte helfen" and its confirmation link."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bfe.volunteering.models import (
    Application,
    ConsentRecord,
    Opportunity,
    OpportunityLanguage,
    Volunteer,
)
from bfe.volunteering.services import links, records

from .factories import ApplicationFactory, OpportunityFactory, area

pytestmark = pytest.mark.django_db

BOARD = reverse("volunteering:board")
MANAGE = reverse("volunteering:board_manage")


def titles(response):
    return [opportunity.title for opportunity in response.context["page"].object_list]


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs the tasks that services enqueue on commit (the test backend runs them at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- The public board ----------------------------------------------------------------------------


def test_the_board_lists_open_opportunities_only(client, shelter):
    OpportunityFactory(shelter=shelter, title="Offen")
    for status in ["draft", "filled", "paused", "closed"]:
        OpportunityFactory(shelter=shelter, title=status, status=status)
    OpportunityFactory(
        shelter=shelter,
        title="Vorbei",
        schedule=Opportunity.Schedule.ONE_OFF,
        date=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = client.get(BOARD)
    assert response.status_code == 200
    assert titles(response) == ["Offen"]


def test_the_board_says_so_when_nothing_matches(client):
    response = client.get(BOARD)
    assert "Kein Angebot gefunden" in response.content.decode()


def test_the_board_filters_by_district_area_language_and_weekday(client, shelter, other_shelter):
    mitte = OpportunityFactory(shelter=shelter, title="Mitte, Sprachcafé, dienstags")
    OpportunityLanguage.objects.create(opportunity=mitte, language="ar")
    OpportunityFactory(
        shelter=other_shelter,
        title="Spandau, Kinder, samstags",
        area=area("kinderbetreuung"),
        weekdays=32,
    )
    assert titles(client.get(BOARD, {"district": "mitte"})) == [mitte.title]
    assert titles(client.get(BOARD, {"area": "kinderbetreuung"})) == ["Spandau, Kinder, samstags"]
    assert titles(client.get(BOARD, {"sprache": "ar"})) == [mitte.title]
    assert titles(client.get(BOARD, {"tag": "5"})) == ["Spandau, Kinder, samstags"]
    assert titles(client.get(BOARD, {"tag": "1", "district": "spandau"})) == []


def test_the_board_finds_what_is_near_a_postcode_nearest_first(client, shelter, other_shelter):
    OpportunityFactory(shelter=other_shelter, title="Spandau")  # ~13 km from 10115
    OpportunityFactory(shelter=shelter, title="Mitte")  # ~1.7 km from 10115
    response = client.get(BOARD, {"plz": "10115", "km": "3"})
    assert titles(response) == ["Mitte"]
    assert "ca. 1,7 km" in response.content.decode()
    assert titles(client.get(BOARD, {"plz": "10115", "km": "20"})) == ["Mitte", "Spandau"]
    assert titles(client.get(BOARD, {"plz": "13597", "km": "5"})) == ["Spandau"]


def test_an_unknown_postcode_is_a_clear_error_and_the_list_stays_unfiltered(client, shelter):
    OpportunityFactory(shelter=shelter, title="Mitte")
    response = client.get(BOARD, {"plz": "80331", "km": "3"})
    assert response.status_code == 200
    assert "Die Postleitzahl „80331“ kennen wir nicht" in response.content.decode()
    assert titles(response) == ["Mitte"]
    assert titles(client.get(BOARD, {"plz": "abc"})) == ["Mitte"]


def test_the_board_names_no_shelter_whose_address_is_not_public(client, shelter):
    OpportunityFactory(shelter=shelter)
    html = client.get(BOARD).content.decode()
    assert shelter.name not in html
    assert shelter.street not in html


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("query", [{}, {"plz": "10115", "km": "5", "sprache": "ar", "tag": "1"}])
def test_the_board_takes_the_same_queries_for_3_and_30_opportunities(
    client, shelter, count, query, django_assert_num_queries
):
    for _n in range(count):
        opportunity = OpportunityFactory(shelter=shelter)
        OpportunityLanguage.objects.create(opportunity=opportunity, language="ar")
    # Districts and areas (the filter form), the count, the page, its languages.
    with django_assert_num_queries(5):
        response = client.get(BOARD, query)
    assert len(titles(response)) == min(count, 20)


def test_the_map_shows_districts_not_shelters_and_answers_304_when_unchanged(client, shelter):
    OpportunityFactory(shelter=shelter)
    OpportunityFactory(shelter=shelter)
    url = reverse("volunteering:board_map")
    response = client.get(url)
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"] for f in features] == [
        {"kind": "district", "name": "Mitte", "count": 2}
    ]
    assert shelter.name not in response.content.decode()
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_map_pins_an_opportunity_where_the_shelters_address_is_public(client, shelter):
    shelter.address_public = True
    shelter.save()
    opportunity = OpportunityFactory(
        shelter=shelter, public_latitude=Decimal("52.541"), public_longitude=Decimal("13.401")
    )
    response = client.get(reverse("volunteering:board_map"), {"plz": "10115", "km": "5"})
    (feature,) = response.json()["features"]
    assert feature["properties"]["url"] == opportunity.get_absolute_url()
    assert feature["geometry"]["coordinates"] == [13.401, 52.541]


# --- The opportunity page ------------------------------------------------------------------------


def test_the_public_sees_the_district_but_not_the_shelter(client, opportunity, shelter):
    response = client.get(opportunity.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mitte" in html
    assert shelter.name not in html
    assert "Ich möchte helfen" in html
    assert "Fassung 2026-12" in html


def test_a_draft_is_seen_by_its_coordinator_only(client, shelter, coordinator, other_coordinator):
    draft = OpportunityFactory(shelter=shelter, status=Opportunity.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(other_coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Ich möchte helfen" not in response.content.decode()


# --- Coordinators --------------------------------------------------------------------------------


def test_a_coordinator_lists_her_shelters_opportunities_of_every_status(
    client, coordinator, shelter, other_shelter
):
    OpportunityFactory(shelter=shelter, title="Entwurf", status="draft")
    OpportunityFactory(shelter=shelter, title="Beendet", status="closed")
    OpportunityFactory(shelter=other_shelter, title="Fremd")
    client.force_login(coordinator)
    response = client.get(MANAGE)
    assert sorted(titles(response)) == ["Beendet", "Entwurf"]


def test_a_coordinator_without_opportunities_sees_how_to_start(client, coordinator):
    client.force_login(coordinator)
    assert "Erstes Angebot anlegen" in client.get(MANAGE).content.decode()


@pytest.mark.parametrize("who", ["volunteer_user", "regional_coordinator", "lead", "partner"])
def test_people_who_coordinate_no_shelter_are_refused(client, request, who, opportunity):
    client.force_login(request.getfixturevalue(who))
    assert client.get(MANAGE).status_code == 404
    assert client.get(reverse("volunteering:board_create")).status_code == 404
    edit = reverse("volunteering:board_edit", args=[opportunity.pk])
    assert client.get(edit).status_code == 404


def test_the_coordinator_of_another_shelter_cannot_edit_or_close(
    client, other_coordinator, opportunity
):
    client.force_login(other_coordinator)
    edit = reverse("volunteering:board_edit", args=[opportunity.pk])
    status = reverse("volunteering:board_status", args=[opportunity.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"title": "Übernommen"}).status_code == 404
    assert client.post(status, {"status": "closed"}).status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN


def form_data(**overrides):
    return {
        "title": "Hausaufgabenhilfe",
        "description": "Mathe und Deutsch mit Grundschulkindern.",
        "area": area("hausaufgabenhilfe").pk,
        "schedule": "regular",
        "weekdays": ["0", "3"],
        "volunteers_wanted": "2",
        "languages": ["ar", "fa"],
        "needs_clearance": "on",
        **overrides,
    }


def test_a_coordinator_publishes_a_new_opportunity(client, coordinator, shelter):
    client.force_login(coordinator)
    response = client.post(reverse("volunteering:board_create"), {**form_data(), "publish": "1"})
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.shelter == shelter
    assert opportunity.status == Opportunity.Status.OPEN
    assert opportunity.published_at is not None
    assert opportunity.weekday_list == [0, 3]
    assert sorted(opportunity.language_codes) == ["ar", "fa"]
    assert opportunity.needs_clearance


def test_a_draft_is_kept_off_the_board(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("volunteering:board_create"), {**form_data(), "draft": "1"})
    assert Opportunity.objects.get().status == Opportunity.Status.DRAFT


def test_a_one_off_opportunity_without_a_date_is_an_error_and_keeps_the_input(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("volunteering:board_create"), form_data(schedule="one_off", title="Sommerfest")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ein einmaliges Angebot braucht ein Datum." in html
    assert 'value="Sommerfest"' in html
    assert not Opportunity.objects.exists()


def test_the_clearance_is_explained_and_preticked_for_areas_with_children(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("volunteering:board_create")).content.decode()
    children = area("kinderbetreuung").pk
    assert re.search(rf'data-children-areas="[^"]*\b{children}\b', html)
    assert "§ 72a SGB VIII" in html


def test_a_coordinator_edits_and_changes_the_status(client, coordinator, opportunity):
    records.recompute_figures()  # the factory bypasses the figures the services keep
    client.force_login(coordinator)
    edit = reverse("volunteering:board_edit", args=[opportunity.pk])
    assert client.post(edit, form_data(title="Neu")).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Neu"
    status = reverse("volunteering:board_status", args=[opportunity.pk])
    assert client.get(status).status_code == 200
    assert client.post(status, {"status": "filled"}).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.FILLED


# --- Ich möchte helfen ---------------------------------------------------------------------------


def apply_data(**overrides):
    return {
        "full_name": "Amira Haddad",
        "email": "amira@example.org",
        "phone": "",
        "languages": ["ar", "de"],
        "message": "Dienstags habe ich Zeit.",
        "consent": "on",
        "website": "",
        **overrides,
    }


def confirm_link(mail):
    return re.search(r"http://\S+/engagement/bestaetigen/\S+/", mail.body).group(0)


def test_applying_sends_the_confirmation_link_and_stores_nothing_confirmed(
    client, opportunity, mailoutbox, run_tasks
):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        response = client.post(url, apply_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:board_apply_sent", args=[opportunity.pk])
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert not Volunteer.objects.exists()
    (mail,) = mailoutbox
    assert mail.to == ["amira@example.org"]
    assert "Bitte bestätigen Sie Ihre Bewerbung" in mail.subject
    assert links.application_token(application) in confirm_link(mail)


def test_an_english_applicant_gets_the_mail_in_english(client, opportunity, mailoutbox, run_tasks):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        client.post(url, apply_data(), HTTP_ACCEPT_LANGUAGE="en")
    (mail,) = mailoutbox
    assert "Please confirm your application" in mail.subject


def test_without_consent_nothing_is_stored_and_the_input_stays(client, opportunity, mailoutbox):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    response = client.post(url, apply_data(consent=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ohne Ihre Einwilligung" in html
    assert 'value="Amira Haddad"' in html
    assert not Application.objects.exists()
    assert mailoutbox == []


def test_a_bot_filling_the_honeypot_gets_the_same_page_and_nothing_is_stored(
    client, opportunity, mailoutbox, run_tasks
):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        response = client.post(url, apply_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:board_apply_sent", args=[opportunity.pk])
    assert not Application.objects.exists()
    assert mailoutbox == []


def test_applications_are_rate_limited_per_address(client, opportunity, run_tasks):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        for _n in range(5):
            assert client.post(url, apply_data()).status_code == 302
        response = client.post(url, apply_data())
    assert response.status_code == 200
    assert "sehr viele Bewerbungen" in response.content.decode()
    assert Application.objects.count() == 5


def test_applications_are_rate_limited_per_ip(client, opportunity, run_tasks):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        for n in range(20):
            client.post(url, apply_data(email=f"person{n}@example.org"))
        response = client.post(url, apply_data(email="noch-eine@example.org"))
    assert "sehr viele Bewerbungen" in response.content.decode()
    assert Application.objects.count() == 20


def test_a_paused_opportunity_takes_no_application(client, opportunity):
    opportunity.status = Opportunity.Status.PAUSED
    opportunity.save()
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    assert client.post(url, apply_data()).status_code == 404


def test_double_opt_in_with_the_real_mails(
    client, opportunity, shelter, coordinator, mailoutbox, run_tasks
):
    url = reverse("volunteering:board_apply", args=[opportunity.pk])
    with run_tasks():
        client.post(url, apply_data())
    link = confirm_link(mailoutbox[0]).removeprefix("http://localhost:8000")
    # Opening the link (as mail scanners do) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Ja, Bewerbung bestätigen" in page.content.decode()
    assert Application.objects.get().status == Application.Status.UNCONFIRMED
    with run_tasks():
        response = client.post(link)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.CONFIRMED
    assert application.volunteer.shelter == shelter
    assert ConsentRecord.objects.get().version == application.consent_version
    subjects = {tuple(mail.to): mail.subject for mail in mailoutbox[1:]}
    assert "Danke für Ihre Bewerbung" in subjects[("amira@example.org",)]
    assert "Neue Bewerbung" in subjects[(coordinator.email,)]
    notice = next(mail for mail in mailoutbox if mail.to == [coordinator.email])
    assert "Amira Haddad" in notice.body
    assert "Dienstags habe ich Zeit." in notice.body
    assert "Danke! Ihre Bewerbung ist bestätigt." in client.get(link).content.decode()
    # Confirming twice is harmless: no second record, no second mail.
    with run_tasks():
        client.post(link)
    assert Volunteer.objects.count() == 1
    assert len(mailoutbox) == 3


def test_an_unknown_link_gets_a_friendly_page(client):
    url = reverse("volunteering:board_confirm", args=["12.nichtsdergleichen"])
    response = client.get(url)
    assert response.status_code == 404
    assert "Diesen Link kennen wir nicht" in response.content.decode()
    assert client.post(url).status_code == 404


def test_an_expired_link_gets_a_friendly_page_and_confirms_nothing(client, opportunity, settings):
    application = ApplicationFactory(
        opportunity=opportunity,
        created_at=timezone.now()
        - datetime.timedelta(hours=settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS + 1),
    )
    url = reverse("volunteering:board_confirm", args=[links.application_token(application)])
    response = client.get(url)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    client.post(url)
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED
    assert not Volunteer.objects.exists()


def test_the_radius_box_shows_the_default_radius_the_filter_applies(client, shelter):
    OpportunityFactory(shelter=shelter)
    response = client.get(BOARD, {"plz": "10115"})
    assert '<option value="5" selected>' in response.content.decode()
    assert len(titles(response)) == 1


def test_an_htmx_filter_request_gets_the_results_only(client, shelter):
    OpportunityFactory(shelter=shelter, title="Mitte")
    response = client.get(BOARD, {"district": "mitte"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Mitte" in html
    assert "<header" not in html
    assert 'data-geojson="/engagement/karte.geojson?district=mitte"' in html


def test_a_coordinator_of_two_shelters_chooses_one_of_hers(
    client, coordinator, shelter, other_shelter
):
    from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

    CoordinatorPositionFactory(shelter=other_shelter, person=coordinator)
    foreign = ShelterFactory()
    client.force_login(coordinator)
    url = reverse("volunteering:board_create")
    refused = client.post(url, {**form_data(), "shelter": foreign.pk, "publish": "1"})
    assert refused.status_code == 200
    assert not Opportunity.objects.exists()
    client.post(url, {**form_data(), "shelter": other_shelter.pk, "publish": "1"})
    assert Opportunity.objects.get().shelter == other_shelter


@pytest.mark.parametrize("count", [3, 30])
def test_the_map_takes_the_same_queries_for_3_and_30_opportunities(
    client, shelter, other_shelter, count, django_assert_num_queries
):
    other_shelter.address_public = True
    other_shelter.save()
    for n in range(count):
        OpportunityFactory(shelter=shelter if n % 2 else other_shelter)
    with django_assert_num_queries(2):  # the pins, the counts per district
        response = client.get(reverse("volunteering:board_map"), {"tag": "1"})
    assert sum(f["properties"].get("count", 1) for f in response.json()["features"]) == count


def test_the_coordinators_list_counts_confirmed_applications(client, coordinator, opportunity):
    ApplicationFactory(opportunity=opportunity, status=Application.Status.CONFIRMED)
    ApplicationFactory(opportunity=opportunity)  # not confirmed: not counted
    client.force_login(coordinator)
    (row,) = client.get(MANAGE).context["page"].object_list
    assert row.confirmed_applications == 1


def test_the_thanks_for_applying_come_from_the_shelters_own_template_and_are_logged(
    client, opportunity, shelter, mailoutbox, run_tasks
):
    from bfe.volunteering.models import Message, MessageTemplate
    from bfe.volunteering.services import pipeline_messages

    pipeline_messages.save_template(
        shelter=shelter,
        kind=MessageTemplate.Kind.APPLICATION_THANKS,
        subject="Schön, dass Sie da sind, {name}",
        body="Wir melden uns diese Woche wegen {angebot}.",
    )
    with run_tasks():
        client.post(reverse("volunteering:board_apply", args=[opportunity.pk]), apply_data())
    link = confirm_link(mailoutbox[0]).removeprefix("http://localhost:8000")
    with run_tasks():
        client.post(link)
    [thanks] = [mail for mail in mailoutbox[1:] if mail.to == ["amira@example.org"]]
    assert thanks.subject == "Schön, dass Sie da sind, Amira Haddad"
    assert opportunity.title in thanks.body
    logged = Message.objects.get(volunteer__email="amira@example.org")
    assert logged.kind == MessageTemplate.Kind.APPLICATION_THANKS
    assert logged.status == Message.Status.SENT
