"""Every URL of the platform, for every role: the status each must get.

A new URL pattern in one of our apps fails `test_every_url_of_our_apps_is_in_the_matrix` until it is
added here, so that nobody ships a page without deciding who may see it.
"""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bfe.accounts.models import Invitation, Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "volunteer",
    "partner",
    "coordinator_nord",
    "coordinator_west",
    "regional_nord",
    "regional_west",
    "admin",
]
OUR_NAMESPACES = {
    "core",
    "places",
    "accounts",
    "consultations",
    "events",
    "volunteering",
    "materials",
}
LOGIN = "login"  # anonymous people are sent to the login page
EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
ADMIN_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "admin": 200}
ADMIN_ACTION = {**ADMIN_ONLY, "admin": 302}  # POST, then back to the list
NORD_EDITORS = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": LOGIN,
    "coordinator_nord": 200,
    "regional_nord": 200,
    "admin": 200,
}

NORD_STAFF = {**NORD_EDITORS, "coordinator_nord": 404}
NOBODY_BUT = lambda **allowed: {  # noqa: E731
    **dict.fromkeys(ROLES, 404),
    "anonymous": LOGIN,
    **allowed,
}
BFE_STAFF = NOBODY_BUT(regional_nord=200, regional_west=200, admin=200)
# Consultation pages of region Nord: its staff, the consulted coordinator where said.
NORD_CONSULTED = NOBODY_BUT(coordinator_nord=200, regional_nord=200, admin=200)

COORDINATORS_AND_STAFF = {
    **BFE_STAFF,
    "coordinator_nord": 200,
    "coordinator_west": 200,
    "anonymous": 404,
}
NORD_EVENT_MANAGERS = NOBODY_BUT(regional_nord=200, admin=200)
NORD_EVENT_ACTION = NOBODY_BUT(regional_nord=302, admin=302)
REGISTRANTS = NOBODY_BUT(
    coordinator_nord=302, coordinator_west=302, regional_nord=302, regional_west=302, admin=302
)

