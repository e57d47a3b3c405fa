"""Confidentiality of consultations, for every role on every page that shows them.

DESIGN.md: the note (and the attachments) are read by the region's coordinators and BfE's lead;
the consulted coordinator sees date, format, topics and agreed next steps; partners see counts;
other regions see nothing.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import AttachmentFactory, ConsultationFactory, FollowUpFactory, topic

pytestmark = pytest.mark.django_db

NOTE = "Streng vertraulich: Streit mit der Heimleitung"
OTHERS = "Herr Obermeier vom Betreiber"
NEXT_STEPS = "Vorlage zur Ehrenamtsvereinbarung schicken"
ATTACHMENT = "Gesprächsprotokoll-Obermeier.pdf"
FOLLOW_UP = "Rückruf beim Träger wegen Haftung"

ROLES = [
    "anonymous",
    "volunteer",
    "partner",
    "consulted",  # the coordinator who was consulted
    "colleague",  # another coordinator of the same shelter, not consulted
    "coordinator_west",
    "regional_nord",
    "regional_west",
    "admin",
]
FULL_READERS = {"regional_nord", "admin"}
LOGIN = "login"


def status(allowed, **others):
    """Expected status per role: 200 for `allowed`, the login page for anonymous, else 404."""
    expected = dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN}
    expected |= dict.fromkeys(allowed, 200)
    return expected | others


PAGES = {
    "list": (
        lambda w: reverse("consultations:list"),
        status(set(ROLES) - {"anonymous", "volunteer", "partner"}),
    ),
    "detail": (
        lambda w: reverse("consultations:detail", args=[w["consultation"].pk]),
        status({"consulted", "regional_nord", "admin"}),
    ),
    "shelter_timeline": (
        lambda w: reverse("consultations:shelter_timeline", args=[w["shelter"].pk]),
        status({"consulted", "colleague", "regional_nord", "admin"}),
    ),
    "person_timeline": (
        lambda w: reverse("consultations:person_timeline", args=[w["people"]["consulted"].pk]),
        status({"consulted", "regional_nord", "admin"}),
    ),
    "attachment": (
        lambda w: reverse(
            "consultations:attachment", args=[w["consultation"].pk, w["attachment"].pk]
        ),
        status(FULL_READERS),
    ),
}


@pytest.fixture
def world(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    nord, west = berlin_region("nord"), berlin_region("west")
    shelter = ShelterFactory(name="GU Am Wiesengrund", district=berlin_district("01"))
    shelter_west = ShelterFactory(name="GU Spandau", district=berlin_district("05"))
    people = {role: UserFactory(full_name=f"Person {role}") for role in ROLES[1:]}
    RoleFactory(user=people["volunteer"], kind=Role.Kind.VOLUNTEER)
    RoleFactory(user=people["partner"], kind=Role.Kind.PARTNER)
    RoleFactory(user=people["admin"], kind=Role.Kind.ADMIN)
    RoleFactory(user=people["regional_nord"], kind=Role.Kind.REGIONAL_COORDINATOR, region=nord)
    RoleFactory(user=people["regional_west"], kind=Role.Kind.REGIONAL_COORDINATOR, region=west)
    CoordinatorPositionFactory(shelter=shelter, person=people["consulted"])
    CoordinatorPositionFactory(shelter=shelter, person=people["colleague"])
    CoordinatorPositionFactory(shelter=shelter_west, person=people["coordinator_west"])
    consultation = ConsultationFactory(
        shelter=shelter,
        region=nord,
        participants=[people["consulted"]],
        confidential_note=NOTE,
        other_participants=OTHERS,
        next_steps=NEXT_STEPS,
        logged_by=people["regional_nord"],
        topics=[topic("konflikte")],
    )
    attachment = AttachmentFactory(consultation=consultation, name=ATTACHMENT)
    FollowUpFactory(
        region=nord,
        consultation=consultation,
        shelter=None,
        title=FOLLOW_UP,
        owner=people["regional_nord"],
    )
    return {
        "people": people,
        "shelter": shelter,
        "consultation": consultation,
        "attachment": attachment,
    }


def get(client, world, role, page):
    build_url, expected = PAGES[page]
    if role != "anonymous":
        client.force_login(world["people"][role])
    response = client.get(build_url(world))
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[role], (role, page)
    return response


def text_of(response):
    if response.status_code != 200:
        return ""
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_gets_the_expected_status(client, world, role, page):
    get(client, world, role, page)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "detail", "shelter_timeline", "person_timeline"])
def test_the_note_appears_only_for_the_regions_staff_and_the_lead(client, world, role, page):
    text = text_of(get(client, world, role, page))

    note_expected = role in FULL_READERS and page != "list"  # the list never shows notes
    assert (NOTE in text) is note_expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "detail", "shelter_timeline", "person_timeline"])
def test_attachments_and_follow_ups_are_named_only_for_the_regions_staff_and_the_lead(
    client, world, role, page
):
    text = text_of(get(client, world, role, page))

    assert (ATTACHMENT in text) is (role in FULL_READERS and page == "detail")
    if role not in FULL_READERS:
        assert FOLLOW_UP not in text


@pytest.mark.parametrize("role", ROLES)
def test_only_the_regions_staff_and_the_lead_download_attachments(client, world, role):
    response = get(client, world, role, "attachment")

    assert (response.status_code == 200) is (role in FULL_READERS)
    if response.status_code == 200:
        assert text_of(response).startswith("%PDF")


@pytest.mark.parametrize("role", ROLES)
def test_the_consulted_coordinator_sees_date_format_topics_and_next_steps_but_no_others(
    client, world, role
):
    text = text_of(get(client, world, role, "detail"))

    if role in FULL_READERS | {"consulted"}:
        assert NEXT_STEPS in text
        assert "01.10.2026" in text or "1. Oktober 2026" in text
        assert "vor Ort" in text
        assert "Konflikte" in text
        assert "Person consulted" in text
    else:
        assert NEXT_STEPS not in text
    # Other participants (e.g. the operator's management) are part of the confidential record.
    assert (OTHERS in text) is (role in FULL_READERS)


def test_a_colleague_of_the_same_shelter_sees_nothing_of_a_consultation_she_was_not_in(
    client, world
):
    client.force_login(world["people"]["colleague"])

    for page in ["list", "shelter_timeline"]:
        text = text_of(get(client, world, "colleague", page))
        assert NEXT_STEPS not in text
        assert NOTE not in text
        assert world["consultation"].get_absolute_url() not in text


def test_other_regions_see_nothing_of_the_consultation(client, world):
    for role in ["regional_west", "coordinator_west"]:
        text = text_of(get(client, world, role, "list"))
        assert "GU Am Wiesengrund" not in text
        assert NEXT_STEPS not in text


@pytest.mark.parametrize("role", ["consulted", "colleague"])
def test_a_coordinators_pages_never_even_select_the_note(client, world, role):
    client.force_login(world["people"][role])
    with CaptureQueriesContext(connection) as queries:
        for page in ["list", "detail", "shelter_timeline", "person_timeline"]:
            client.get(PAGES[page][0](world))

    assert not [q["sql"] for q in queries if "confidential_note" in q["sql"]]
