"""The layout on phones (320 and 390 px) in Debian's Chromium: one tap on the menu button shows
every main item and the sign-in or sign-out, nothing scrolls sideways, and no table cuts a
column off; on a desktop the bar shows everything without a tap.
"""

import pytest

from bfe.accounts.models import Invitation
from bfe.accounts.tests.factories import InvitationFactory
from bfe.core.tests import test_accessibility_roles
from bfe.core.tests.browser import sign_in
from bfe.core.tests.test_keyboard import assert_focus_is_visible, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The people and pages of the roles' axe tests, in region Nord.
world = test_accessibility_roles.world

PHONES = [320, 390]
MAIN_ITEMS = ["Über uns", "Regionen", "Unterkünfte", "Veranstaltungen", "Fortbildungen"]
SIGNED_IN_ITEMS = [*MAIN_ITEMS, "Beratung", "Mein Bereich", "Abmelden"]

# Every cell of every shown table that lies outside the viewport or whose content is wider than
# the cell (which the table or a scrolling wrapper would cut off). Headers that are there only
# for screen readers (clipped to 1 px on purpose) are left out.
CLIPPED_CELLS_JS = """() => {
  const forScreenReaders = (element) => {
    for (let node = element; node; node = node.parentElement) {
      if (getComputedStyle(node).clip.startsWith('rect')) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('main table td, main table th')]
  .filter(cell => cell.getClientRects().length && !forScreenReaders(cell))
  .filter(cell => {
    const box = cell.getBoundingClientRect();
    const outside = box.left < -0.5 || box.right > innerWidth + 0.5;
    return outside || cell.scrollWidth > cell.clientWidth + 1;
  })
  .map(cell => cell.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40));
}"""
SCROLLING_TABLES_JS = """() => [...document.querySelectorAll('main .table-wrap')]
  .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length"""


def _nav_item(page, name):
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    return nav.get_by_role("link", name=name, exact=True).or_(
        nav.get_by_role("button", name=name, exact=True)
    )


def items_out_of_reach(page, names):
    """The items that are not visible or not wholly inside the viewport."""
    size = page.viewport_size
    missing = []
    for name in names:
        item = _nav_item(page, name)
        box = item.bounding_box() if item.count() == 1 and item.is_visible() else None
        inside = box and (
            box["x"] >= 0
            and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"]
        )
        if not inside:
            missing.append(name)
    return missing


def layout_problems(page, axe, path, items):
    """What is wrong with `path` at the current width, after at most one tap on the menu."""
    response = page.goto(path)
    assert (response.status, response.request.redirected_from) == (200, None), path
    menu = page.get_by_role("navigation", name="Hauptnavigation").locator("summary")
    assert menu.is_visible(), "phones get a menu button"
    menu.click()
    problems = {
        "out of reach": items_out_of_reach(page, items),
        "page wider than the screen": page.evaluate(
            "document.scrollingElement.scrollWidth > innerWidth"
        ),
        "clipped cells": page.evaluate(CLIPPED_CELLS_JS),
        "tables scrolling sideways": page.evaluate(SCROLLING_TABLES_JS),
        "axe": axe(),
    }
    return {key: value for key, value in problems.items() if value}


def problems_by_path(page, axe, width, paths, items):
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in paths:
        if problems := layout_problems(page, axe, path, items):
            found[path] = problems
    return found


@pytest.mark.parametrize("width", PHONES)
def test_anonymous_visitors_reach_every_item_and_the_sign_in_on_a_phone(page, axe, world, width):
    paths = ["/", "/regionen/", "/unterkuenfte/", world["shelter"].get_absolute_url()]
    found = problems_by_path(page, axe, width, paths, [*MAIN_ITEMS, "Anmelden"])
    assert found == {}


@pytest.mark.parametrize("width", PHONES)
def test_coordinators_reach_every_item_and_read_every_table_on_a_phone(page, axe, world, width):
    sign_in(page, world["coordinator"].email)
    paths = ["/start/", world["shelter"].get_absolute_url(), world["series"].get_absolute_url()]
    assert problems_by_path(page, axe, width, paths, SIGNED_IN_ITEMS) == {}


@pytest.mark.parametrize("width", PHONES)
def test_regional_coordinators_read_every_table_on_a_phone(page, axe, world, width):
    sign_in(page, world["regional"].email)
    paths = [
        "/start/",
        "/beratung/kontaktliste/",
        "/beratung/protokoll/",
        f"/veranstaltungen/{world['running'].pk}/teilnehmende/",
    ]
    assert problems_by_path(page, axe, width, paths, SIGNED_IN_ITEMS) == {}


@pytest.mark.parametrize("width", PHONES)
def test_admins_read_every_table_on_a_phone(page, axe, world, width):
    InvitationFactory(
        email="neu@example.org", kind=Invitation.Kind.PARTNER, invited_by=world["admin"]
    )
    sign_in(page, world["admin"].email)
    paths = ["/start/", "/einladungen/", "/beratung/zahlen/"]
    assert problems_by_path(page, axe, width, paths, SIGNED_IN_ITEMS) == {}


def test_the_desktop_bar_shows_every_item_without_a_menu_button(page, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/regionen/")
    nav = page.get_by_role("navigation", name="Hauptnavigation")

    assert not nav.locator("summary").is_visible()
    assert items_out_of_reach(page, [*MAIN_ITEMS, "Anmelden"]) == []


def test_the_menu_opens_with_the_keyboard_and_shows_its_focus(page, world):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/regionen/")
    assert not _nav_item(page, "Regionen").is_visible()

    tab_to(page, "Menü")  # asserts a visible focus ring
    page.keyboard.press("Enter")

    assert items_out_of_reach(page, [*MAIN_ITEMS, "Anmelden"]) == []
    tab_to(page, "Über uns")
    assert_focus_is_visible(page)


def test_the_menu_button_is_the_only_way_in_on_a_phone_and_stays_closed_until_tapped(page, world):
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/")
    assert items_out_of_reach(page, MAIN_ITEMS) == MAIN_ITEMS  # closed: the page starts at once
    page.get_by_role("navigation", name="Hauptnavigation").locator("summary").click()
    assert items_out_of_reach(page, MAIN_ITEMS) == []
