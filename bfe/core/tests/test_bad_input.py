"""Bad input that every page shares: numbers in URLs too large for any database column, and
text in URLs that no database takes (NUL bytes, which PostgreSQL refuses in a query)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, StringConverter

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_district, berlin_region

pytestmark = pytest.mark.django_db

# One more than the largest 64-bit integer, and a number of no column at all.
TOO_LARGE = [2**63, 10**30]


def _patterns_with(converter, resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns_with(converter, entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            # Exactly this converter: a slug converter is a string converter too.
            if converters and all(type(c) is converter for c in converters.values()):
                yield f"{namespace}{entry.name}", tuple(converters)


NUMBERED_URLS = sorted(set(_patterns_with(IntConverter)))
TEXT_URLS = sorted(set(_patterns_with(StringConverter)))


def _person(who):
    person = UserFactory()
    if who == "admin":
        RoleFactory(user=person, kind=Role.Kind.ADMIN)
    elif who == "regional":
        RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    else:
        CoordinatorPositionFactory(person=person, shelter__district=berlin_district("01"))
    return person


def test_the_pages_with_numbers_in_their_address_are_all_found():
    names = {name for name, _args in NUMBERED_URLS}
    assert {"events:unregister", "consultations:attachment", "places:shelter_edit"} <= names


@pytest.mark.parametrize("who", ["admin", "regional", "coordinator"])
@pytest.mark.parametrize("number", TOO_LARGE)
def test_numbers_too_large_for_the_database_are_not_found_on_any_page(
    client, settings, who, number
):
    settings.BFE_REQUIRE_STAFF_2FA = False
    client.force_login(_person(who))
    # Collect every crash rather than stop at the first, so that one run lists them all.
    client.raise_request_exception = False
    failures = []
    for name, args in NUMBERED_URLS:
        url = reverse(name, kwargs=dict.fromkeys(args, number))
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code not in {302, 403, 404, 405}:
                failures.append((method.__name__, url, response.status_code))
    assert failures == []


def test_the_pages_with_text_in_their_address_are_all_found():
    names = {name for name, _args in TEXT_URLS}
    assert {"events:certificate_verify", "events:guest_manage", "accounts:invitation_accept"} <= (
        names
    )


@pytest.mark.parametrize("who", ["anonymous", "admin", "coordinator"])
@pytest.mark.parametrize("text", ["a\x00b", "\x00", "x" * 3000, "‮مرحبا🏠", "%00", ".."])
def test_text_no_database_takes_is_not_found_on_any_page(client, settings, who, text):
    settings.BFE_REQUIRE_STAFF_2FA = False
    if who != "anonymous":
        client.force_login(_person(who))
    client.raise_request_exception = False
    failures = []
    for name, args in TEXT_URLS:
        url = reverse(name, kwargs=dict.fromkeys(args, text))
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code not in {302, 404, 405}:
                failures.append((method.__name__, url, response.status_code))
    assert failures == []
