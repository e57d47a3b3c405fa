"""At the door on a phone: an organiser checks people in with one tap each and adds a walk-in."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core.tests.browser import sign_in
from bfe.events.models import Registration
from bfe.events.tests.factories import (
    DocumentFactory,
    GuestRegistrationFactory,
    JourFixeFactory,
    RegistrationFactory,
)
from bfe.places.tests.factories import berlin_region

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def running_event():
    organiser = UserFactory(email="nord@example.org", full_name="Nora Nord")
    EmailAddress.objects.create(user=organiser, email=organiser.email, verified=True, primary=True)
    RoleFactory(user=organiser, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    now = timezone.now()
    event = JourFixeFactory(
        title="Jour fixe Nord im Rathaus",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
        organisers=[organiser],
    )
    for name in ("Anna Albrecht", "Bilal Berger", "Chiara Costa", "Dmytro Danylenko"):
        RegistrationFactory(event=event, person=UserFactory(full_name=name))
    GuestRegistrationFactory(event=event, guest_name="Erika Extern")
    return event


def test_an_organiser_checks_in_two_people_and_a_walk_in_on_a_phone(page, axe, running_event):
    page.set_viewport_size(PHONE)
    sign_in(page, "nord@example.org")

    page.goto(f"/veranstaltungen/{running_event.pk}/einlass/")
    counts = page.locator("#check-in-counts")
    expect(counts).to_contain_text("0 von 5 da")
    anna = page.get_by_role("button", name="Anna Albrecht")
    box = anna.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300  # a big tap target

    anna.click()
    expect(anna).to_have_attribute("aria-pressed", "true")
    expect(counts).to_contain_text("1 von 5 da")
    page.get_by_role("button", name="Erika Extern").click()
    expect(page.get_by_role("button", name="Erika Extern")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(counts).to_contain_text("2 von 5 da")
    # htmx swapped rows in place: still the same page, nothing reloaded.
    assert page.url.endswith("/einlass/")

    walk_in = page.locator("#walk-in")
    walk_in.get_by_label("Name").fill("Fatma Spontan")
    walk_in.get_by_label("Organisation/Unterkunft").fill("Nachbarschaftshaus Pankow")
    walk_in.get_by_role("button", name="Hinzufügen").click()

    expect(
        page.get_by_text("Fatma Spontan ist als spontan dazugekommen eingetragen.")
    ).to_be_visible()
    expect(page.locator("#check-in-counts")).to_contain_text("3 von 6 da")
    expect(page.get_by_role("button", name="Fatma Spontan")).to_have_attribute(
        "aria-pressed", "true"
    )
    present = Registration.objects.filter(event=running_event, attended=True)
    assert sorted(r.display_name for r in present) == [
        "Anna Albrecht",
        "Erika Extern",
        "Fatma Spontan",
    ]
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe() == []


def test_the_search_narrows_the_list_and_a_tap_there_keeps_the_search(page, running_event):
    page.set_viewport_size(PHONE)
    sign_in(page, "nord@example.org")
    page.goto(f"/veranstaltungen/{running_event.pk}/einlass/")

    page.get_by_label("Name suchen").fill("danyl")
    page.get_by_role("button", name="Suchen").click()

    expect(page.locator(".check-in__person")).to_have_count(1)
    dmytro = page.get_by_role("button", name="Dmytro Danylenko")
    dmytro.click()
    expect(dmytro).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".check-in__person")).to_have_count(1)
    assert "q=danyl" in page.url


def test_the_organisers_pages_meet_wcag_aa_on_a_phone(page, axe, running_event):
    DocumentFactory(event=running_event, text="### Ergebnisse\n\n- **Patenschaften** starten")
    page.set_viewport_size(PHONE)
    sign_in(page, "nord@example.org")

    for path in ("teilnehmende", "dokumente"):
        page.goto(f"/veranstaltungen/{running_event.pk}/{path}/")
        assert axe() == [], path
    page.get_by_role("link", name="Protokoll", exact=True).click()
    expect(page.locator(".minutes strong")).to_have_text("Patenschaften")
    assert axe() == []
