"""/start/ for volunteering: a coordinator sees her own shelters' pipeline, open shifts,
clearances and applications; a volunteer her own shifts, applications and hours; BfE's staff and
partners counts only. Each section says what to do when it is empty, and the page's queries do
not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.core.dashboard import shortcuts_for
from bfe.places.tests.factories import CoordinatorPositionFactory
from bfe.volunteering.models import (
    Application,
    Clearance,
    HoursEntry,
    ShiftSignup,
    Volunteer,
)
from bfe.volunteering.services.records import recompute_figures

from .factories import (
    ApplicationFactory,
    OpportunityFactory,
    ShiftFactory,
    ShiftSignupFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db

START = reverse("core:dashboard")


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


def start_page(client, person):
    client.force_login(person)
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def section(html, key):
    """The HTML of one start-page section ("volunteering-pipeline"), up to the next one."""
    marker = f'id="start-{key}"'
    assert marker in html, f"no section {key}"
    return html.split(marker, 1)[1].split('<section class="card start-section', 1)[0]


def stage_link(count, stage):
    return (
        f'<span class="stat__value">{count}</span> '
        f'<a class="stat__label" href="/freiwillige/?stand={stage}">'
    )


def section_ids(html):
    return {
        part.split('"')[0] for part in html.split('id="start-')[1:] if "heading" not in part[:60]
    }


def this_week(hours_from_now):
    """A moment later in the current calendar week: near its end when the week is nearly over."""
    now = timezone.now()
    sunday_night = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=6 - timezone.localdate().weekday()),
            datetime.time(23, 0),
        )
    )
    return min(
        now + datetime.timedelta(hours=hours_from_now), sunday_night - datetime.timedelta(hours=2)
    )


def shift_this_week(opportunity, *, slots=3, taken=0, hours_from_now=1):
    starts_at = this_week(hours_from_now)
    return ShiftFactory(
        opportunity=opportunity,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        slots=slots,
        confirmed_count=taken,
    )


def clearance(volunteer, *, due_in_days):
    today = timezone.localdate()
    return Clearance.objects.create(
        volunteer=volunteer,
        inspected_on=today - datetime.timedelta(days=400),
        issued_on=today - datetime.timedelta(days=410),
        reinspect_on=today + datetime.timedelta(days=due_in_days),
    )


def confirmed_application(opportunity, name, *, days_ago=1, stage=Volunteer.Stage.APPLIED):
    volunteer = VolunteerFactory(shelter=opportunity.shelter, full_name=name, stage=stage)
    return ApplicationFactory(
        opportunity=opportunity,
        volunteer=volunteer,
        full_name=name,
        status=Application.Status.CONFIRMED,
        confirmed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


# --- The coordinator ---------------------------------------------------------------------------


def test_coordinator_sees_her_shelters_pipeline_counts_linked_to_the_pipeline_by_stage(
    client, coordinator, shelter, other_shelter
):
    OpportunityFactory(shelter=shelter)
    VolunteerFactory.create_batch(3, shelter=shelter, stage=Volunteer.Stage.ACTIVE)
    VolunteerFactory(shelter=shelter, stage=Volunteer.Stage.FIRST_MEETING)
    VolunteerFactory.create_batch(7, shelter=other_shelter, stage=Volunteer.Stage.ACTIVE)
    recompute_figures()

    html = section(start_page(client, coordinator), "volunteering-pipeline")

    assert stage_link("3", "active") in html
    assert stage_link("1", "first_meeting") in html
    assert '<span class="stat__value">7</span>' not in html
    assert "1 offenes Angebot" in html


def test_coordinator_without_opportunities_or_volunteers_is_told_to_create_the_first(
    client, coordinator
):
    html = start_page(client, coordinator)

    pipeline = section(html, "volunteering-pipeline")
    assert "Noch keine Angebote – legen Sie das erste an" in pipeline
    assert "Angebot anlegen" in pipeline
    assert "Keine neuen Bewerbungen" in section(html, "volunteering-new-applications")
    assert "Alle Einsätze dieser Woche sind besetzt" in section(html, "volunteering-open-shifts")
    assert "Nichts fällig" in section(html, "volunteering-clearances")


def test_coordinator_sees_this_weeks_shifts_with_free_slots_of_her_shelters_only(
    client, coordinator, shelter, other_shelter
):
    mine = OpportunityFactory(shelter=shelter, title="Hausaufgabenhilfe Nord")
    shift_this_week(mine, slots=3, taken=1)
    full = OpportunityFactory(shelter=shelter, title="Kleiderkammer voll")
    shift_this_week(full, slots=2, taken=2)
    cancelled = OpportunityFactory(shelter=shelter, title="Garten abgesagt")
    shift = shift_this_week(cancelled)
    shift.is_cancelled = True
    shift.save()
    later = OpportunityFactory(shelter=shelter, title="Sport nächsten Monat")
    ShiftFactory(opportunity=later, starts_at=timezone.now() + datetime.timedelta(days=30),
                 ends_at=timezone.now() + datetime.timedelta(days=30, hours=2))  # fmt: skip
    theirs = OpportunityFactory(shelter=other_shelter, title="Sprachcafé West")
    shift_this_week(theirs)

    html = section(start_page(client, coordinator), "volunteering-open-shifts")

    assert "Hausaufgabenhilfe Nord" in html
    assert "2 Plätze frei" in html
    for title in [
        "Kleiderkammer voll",
        "Garten abgesagt",
        "Sport nächsten Monat",
        "Sprachcafé West",
    ]:
        assert title not in html


def test_coordinator_sees_clearances_due_within_60_days_of_her_current_volunteers_only(
    client, coordinator, shelter, other_shelter
):
    clearance(VolunteerFactory(shelter=shelter, full_name="Bald Fällig"), due_in_days=20)
    clearance(VolunteerFactory(shelter=shelter, full_name="Schon Überfällig"), due_in_days=-3)
    clearance(VolunteerFactory(shelter=shelter, full_name="Noch Lange"), due_in_days=400)
    clearance(
        VolunteerFactory(shelter=shelter, full_name="Längst Beendet", stage=Volunteer.Stage.ENDED,
                         end_reason=Volunteer.EndReason.NO_TIME),
        due_in_days=5,
    )  # fmt: skip
    clearance(VolunteerFactory(shelter=other_shelter, full_name="Andere Unterkunft"), due_in_days=5)

    html = section(start_page(client, coordinator), "volunteering-clearances")

    assert "Bei 2 Personen" in html
    assert "Bald Fällig" in html
    assert "Schon Überfällig" in html
    assert "fällig seit" in html
    for name in ["Noch Lange", "Längst Beendet", "Andere Unterkunft"]:
        assert name not in html


def test_clearance_list_shows_the_first_few_and_counts_all(client, coordinator, shelter):
    for index in range(7):
        clearance(VolunteerFactory(shelter=shelter), due_in_days=index)

    html = section(start_page(client, coordinator), "volunteering-clearances")

    assert "Bei 7 Personen" in html
    assert html.count('class="start-list__item"') == 5


def test_coordinator_sees_new_confirmed_applications_not_yet_answered(
    client, coordinator, shelter, other_shelter
):
    opportunity = OpportunityFactory(shelter=shelter, title="Sprachcafé Mitte")
    confirmed_application(opportunity, "Amira Neu")
    confirmed_application(opportunity, "Karl Kontaktiert", stage=Volunteer.Stage.CONTACTED)
    confirmed_application(opportunity, "Olga Alt", days_ago=30)
    ApplicationFactory(opportunity=opportunity, full_name="Udo Unbestätigt")
    confirmed_application(OpportunityFactory(shelter=other_shelter), "Wanda West")

    html = section(start_page(client, coordinator), "volunteering-new-applications")

    assert "Amira Neu" in html
    assert "Sprachcafé Mitte" in html
    assert "1 bestätigte Bewerbung" in html
    for name in ["Karl Kontaktiert", "Olga Alt", "Udo Unbestätigt", "Wanda West"]:
        assert name not in html


def test_coordinator_gets_no_volunteer_sections_of_her_own(client, coordinator):
    ids = section_ids(start_page(client, coordinator))

    assert "volunteering-my-shifts" not in ids
    assert "volunteering-figures" not in ids


# --- The volunteer -----------------------------------------------------------------------------


def test_volunteer_sees_her_next_shifts_in_every_shelter_and_nobody_elses(
    client, volunteer_user, shelter, other_shelter
):
    nord = VolunteerFactory(shelter=shelter, user=volunteer_user)
    west = VolunteerFactory(shelter=other_shelter, user=volunteer_user)
    ShiftSignupFactory(
        volunteer=nord,
        shift=ShiftFactory(
            opportunity=OpportunityFactory(shelter=shelter, title="Fahrradwerkstatt")
        ),
    )
    ShiftSignupFactory(
        volunteer=west,
        status=ShiftSignup.Status.WAITLISTED,
        shift=ShiftFactory(
            opportunity=OpportunityFactory(shelter=other_shelter, title="Garten West")
        ),
    )
    ShiftSignupFactory(
        volunteer=nord,
        status=ShiftSignup.Status.CANCELLED,
        shift=ShiftFactory(opportunity=OpportunityFactory(shelter=shelter, title="Abgesagt")),
    )
    ShiftSignupFactory(
        shift=ShiftFactory(opportunity=OpportunityFactory(shelter=shelter, title="Fremder Einsatz"))
    )

    html = section(start_page(client, volunteer_user), "volunteering-my-shifts")

    assert "Fahrradwerkstatt" in html
    assert "Garten West" in html
    assert "Warteliste" in html
    assert "Abgesagt" not in html
    assert "Fremder Einsatz" not in html


def test_volunteer_sees_her_own_applications(client, volunteer_user, shelter):
    ApplicationFactory(
        user=volunteer_user,
        opportunity=OpportunityFactory(shelter=shelter, title="Kinderbetreuung"),
    )
    ApplicationFactory(opportunity=OpportunityFactory(shelter=shelter, title="Bewerbung anderer"))

    html = section(start_page(client, volunteer_user), "volunteering-my-applications")

    assert "Kinderbetreuung" in html
    assert "E-Mail noch nicht bestätigt" in html
    assert "Bewerbung anderer" not in html


def test_volunteer_sees_her_confirmed_hours_of_this_year_against_the_thresholds(
    client, volunteer_user, shelter, other_shelter
):
    today = timezone.localdate()
    mine = VolunteerFactory(shelter=shelter, user=volunteer_user)
    also_mine = VolunteerFactory(shelter=other_shelter, user=volunteer_user)
    someone_else = VolunteerFactory(shelter=shelter)
    for volunteer, hours, status, date in [
        (mine, "60", HoursEntry.Status.CONFIRMED, today),
        (also_mine, "25.5", HoursEntry.Status.CONFIRMED, today),
        (mine, "4", HoursEntry.Status.PROPOSED, today),
        (mine, "300", HoursEntry.Status.CONFIRMED, today.replace(year=today.year - 1)),
        (mine, "9", HoursEntry.Status.REJECTED, today),
        (someone_else, "100", HoursEntry.Status.CONFIRMED, today),
    ]:
        HoursEntry.objects.create(
            volunteer=volunteer, hours=Decimal(hours), status=status, date=date, activity="Sport"
        )

    html = section(start_page(client, volunteer_user), "volunteering-my-hours")

    assert "85,5&nbsp;h" in html
    assert "4 h warten noch" in html
    assert "FreiwilligenPass" in html
    assert "Berliner Ehrenamtskarte" in html
    assert html.count("erreicht") == 1  # 85.5 h: the FreiwilligenPass's 80, not the card's 200


def test_volunteers_empty_start_page_points_to_the_board(client, volunteer_user):
    html = start_page(client, volunteer_user)

    assert "Keine Einsätze geplant" in section(html, "volunteering-my-shifts")
    assert "Keine offenen Bewerbungen" in section(html, "volunteering-my-applications")
    assert "Stunden eintragen" in section(html, "volunteering-my-hours")
    assert 'href="/engagement/"' in section(html, "volunteering-my-shifts")
    assert "volunteering-pipeline" not in section_ids(html)


# --- BfE staff and partners: counts, never names -----------------------------------------------


def _world_with_names(shelter, other_shelter):
    opportunity = OpportunityFactory(shelter=shelter)
    VolunteerFactory.create_batch(2, shelter=shelter, full_name="Nora Namentlich")
    VolunteerFactory(shelter=other_shelter, full_name="Wim Westlich")
    clearance(VolunteerFactory(shelter=shelter, full_name="Clara Clearance"), due_in_days=3)
    confirmed_application(opportunity, "Anna Anfrage")
    recompute_figures()


@pytest.mark.parametrize("who", ["regional_coordinator", "lead", "partner"])
def test_staff_and_partners_see_counts_and_never_a_volunteers_name(
    client, request, who, shelter, other_shelter
):
    _world_with_names(shelter, other_shelter)
    person = request.getfixturevalue(who)

    html = start_page(client, person)

    figures = section(html, "volunteering-figures")
    assert "offenes Engagementangebot" in figures
    for name in ["Nora Namentlich", "Wim Westlich", "Clara Clearance", "Anna Anfrage"]:
        assert name not in html
    assert not {"volunteering-pipeline", "volunteering-clearances"} & section_ids(html)


def test_regional_coordinator_counts_her_regions_shelters_only(
    client, regional_coordinator, shelter, other_shelter
):
    _world_with_names(shelter, other_shelter)  # Nord: 4 volunteers (2 + clearance + applicant)

    html = section(start_page(client, regional_coordinator), "volunteering-figures")

    assert "In den Unterkünften Ihrer Region" in html
    assert '<span class="start-counts__label">aktiv</span> <strong>3</strong>' in html
    assert '<span class="start-counts__label">beworben</span> <strong>1</strong>' in html


def test_lead_counts_every_shelter(client, lead, shelter, other_shelter):
    _world_with_names(shelter, other_shelter)

    html = section(start_page(client, lead), "volunteering-figures")

    assert "In allen Unterkünften" in html
    assert '<span class="start-counts__label">aktiv</span> <strong>4</strong>' in html


def test_staff_without_any_figures_see_what_comes(client, partner):
    html = section(start_page(client, partner), "volunteering-figures")

    assert "Noch keine Zahlen" in html


def test_people_without_a_role_get_no_volunteering_section(client, someone):
    ids = section_ids(start_page(client, someone))

    assert not {i for i in ids if i.startswith("volunteering-")}


# --- Queries do not grow with the data ---------------------------------------------------------


def _coordinators_data(shelter, user, rows):
    opportunity = OpportunityFactory(shelter=shelter)
    for index in range(rows):
        volunteer = VolunteerFactory(shelter=shelter, stage=Volunteer.Stage.ACTIVE)
        clearance(volunteer, due_in_days=index % 50)
        shift_this_week(opportunity, slots=5, taken=1, hours_from_now=1 + index % 10)
        confirmed_application(opportunity, f"Bewerberin {index}")
    recompute_figures()


def _volunteers_data(shelter, user, rows):
    volunteer = VolunteerFactory(shelter=shelter, user=user)
    for _index in range(rows):
        opportunity = OpportunityFactory(shelter=shelter)
        ShiftSignupFactory(volunteer=volunteer, shift=ShiftFactory(opportunity=opportunity))
        ApplicationFactory(user=user, opportunity=opportunity)
        HoursEntry.objects.create(
            volunteer=volunteer,
            hours=Decimal(2),
            status=HoursEntry.Status.CONFIRMED,
            date=timezone.localdate(),
            activity="Sprachcafé",
        )


def _queries(client, person):
    client.force_login(person)
    client.get(START)  # warm: session, cached sections of other apps
    with CaptureQueriesContext(connection) as captured:
        assert client.get(START).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("who", "fill"),
    [("coordinator", _coordinators_data), ("volunteer_user", _volunteers_data)],
)
def test_the_start_pages_queries_are_the_same_for_3_and_30_rows(
    client, request, who, fill, shelter
):
    person = request.getfixturevalue(who)
    fill(shelter, person, 3)
    few = _queries(client, person)

    fill(shelter, person, 27)
    many = _queries(client, person)

    assert few == many


def test_a_coordinator_with_two_shelters_sees_both(client, shelter, other_shelter):
    person = CoordinatorPositionFactory(shelter=shelter).person
    CoordinatorPositionFactory(shelter=other_shelter, person=person)
    VolunteerFactory(shelter=shelter)
    VolunteerFactory(shelter=other_shelter)
    recompute_figures()

    html = section(start_page(client, person), "volunteering-pipeline")

    assert stage_link("2", "active") in html


# --- Shortcuts ---------------------------------------------------------------------------------

SHORTCUTS = {
    "volunteering.pipeline": "volunteering:pipeline",
    "volunteering.opportunity_create": "volunteering:board_create",
    "volunteering.import": "volunteering:import_upload",
}


def test_coordinator_gets_the_three_volunteering_shortcuts(coordinator):
    keys = {shortcut.key for shortcut in shortcuts_for(coordinator)}

    assert set(SHORTCUTS) <= keys


@pytest.mark.parametrize("who", ["volunteer_user", "partner", "regional_coordinator", "lead"])
def test_nobody_but_coordinators_gets_the_volunteering_shortcuts(request, who):
    keys = {shortcut.key for shortcut in shortcuts_for(request.getfixturevalue(who))}

    assert not set(SHORTCUTS) & keys
