"""The registration journey in Debian's Chromium: register, wait, cancel, move up."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from bfe.accounts.tests.factories import UserFactory
from bfe.core.tests.browser import sign_in
from bfe.events.models import Registration
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

from .factories import JourFixeFactory

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def coordinator(email, name):
    person = UserFactory(email=email, full_name=name)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=person
    )
    return person


def sign_out(page):
    page.locator(".site-nav__account").get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()


def test_a_freed_seat_moves_the_waiting_list_up(page, mailoutbox):
    event = JourFixeFactory(title="Jour fixe Nord im Dezember", capacity=1)
    coordinator("anna@example.org", "Anna Arndt")
    coordinator("berta@example.org", "Berta Brandt")
    box = page.locator("#registration-box")

    # Anna takes the only seat with one click (htmx swaps the box in place).
    sign_in(page, "anna@example.org")
    page.goto(event.get_absolute_url())
    expect(box).to_contain_text("Noch 1 von 1 Plätzen frei.")
    box.get_by_role("button", name="Jetzt anmelden").click()
    expect(box).to_contain_text("Sie sind angemeldet")
    sign_out(page)

    # Berta finds the event full and joins the waiting list.
    sign_in(page, "berta@example.org")
    page.goto(event.get_absolute_url())
    box.get_by_role("button", name="Auf die Warteliste setzen").click()
    expect(box).to_contain_text("Warteliste, Platz 1")
    sign_out(page)

    # Anna cancels from "Meine Anmeldungen".
    sign_in(page, "anna@example.org")
    page.goto("/meine-anmeldungen/")
    page.get_by_role("button", name="Teilnahme absagen").click()
    expect(page.get_by_text("Sie haben sich von der Veranstaltung abgemeldet.")).to_be_visible()
    sign_out(page)

    # Berta has moved up, and was told so by e-mail.
    sign_in(page, "berta@example.org")
    page.goto("/meine-anmeldungen/")
    expect(page.locator(".result-list")).to_contain_text("Jour fixe Nord im Dezember")
    expect(page.locator(".result-list .badge")).to_have_text("angemeldet")
    page.goto(event.get_absolute_url())
    expect(box).to_contain_text("Sie sind angemeldet")

    statuses = dict(Registration.objects.values_list("person__email", "status"))
    assert statuses == {"anna@example.org": "cancelled", "berta@example.org": "confirmed"}
    assert [mail.to for mail in mailoutbox if "Platz ist frei" in mail.subject] == [
        ["berta@example.org"]
    ]


def test_registering_works_without_javascript(browser, live_server):
    event = JourFixeFactory(title="Jour fixe ohne JavaScript", capacity=5)
    coordinator("carla@example.org", "Carla Conrad")
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="de-DE"
    )
    page = context.new_page()
    try:
        sign_in(page, "carla@example.org")
        page.goto(event.get_absolute_url())
        page.locator("#registration-box").get_by_role("button", name="Jetzt anmelden").click()
        page.wait_for_load_state()
        expect(page.locator(".messages")).to_contain_text("Sie sind angemeldet.")
        expect(page.locator("#registration-box")).to_contain_text("Sie sind angemeldet")
    finally:
        context.close()


def test_the_registration_pages_meet_wcag_aa(page, axe):
    from bfe.events.services import registration as services

    from .factories import EventFactory

    workshop = EventFactory(title="Werkstatt für Gäste")
    _registration, token = services.register_guest(
        event=workshop, name="Gisela Gast", email="gisela@example.org"
    )
    page.goto(f"/veranstaltungen/{workshop.pk}/gast/")
    assert axe() == []
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.wait_for_load_state()
    assert axe() == []  # with the error messages
    page.goto(f"/veranstaltungen/gast/{token}/")
    assert axe() == []

    person = coordinator("dora@example.org", "Dora Dietz")
    services.register(event=JourFixeFactory(capacity=0), person=person)
    sign_in(page, "dora@example.org")
    page.goto("/meine-anmeldungen/")
    expect(page.get_by_text("Warteliste, Platz 1")).to_be_visible()
    assert axe() == []
