"""The keyboard in Debian's Chromium: registering for an event with it alone, and a visible
focus at every stop of the Tab order.

Elements are reached by pressing Tab until they have the focus, never by clicking, and at every
step the focus must be visible: a ring of at least 2 px whose colour stands out 3:1 from what
surrounds it (WCAG 2.4.7 and 1.4.11).
"""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core.tests.browser import sign_in
from bfe.events.models import Registration
from bfe.events.tests.factories import EventFactory, JourFixeFactory
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_TABS = 60

# The accessible name of the focused element, roughly: its label, or else its text.
FOCUSED_NAME_JS = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels.length ? element.labels[0] : element;
  return label.textContent.replace(/\\s+/g, ' ').trim();
}"""

# How the focused element is drawn: its outline, its box-shadow rings, and the colour behind it.
FOCUS_STYLE_JS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let backdrop = 'rgb(255, 255, 255)';
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(colour)) { backdrop = colour; break; }
  }
  return {
    tag: element.tagName,
    // Past a date field's last part the browser focuses its own calendar button and draws
    // the ring itself; the field no longer matches :focus-visible.
    pickerButton: element.matches('input[type=date], input[type=time], input[type=datetime-local]')
      && !element.matches(':focus-visible'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    backdrop: backdrop,
  };
}"""
SHADOW = re.compile(r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px")


def _rgb(colour):
    return [float(part) for part in re.findall(r"[\d.]+", colour)[:3]]


def _luminance(colour):
    channels = [c / 255 for c in _rgb(colour)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_rings(style):
    """The colours of the rings drawn around the focused element, 2 px wide or more."""
    rings = []
    if style["outlineStyle"] != "none" and style["outlineWidth"] >= 2:
        rings.append(style["outlineColor"])
    for colour, x, y, _blur, spread in SHADOW.findall(style["boxShadow"]):
        if float(spread) >= 2 and float(x) == float(y) == 0:
            rings.append(colour)
    return rings


def ring_contrast(style):
    """The best contrast of a focus ring with what surrounds it; 0 without a ring."""
    return max((contrast(ring, style["backdrop"]) for ring in focus_rings(style)), default=0)


def assert_focus_is_visible(page):
    style = page.evaluate(FOCUS_STYLE_JS)
    assert style["tag"] != "BODY", "the focus was lost"
    assert ring_contrast(style) >= 3, f"faint focus on {page.evaluate(FOCUSED_NAME_JS)!r}: {style}"


def tab_to(page, name, *, key="Tab"):
    """Presses Tab (or Shift+Tab) until the element named `name` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_NAME_JS).startswith(name):
            assert_focus_is_visible(page)
            return
    pytest.fail(f"{name!r} not reached with {MAX_TABS} presses of {key}")


def test_a_coordinator_registers_for_a_jour_fixe_with_the_keyboard_alone(page, axe):
    event = JourFixeFactory(title="Jour fixe Nord im Rathaus", capacity=10)
    coordinator = UserFactory(email="eva@example.org", full_name="Eva Ehrenamt")
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True)
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=coordinator
    )
    sign_in(page, coordinator.email)
    page.goto("/veranstaltungen/")

    tab_to(page, "Jour fixe Nord im Rathaus")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{event.get_absolute_url()}")

    tab_to(page, "Jetzt anmelden")
    page.keyboard.press("Space")

    box = page.locator("#registration-box")
    expect(box).to_contain_text("Sie sind angemeldet")
    # The confirmation takes the focus, so that the keyboard goes on from there.
    assert page.evaluate(FOCUSED_NAME_JS).startswith("Sie sind angemeldet. Die Bestätigung")
    assert_focus_is_visible(page)
    assert axe() == []  # the box as htmx swapped it in
    registration = Registration.objects.get(event=event)
    assert (registration.person, registration.status) == (coordinator, "confirmed")


def test_a_guest_registers_for_a_workshop_with_the_keyboard_alone(page, axe, mailoutbox):
    workshop = EventFactory(title="Werkstatt Engagement im Sozialraum")
    page.goto(workshop.get_absolute_url())

    tab_to(page, "Als Gast anmelden")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/veranstaltungen/{workshop.pk}/gast/")

    tab_to(page, "Vor- und Nachname")
    page.keyboard.type("Gisela Gast")
    tab_to(page, "E-Mail-Adresse")
    page.keyboard.type("gisela@example.org")
    # The order runs backwards as well: Shift+Tab returns to the name.
    tab_to(page, "Vor- und Nachname", key="Shift+Tab")
    tab_to(page, "Organisation oder Institution")
    page.keyboard.type("Bezirksamt Pankow")
    tab_to(page, "Ich bin mit der Speicherung")
    page.keyboard.press("Space")
    expect(page.get_by_label("Ich bin mit der Speicherung")).to_be_checked()
    tab_to(page, "Anmeldung absenden")
    page.keyboard.press("Enter")

    page.wait_for_url("**/gast/?gesendet=1")
    expect(page.locator("h1")).to_have_text("Fast geschafft: Bitte schauen Sie in Ihr Postfach")
    assert axe() == []
    guest = Registration.objects.get(event=workshop)
    assert (guest.guest_name, guest.guest_email, guest.guest_organisation) == (
        "Gisela Gast",
        "gisela@example.org",
        "Bezirksamt Pankow",
    )
    assert [mail.to for mail in mailoutbox] == [["gisela@example.org"]]
    tab_to(page, "Zurück zur Veranstaltung")


def walk_the_tab_order(page, path):
    """Tabs through the page from the top; returns the number of stops and the faint ones."""
    page.goto(path)
    stops, faint = 0, []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE_JS)
        if style["tag"] == "BODY":  # past the last element
            break
        stops += 1
        if not style["pickerButton"] and ring_contrast(style) < 3:
            faint.append(page.evaluate(FOCUSED_NAME_JS))
    return stops, faint


def test_every_stop_of_the_tab_order_shows_a_focus_ring_that_stands_out(page, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    shelter = ShelterFactory(district=berlin_district("01"))
    workshop = EventFactory(title="Werkstatt Engagement im Sozialraum")
    nora = UserFactory(email="nord@example.org")
    EmailAddress.objects.create(user=nora, email=nora.email, verified=True)
    RoleFactory(user=nora, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    walks = {
        path: walk_the_tab_order(page, path)
        for path in [
            "/",
            "/unterkuenfte/",
            workshop.get_absolute_url(),
            f"{workshop.get_absolute_url()}gast/",
        ]
    }
    sign_in(page, nora.email)
    log_form = f"/beratung/protokoll/neu/?shelter={shelter.pk}"
    walks[log_form] = walk_the_tab_order(page, log_form)

    assert {path: faint for path, (_stops, faint) in walks.items() if faint} == {}
    assert min(stops for stops, _faint in walks.values()) >= 10, walks  # it walked each page
