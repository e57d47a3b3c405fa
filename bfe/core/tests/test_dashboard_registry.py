"""The start page's registry: apps add sections and shortcuts; core knows none of them."""

import ast
from pathlib import Path

import pytest

from bfe.accounts.models import Roles
from bfe.core import dashboard
from bfe.core.dashboard import DashboardSection, Shortcut

CAPABILITIES = {"events", "consultations", "materials", "network", "volunteering", "reports", "api"}


def section(key, order, applies_to, **kwargs):
    return DashboardSection(
        key=key,
        order=order,
        title=key,
        applies_to=applies_to,
        template="core/empty.html",
        context=lambda user, roles: {"key": key},
        **kwargs,
    )


@pytest.fixture
def registered():
    """Registers sections for the test and removes them afterwards."""
    keys = []

    def add(item):
        keys.append(item.key)
        if isinstance(item, Shortcut):
            return dashboard.register_shortcut(item)
        return dashboard.register(item)

    yield add
    for key in keys:
        dashboard.unregister(key)


class Person:
    """A user object whose roles are given, so that no database is needed."""

    is_authenticated = True

    def __init__(self, roles):
        self.roles = roles


# The apps' own sections for a partner run too (volunteering's counts read the database).
@pytest.mark.django_db
def test_sections_come_in_their_order_for_the_roles_they_apply_to(registered):
    registered(section("test.late", -50, lambda roles: True))
    registered(section("test.early", -100, lambda roles: True))
    registered(section("test.admins_only", -75, lambda roles: roles.is_admin))
    person = Person(Roles(is_authenticated=True, is_partner=True))

    keys = [s.key for s in dashboard.sections_for(person) if s.key.startswith("test.")]

    assert keys == ["test.early", "test.late"]


def test_a_section_gets_its_data_from_its_own_context_function(registered):
    registered(section("test.data", -100, lambda roles: True, wide=True))
    person = Person(Roles(is_authenticated=True))

    (rendered,) = [s for s in dashboard.sections_for(person) if s.key == "test.data"]

    assert rendered.data == {"key": "test.data"}
    assert rendered.wide is True
    assert rendered.anchor == "start-test-data"


def test_another_section_under_a_taken_key_is_refused(registered):
    registered(section("test.taken", 1, lambda roles: True))

    with pytest.raises(ValueError, match=r"test\.taken"):
        dashboard.register(section("test.taken", 2, lambda roles: True))


def test_registering_the_same_section_twice_keeps_one(registered):
    same = section("test.twice", 1, lambda roles: True)
    registered(same)
    dashboard.register(same)

    assert [s.key for s in dashboard.registered_sections()].count("test.twice") == 1


def test_shortcuts_are_chosen_by_roles_and_ordered(registered):
    registered(Shortcut("test.b", -1, "B", "core:dashboard", lambda roles: True))
    registered(Shortcut("test.a", -2, "A", "core:dashboard", lambda roles: True))
    registered(Shortcut("test.staff", -3, "S", "core:dashboard", lambda roles: roles.is_bfe_staff))
    person = Person(Roles(is_authenticated=True, is_volunteer=True))

    keys = [s.key for s in dashboard.shortcuts_for(person) if s.key.startswith("test.")]

    assert keys == ["test.a", "test.b"]


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_core_imports_no_capability():
    core = Path(dashboard.__file__).parent
    offending = [
        (path.name, module)
        for path in core.glob("*.py")
        for module in _imported_modules(path)
        if module.startswith("bfe.") and module.split(".")[1] in CAPABILITIES
    ]

    assert offending == []


def test_every_app_with_a_start_page_part_registers_it_when_django_starts():
    keys = {s.key for s in dashboard.registered_sections()}

    assert {
        "events.next_jour_fixe",
        "events.registrations",
        "events.training",
        "events.region_jours_fixes",
        "events.week",
        "consultations.next_steps",
        "consultations.open_requests",
        "consultations.follow_ups",
        "consultations.outreach",
        "consultations.vacancies",
        "places.shelters",
        "places.welcome",
    } <= keys


@pytest.mark.django_db
def test_a_section_with_cache_apps_reads_its_data_once_per_person_until_the_app_changes(
    registered,
):
    from bfe.accounts.tests.factories import UserFactory
    from bfe.places.tests.factories import ShelterFactory

    calls = []

    def context(user, roles):
        calls.append(user.pk)
        return {"user": user.pk, "call": len(calls)}

    registered(
        DashboardSection(
            key="test.cached",
            order=1,
            title="cached",
            applies_to=lambda roles: True,
            template="core/empty.html",
            context=context,
            cache_apps=("places",),
        )
    )
    anna, ben = UserFactory(), UserFactory()

    first = dashboard.sections_for(anna)[0].data
    again = dashboard.sections_for(anna)[0].data
    other = dashboard.sections_for(ben)[0].data
    ShelterFactory()
    after_write = dashboard.sections_for(anna)[0].data

    assert first == again == {"user": anna.pk, "call": 1}
    assert other == {"user": ben.pk, "call": 2}
    assert after_write == {"user": anna.pk, "call": 3}


@pytest.mark.django_db
def test_a_cached_section_is_read_again_when_roles_may_have_changed(registered):
    from bfe.accounts.tests.factories import UserFactory

    calls = []
    registered(
        DashboardSection(
            key="test.cached_events",
            order=1,
            title="cached",
            applies_to=lambda roles: True,
            template="core/empty.html",
            context=lambda user, roles: {"call": calls.append(1) or len(calls)},
            cache_apps=("events",),
        )
    )
    anna = UserFactory()

    dashboard.sections_for(anna)
    UserFactory()  # a write to accounts, where roles come from
    after = dashboard.sections_for(anna)[0].data

    assert after == {"call": 2}