# url name -> (args builder, expected status per role)
MATRIX = {
    "core:home": (None, EVERYONE),
    "core:dashboard": (None, SIGNED_IN),
    "core:imprint": (None, EVERYONE),
    "core:privacy": (None, EVERYONE),
    "core:healthz": (None, EVERYONE),
    "core:robots_txt": (None, EVERYONE),
    "places:region_list": (None, EVERYONE),
    "places:region_detail": (lambda w: ["nord"], EVERYONE),
    "places:shelter_list": (None, EVERYONE),
    "places:shelter_map": (None, EVERYONE),
    "places:filter_suggestions": (lambda w: ["district"], EVERYONE),
    "places:shelter_detail": (lambda w: [w["shelter_nord"].pk], EVERYONE),
    "places:shelter_edit": (lambda w: [w["shelter_nord"].pk], NORD_EDITORS),
    "places:position_end": (
        lambda w: [w["shelter_nord"].pk, w["position_nord"].pk],
        NORD_STAFF,
    ),
    "places:position_contact": (
        lambda w: [w["shelter_nord"].pk, w["position_nord"].pk],
        NORD_EDITORS,
    ),
    "consultations:outreach": (None, BFE_STAFF),
    "consultations:statistics": (None, {**BFE_STAFF, "partner": 200}),
    "consultations:statistics_csv": (None, {**BFE_STAFF, "partner": 200}),
    "consultations:request_list": (
        None,
        {**BFE_STAFF, "coordinator_nord": 200, "coordinator_west": 200},
    ),
    "consultations:request_create": (
        None,
        NOBODY_BUT(coordinator_nord=200, coordinator_west=200),
    ),
    "consultations:request_detail": (lambda w: [w["request_nord"].pk], NORD_CONSULTED),
    "consultations:request_schedule": (
        lambda w: [w["request_nord"].pk],
        NOBODY_BUT(regional_nord=200, admin=200),
    ),
    "consultations:request_decline": (
        lambda w: [w["request_nord"].pk],
        NOBODY_BUT(regional_nord=200, admin=200),
    ),
    "consultations:list": (None, {**BFE_STAFF, "coordinator_nord": 200, "coordinator_west": 200}),
    "consultations:create": (None, BFE_STAFF),
    "consultations:detail": (lambda w: [w["consultation_nord"].pk], NORD_CONSULTED),
    "consultations:edit": (
        lambda w: [w["consultation_nord"].pk],
        NOBODY_BUT(regional_nord=200, admin=200),
    ),
    "consultations:attachment": (
        lambda w: [w["consultation_nord"].pk, w["attachment_nord"].pk],
        NOBODY_BUT(regional_nord=200, admin=200),
    ),
    "consultations:shelter_timeline": (lambda w: [w["shelter_nord"].pk], NORD_CONSULTED),
    "consultations:person_timeline": (
        lambda w: [w["people"]["coordinator_nord"].pk],
        NORD_CONSULTED,
    ),
    "consultations:followups": (None, BFE_STAFF),
    "consultations:followup_create": (None, BFE_STAFF),
    "consultations:followup_done": (
        lambda w: [w["followup_nord"].pk],
        NOBODY_BUT(regional_nord=302, admin=302),
    ),
    "events:list": (None, EVERYONE),
    "events:month": (lambda w: [2026, 12], EVERYONE),
    "events:create": (None, BFE_STAFF),
    "events:detail": (lambda w: [w["jour_fixe_nord"].pk], COORDINATORS_AND_STAFF),
    "events:edit": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:cancel": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:series_create": (None, BFE_STAFF),
    "events:series_detail": (lambda w: [w["series_nord"].pk], NORD_EVENT_MANAGERS),
    "events:register": (lambda w: [w["jour_fixe_nord"].pk], REGISTRANTS),
    "events:unregister": (lambda w: [w["jour_fixe_nord"].pk], REGISTRANTS),
    "events:guest_register": (lambda w: [w["workshop"].pk], EVERYONE),
    "events:guest_manage": (lambda w: [GUEST_TOKEN], EVERYONE),
    "events:invite_region": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_ACTION),
    "events:my_registrations": (None, SIGNED_IN),
    "events:participants": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:participants_csv": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:participants_xlsx": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:check_in": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:check_in_toggle": (
        lambda w: [w["jour_fixe_nord"].pk, w["registration_nord"].pk],
        NORD_EVENT_ACTION,
    ),
    # An empty walk-in form is shown again with its error.
    "events:walk_in": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:attendance_pdf": (lambda w: [w["jour_fixe_nord"].pk], NORD_EVENT_MANAGERS),
    "events:documents": (
        lambda w: [w["jour_fixe_nord"].pk],
        {**BFE_STAFF, "coordinator_nord": 200},
    ),
    "events:document": (
        lambda w: [w["jour_fixe_nord"].pk, w["document_nord"].pk],
        {**BFE_STAFF, "coordinator_nord": 200},
    ),
    "events:public_feed": (None, EVERYONE),
    "events:ics": (lambda w: [w["jour_fixe_nord"].pk], COORDINATORS_AND_STAFF),
    "events:personal_feed": (lambda w: [FEED_TOKEN], EVERYONE),
    "events:feed_reset": (None, {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    "events:training_list": (None, EVERYONE),
    "events:training_detail": (lambda w: [w["training"].pk], EVERYONE),
    "events:training_enrol": (
        lambda w: [w["training"].pk],
        NOBODY_BUT(coordinator_nord=302, coordinator_west=302),
    ),
    "events:training_withdraw": (
        lambda w: [w["training"].pk],
        NOBODY_BUT(coordinator_nord=302, coordinator_west=302),
    ),
    "events:training_participants": (lambda w: [w["training"].pk], BFE_STAFF),
    "events:certificate_pdf": (
        lambda w: [w["certificate"].pk],
        NOBODY_BUT(coordinator_nord=200, regional_nord=200, regional_west=200, admin=200),
    ),
    "events:certificate_verify": (lambda w: [w["certificate"].verification_code], EVERYONE),
    "accounts:invitation_list": (None, ADMIN_ONLY),
    "accounts:invitation_revoke": (lambda w: [w["invitation"].pk], ADMIN_ACTION),
    "accounts:invitation_resend": (lambda w: [w["invitation"].pk], ADMIN_ACTION),
    "accounts:invitation_accept": (lambda w: [w["invitation_token"]], EVERYONE),
}
# Actions that only take POST are tried with POST.
POST_ONLY = {
    "accounts:invitation_revoke",
    "accounts:invitation_resend",
    "consultations:followup_done",
    "events:register",
    "events:unregister",
    "events:invite_region",
    "events:check_in_toggle",
    "events:walk_in",
    "events:feed_reset",
    "events:training_enrol",
    "events:training_withdraw",
}


def _volunteering_rows():
    # Imported here: the parts read this module's constants (LOGIN, NOBODY_BUT …).
    import sys

    from bfe.volunteering.tests import authorization

    return authorization.matrix(sys.modules[__name__])


MATRIX.update(_volunteering_rows())


def _materials_rows():
    import sys

    from bfe.materials.tests import authorization

    return authorization.matrix(sys.modules[__name__])


MATRIX.update(_materials_rows())

GUEST_TOKEN = "guest-token-for-the-matrix"
FEED_TOKEN = "feed-token-for-the-matrix"


def our_url_names(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from our_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and namespace in OUR_NAMESPACES and entry.name:
            yield f"{namespace}:{entry.name}"


@pytest.fixture
def world(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    nord, west = Region.objects.get(slug="nord"), Region.objects.get(slug="west")
    shelter_nord = ShelterFactory(district=District.objects.get(number="01"))
    shelter_west = ShelterFactory(district=District.objects.get(number="05"))
    people = {role: UserFactory(email=f"{role}@example.org") for role in ROLES[1:]}
    RoleFactory(user=people["volunteer"], kind=Role.Kind.VOLUNTEER)
    RoleFactory(user=people["partner"], kind=Role.Kind.PARTNER)
    RoleFactory(user=people["admin"], kind=Role.Kind.ADMIN)
    RoleFactory(user=people["regional_nord"], kind=Role.Kind.REGIONAL_COORDINATOR, region=nord)
    RoleFactory(user=people["regional_west"], kind=Role.Kind.REGIONAL_COORDINATOR, region=west)
    position_nord = CoordinatorPositionFactory(
        shelter=shelter_nord, person=people["coordinator_nord"]
    )
    CoordinatorPositionFactory(shelter=shelter_west, person=people["coordinator_west"])

    from bfe.accounts.services import invite

    invitation, token = invite(
        email="neu@example.org",
        kind=Invitation.Kind.COORDINATOR,
        shelter=shelter_nord,
        invited_by=people["admin"],
    )
    from bfe.consultations.tests.factories import (
        AttachmentFactory,
        ConsultationFactory,
        ConsultationRequestFactory,
        FollowUpFactory,
    )

    events = event_world(people, nord, shelter_nord)
    consultation_nord = ConsultationFactory(
        shelter=shelter_nord, region=nord, participants=[people["coordinator_nord"]]
    )
    from bfe.materials.tests import authorization as materials
    from bfe.volunteering.tests import authorization as volunteering

    return {
        **volunteering.world(people, shelter_nord, shelter_west),
        **materials.world(people, shelter_nord, shelter_west),
        "consultation_nord": consultation_nord,
        "attachment_nord": AttachmentFactory(consultation=consultation_nord),
        "request_nord": ConsultationRequestFactory(
            shelter=shelter_nord, region=nord, requested_by=people["coordinator_nord"]
        ),
        "followup_nord": FollowUpFactory(
            region=nord, shelter=shelter_nord, owner=people["regional_nord"]
        ),
        **events,
        "people": people,
        "shelter_nord": shelter_nord,
        "position_nord": position_nord,
        "invitation": invitation,
        "invitation_token": token,
    }


def event_world(people, nord, shelter_nord):
    import datetime

    from bfe.accounts.models import hash_token
    from bfe.events.models import CalendarFeed, Certificate, Series
    from bfe.events.tests.factories import (
        DocumentFactory,
        GuestRegistrationFactory,
        JourFixeFactory,
        RegistrationFactory,
        TrainingSeriesFactory,
    )

    jour_fixe = JourFixeFactory(region=nord, organisers=[people["regional_nord"]])
    workshop = GuestRegistrationFactory(token_hash=hash_token(GUEST_TOKEN)).event
    training = TrainingSeriesFactory()
    CalendarFeed.objects.create(
        person=people["coordinator_nord"], token_hash=hash_token(FEED_TOKEN)
    )
    series = Series.objects.create(
        region=nord,
        title="Jour fixe Nord",
        rrule="FREQ=MONTHLY;BYDAY=2WE",
        starts_on=datetime.date(2027, 1, 1),
        until=datetime.date(2027, 12, 31),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    return {
        "jour_fixe_nord": jour_fixe,
        "workshop": workshop,
        "series_nord": series,
        "registration_nord": RegistrationFactory(
            event=jour_fixe, person=people["coordinator_nord"]
        ),
        "document_nord": DocumentFactory(event=jour_fixe),
        "training": training,
        "certificate": Certificate.objects.create(
            person=people["coordinator_nord"],
            series=training,
            holder_name="Koordinatorin Nord",
            verification_code="ABCD2345",
            hours=48,
        ),
    }


def test_every_url_of_our_apps_is_in_the_matrix():
    assert set(our_url_names()) - set(MATRIX) == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_status(client, world, name, role):
    build_args, expected_by_role = MATRIX[name]
    url = reverse(name, args=build_args(world) if build_args else None)
    if role != "anonymous":
        client.force_login(world["people"][role])

    response = client.post(url) if name in POST_ONLY else client.get(url)

    expected = expected_by_role[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["anonymous", "coordinator_nord", "admin"])
def test_no_url_of_the_site_answers_with_a_server_error(client, world, role):
    """allauth's and the admin's pages included: walk every GET-able URL without arguments."""
    if role != "anonymous":
        client.force_login(world["people"][role])
    failures = []
    for url in all_plain_urls():
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert failures == []


def all_plain_urls(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_plain_urls(entry, prefix + route.lstrip("^"))
        elif "<" not in route and "(" not in route and "logout" not in route:
            yield prefix + route.lstrip("^").rstrip("$")


# Writing through a page one may not read ---------------------------------------------------------

OUR_APPS = ["accounts", "places", "events", "consultations"]
REFUSED = {404, LOGIN}


def rows_of_our_apps():
    """Every row of every model of our apps (many-to-many tables included), in a fixed order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def assert_refused(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        # A view that only answers GET may refuse the POST as a method (405): also a refusal.
        assert response.status_code in {404, 405}


@pytest.mark.parametrize(
    "name", sorted(name for name, (_, by_role) in MATRIX.items() if REFUSED & set(by_role.values()))
)
def test_roles_that_may_not_read_a_page_cannot_post_to_it_either(world, name, mailoutbox):
    """For each role the matrix refuses, a POST is refused as well and changes no row."""
    build_args, expected_by_role = MATRIX[name]
    url = reverse(name, args=build_args(world) if build_args else None)
    clients = {}
    for role, expected in expected_by_role.items():
        if expected in REFUSED:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(world["people"][role])
    # After the logins, which write last_login.
    before = rows_of_our_apps()

    for role, client in clients.items():
        response = client.post(url, {"action": "cancel", "confirm": "1"})

        assert_refused(response, expected_by_role[role])
        assert rows_of_our_apps() == before, role
    assert mailoutbox == []


def test_the_row_comparison_notices_a_change(world):
    before = rows_of_our_apps()

    world["shelter_nord"].residents = (world["shelter_nord"].residents or 0) + 1
    world["shelter_nord"].save(update_fields=["residents"])

    assert rows_of_our_apps() != before


# Object level: valid forms posted to another shelter's or region's objects -----------------------


def as_submitted(form, **changes):
    """What a browser sends for `form` as it is shown, with `changes` on top."""
    data = {}
    for field in form:
        if isinstance(field.field, forms.FileField):
            continue
        value = field.value()
        if value is None or value is False or value == []:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(getattr(value, "pk", value))
    data.update(changes)
    return data


def form_shown_to(person, url):
    client = Client()
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


def post_as(person, url, data):
    client = Client()
    client.force_login(person)
    return client.post(url, data)


def test_a_coordinator_of_shelter_west_cannot_edit_shelter_nord(world):
    people, shelter = world["people"], world["shelter_nord"]
    url = reverse("places:shelter_edit", args=[shelter.pk])
    data = as_submitted(form_shown_to(people["coordinator_nord"], url), residents="321")

    refused = post_as(people["coordinator_west"], url, data)
    shelter.refresh_from_db()
    assert refused.status_code == 404
    assert shelter.residents != 321

    # The same form from her own coordinator goes through: the refusal was about who posted.
    assert post_as(people["coordinator_nord"], url, data).status_code == 302
    shelter.refresh_from_db()
    assert shelter.residents == 321


def test_a_coordinator_who_left_shelter_nord_can_no_longer_edit_it(world):
    people, shelter = world["people"], world["shelter_nord"]
    url = reverse("places:shelter_edit", args=[shelter.pk])
    data = as_submitted(form_shown_to(people["coordinator_nord"], url), residents="321")
    position = world["position_nord"]
    position.ends_on = datetime.date.today() - datetime.timedelta(days=1)
    position.save(update_fields=["ends_on"])

    response = post_as(people["coordinator_nord"], url, data)

    shelter.refresh_from_db()
    assert response.status_code == 404
    assert shelter.residents != 321


def test_regional_west_cannot_edit_a_consultation_of_region_nord(world):
    people, consultation = world["people"], world["consultation_nord"]
    url = reverse("consultations:edit", args=[consultation.pk])
    data = as_submitted(
        form_shown_to(people["regional_nord"], url), next_steps="Von West überschrieben."
    )

    refused = post_as(people["regional_west"], url, data)
    consultation.refresh_from_db()
    assert refused.status_code == 404
    assert consultation.next_steps != "Von West überschrieben."

    assert post_as(people["regional_nord"], url, data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.next_steps == "Von West überschrieben."


def test_regional_west_cannot_schedule_a_consultation_request_of_region_nord(world, mailoutbox):
    people, request = world["people"], world["request_nord"]
    url = reverse("consultations:request_schedule", args=[request.pk])
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    data = {"date": next_week.isoformat(), "time": "10:30"}

    refused = post_as(people["regional_west"], url, data)
    request.refresh_from_db()
    assert refused.status_code == 404
    assert request.scheduled_for is None
    assert mailoutbox == []

    assert post_as(people["regional_nord"], url, data).status_code == 302
    request.refresh_from_db()
    assert request.scheduled_for is not None


@pytest.fixture
def coordinator_of_another_nord_shelter(world):
    """Same region as shelter Nord, different shelter: region is not what opens a consultation."""
    person = UserFactory(email="eak-nord-2@example.org")
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=District.objects.get(number="01")), person=person
    )
    return person


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("consultations:shelter_timeline", lambda w: [w["shelter_nord"].pk]),
        ("consultations:person_timeline", lambda w: [w["people"]["coordinator_nord"].pk]),
        ("consultations:detail", lambda w: [w["consultation_nord"].pk]),
        ("consultations:request_detail", lambda w: [w["request_nord"].pk]),
    ],
)
@pytest.mark.parametrize("reader", ["coordinator_west", "another_nord_coordinator"])
def test_a_coordinator_cannot_read_another_shelters_consultations(
    world, coordinator_of_another_nord_shelter, name, args, reader
):
    person = (
        coordinator_of_another_nord_shelter
        if reader == "another_nord_coordinator"
        else world["people"][reader]
    )
    client = Client()
    client.force_login(person)

    response = client.get(reverse(name, args=args(world)))

    assert response.status_code == 404
    assert world["consultation_nord"].next_steps not in response.text


@pytest.mark.parametrize("reader", ["coordinator_west", "another_nord_coordinator"])
def test_another_shelters_consultations_are_not_in_a_coordinators_list(
    world, coordinator_of_another_nord_shelter, reader
):
    person = (
        coordinator_of_another_nord_shelter
        if reader == "another_nord_coordinator"
        else world["people"][reader]
    )
    client = Client()
    client.force_login(person)

    own = client.get(reverse("consultations:list"))
    nord = Client()
    nord.force_login(world["people"]["coordinator_nord"])

    assert own.status_code == 200
    assert reverse("consultations:detail", args=[world["consultation_nord"].pk]) not in own.text
    # The consulted coordinator does see it: the list would show it if it leaked.
    assert reverse("consultations:detail", args=[world["consultation_nord"].pk]) in (
        nord.get(reverse("consultations:list")).text
    )


# What each role sees of the coordinators, page by page -------------------------------------------

COORDINATOR_DATA = {
    "name": "Carla Kollegin",
    "email": "carla.kollegin@traeger.example.org",
    "hours": "37,5",
    "past": "Paula Vorgängerin",
}
CONTACT = frozenset({"name", "email"})
EVERYTHING = frozenset(COORDINATOR_DATA)
NOTHING = frozenset()
SEEN_ON_SHELTER_DETAIL = {
    "anonymous": NOTHING,
    "volunteer": NOTHING,
    "partner": NOTHING,
    "coordinator_nord": CONTACT,
    "coordinator_west": CONTACT,
    "regional_nord": EVERYTHING,
    "regional_west": CONTACT,
    "admin": EVERYTHING,
}
# url name -> (args builder, what each role sees there)
COORDINATOR_DATA_PAGES = {
    "places:shelter_detail": (lambda w: [w["shelter_nord"].pk], SEEN_ON_SHELTER_DETAIL),
    "places:shelter_list": (None, dict.fromkeys(ROLES, NOTHING)),
    "places:shelter_map": (None, dict.fromkeys(ROLES, NOTHING)),
    "places:region_detail": (lambda w: ["nord"], dict.fromkeys(ROLES, NOTHING)),
    # Anonymous visitors are sent to the login page, which has nothing to compare.
    "core:dashboard": (None, dict.fromkeys(ROLES[1:], NOTHING)),
    # Names only: the timeline shows neither e-mails nor hours.
    "consultations:shelter_timeline": (
        lambda w: [w["shelter_nord"].pk],
        {
            "coordinator_nord": {"name"},
            "regional_nord": {"name", "past"},
            "admin": {"name", "past"},
        },
    ),
}


@pytest.fixture
def colleague_nord(world):
    """A second current coordinator of shelter Nord and a predecessor, with distinct hours:
    nobody in ROLES is either, so their names in a page come from the page, not the header."""
    from decimal import Decimal

    shelter = world["shelter_nord"]
    CoordinatorPositionFactory(
        shelter=shelter,
        person=UserFactory(full_name="Paula Vorgängerin", email="paula@traeger.example.org"),
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        hours_per_week=Decimal("12.5"),
    )
    return CoordinatorPositionFactory(
        shelter=shelter,
        person=UserFactory(full_name=COORDINATOR_DATA["name"], email=COORDINATOR_DATA["email"]),
        hours_per_week=Decimal("37.5"),
    )


def seen_by(client, world, role, url):
    if role != "anonymous":
        client.force_login(world["people"][role])
    response = client.get(url)
    assert response.status_code == 200
    return {item for item, text in COORDINATOR_DATA.items() if text in response.text}


@pytest.mark.parametrize(
    ("name", "role"),
    [(name, role) for name, (_, by_role) in COORDINATOR_DATA_PAGES.items() for role in by_role],
)
def test_each_role_sees_exactly_the_coordinator_data_it_may(
    client, world, colleague_nord, name, role
):
    build_args, seen_by_role = COORDINATOR_DATA_PAGES[name]
    url = reverse(name, args=build_args(world) if build_args else None)

    assert seen_by(client, world, role, url) == seen_by_role[role]


@pytest.mark.parametrize("role", ROLES)
def test_an_opted_in_work_contact_is_shown_to_every_role_without_hours_or_history(
    client, world, colleague_nord, role, django_assert_max_num_queries
):
    colleague_nord.public_contact = True
    colleague_nord.save(update_fields=["public_contact"])
    url = reverse("places:shelter_detail", args=[world["shelter_nord"].pk])

    assert seen_by(client, world, role, url) == SEEN_ON_SHELTER_DETAIL[role] | CONTACT


# Session and roles, the shelter, its posts, its regions with their coordinators; then whether
# the viewer may edit it (coordinators, staff) and end its posts (staff).
SHELTER_DETAIL_QUERIES = {
    "anonymous": 4,
    "volunteer": 8,
    "partner": 8,
    "coordinator_nord": 9,
    "coordinator_west": 9,
    "regional_nord": 10,
    "regional_west": 10,
    "admin": 10,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_shelter_detail_costs_the_same_queries_for_each_role_whatever_its_history(
    client, world, colleague_nord, role, django_assert_max_num_queries
):
    url = reverse("places:shelter_detail", args=[world["shelter_nord"].pk])
    if role != "anonymous":
        client.force_login(world["people"][role])
    before = count_queries(client, url)
    for year in range(2005, 2017):
        CoordinatorPositionFactory(
            shelter=world["shelter_nord"],
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
    CoordinatorPositionFactory(shelter=world["shelter_nord"], public_contact=True)

    with django_assert_max_num_queries(SHELTER_DETAIL_QUERIES[role]):
        after = count_queries(client, url)

    assert after == before


def count_queries(client, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the anonymous page cache would answer without a query
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
