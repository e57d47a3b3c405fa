"""Every URL of the platform, for every role: the status each must get.

A new URL pattern in one of our apps fails `test_every_url_of_our_apps_is_in_the_matrix` until it is
added here, so that nobody ships a page without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bfe.accounts.models import Invitation, Role
from bfe.places.models import District, Region
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    RoleFactory,
    ShelterFactory,
    UserFactory,
)

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
OUR_NAMESPACES = {"core", "places", "accounts", "consultations"}
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
    "places:shelter_detail": (lambda w: [w["shelter_nord"].pk], EVERYONE),
    "places:shelter_edit": (lambda w: [w["shelter_nord"].pk], NORD_EDITORS),
    "places:position_end": (
        lambda w: [w["shelter_nord"].pk, w["position_nord"].pk],
        NORD_STAFF,
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
}


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

    consultation_nord = ConsultationFactory(
        shelter=shelter_nord, region=nord, participants=[people["coordinator_nord"]]
    )
    return {
        "consultation_nord": consultation_nord,
        "attachment_nord": AttachmentFactory(consultation=consultation_nord),
        "request_nord": ConsultationRequestFactory(
            shelter=shelter_nord, region=nord, requested_by=people["coordinator_nord"]
        ),
        "followup_nord": FollowUpFactory(
            region=nord, shelter=shelter_nord, owner=people["regional_nord"]
        ),
        "people": people,
        "shelter_nord": shelter_nord,
        "position_nord": position_nord,
        "invitation": invitation,
        "invitation_token": token,
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
