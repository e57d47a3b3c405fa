"""The start page's one-click registration in Debian's Chromium, with and without JavaScript."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from bfe.accounts.tests.factories import UserFactory
from bfe.core.tests.browser import sign_in
from bfe.events.models import Registration
from bfe.events.tests.factories import JourFixeFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def coordinator(email):
    person = UserFactory(email=email, full_name="Anna Arndt")
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=person
    )
    return person


def test_coordinator_registers_for_her_next_jour_fixe_from_the_start_page(page, axe):
    event = JourFixeFactory(title="Jour fixe Nord im Dezember")
    person = coordinator("anna@example.org")
    sign_in(page, "anna@example.org")
    page.goto("/start/")
    section = page.locator("#start-events-next-jour-fixe")
    expect(section).to_contain_text("Jour fixe Nord im Dezember")

    section.get_by_role("button", name="Jetzt anmelden").click()

    expect(section).to_contain_text("Sie sind angemeldet")
    assert page.url.endswith("/start/")
    assert Registration.objects.get(event=event, person=person).status == "confirmed"
    assert axe() == []


def test_registering_from_the_start_page_works_without_javascript(page, live_server):
    event = JourFixeFactory(title="Jour fixe Nord im Dezember")
    person = coordinator("anna@example.org")
    # A second context of the same browser (the `page` fixture skips where Chromium is missing).
    context = page.context.browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="de-DE"
    )
    plain = context.new_page()
    try:
        sign_in(plain, "anna@example.org")
        plain.goto("/start/")
        section = plain.locator("#start-events-next-jour-fixe")
        section.get_by_role("button", name="Jetzt anmelden").click()
        plain.wait_for_load_state()

        assert plain.url.endswith("/start/")
        expect(plain.locator(".messages")).to_contain_text("Sie sind angemeldet.")
        expect(section).to_contain_text("Sie sind angemeldet")
    finally:
        context.close()
    assert Registration.objects.filter(event=event, person=person).exists()
