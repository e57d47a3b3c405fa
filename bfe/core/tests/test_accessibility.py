"""WCAG 2.1 AA (axe-core in Chromium) on the foundation's pages, at desktop and phone width."""

import pytest
from allauth.account.models import EmailAddress

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core.tests.browser import sign_in
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def shelter():
    shelter = ShelterFactory(name="GU Am Wiesengrund", district=District.objects.get(number="01"))
    ShelterFactory(district=District.objects.get(number="03"), address_public=True)
    return shelter


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_wcag_violations(page, axe, shelter, width):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    paths = [
        "/",
        "/regionen/",
        "/regionen/nord/",
        "/unterkuenfte/",
        "/unterkuenfte/?district=mitte",
        shelter.get_absolute_url(),
        "/impressum/",
        "/datenschutz/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/gibt-es-nicht/",
    ]
    found = {}
    for path in paths:
        page.goto(path)
        if violations := axe():
            found[path] = violations
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_pages_have_no_wcag_violations(page, axe, shelter, width, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    person = UserFactory()
    RoleFactory(
        user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug="nord")
    )
    RoleFactory(user=person, kind=Role.Kind.ADMIN)
    position = CoordinatorPositionFactory(shelter=shelter)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    sign_in(page, person.email)
    paths = [
        "/start/",
        shelter.get_absolute_url(),
        f"/unterkuenfte/{shelter.pk}/bearbeiten/",
        f"/unterkuenfte/{shelter.pk}/stellen/{position.pk}/beenden/",
        "/einladungen/",
        "/konto/email/",
    ]
    found = {}
    for path in paths:
        page.goto(path)
        if violations := axe():
            found[path] = violations
    assert found == {}


def test_invalid_edit_form_stays_accessible(page, axe, shelter, settings):
    coordinator = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=coordinator)
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    sign_in(page, coordinator.email)
    page.goto(f"/unterkuenfte/{shelter.pk}/bearbeiten/")
    page.get_by_label("Plätze").fill("")
    page.get_by_role("button", name="Speichern").click()

    assert page.locator(".field--invalid").count() >= 1
    assert axe() == []


def test_skip_link_moves_keyboard_focus_to_the_main_content(page):
    page.goto("/unterkuenfte/")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
