"""The start page's registry: capabilities contribute sections and shortcuts, `core` knows none.

An app registers in its own `dashboard.py`, imported from its `AppConfig.ready()`:

    register(DashboardSection(key="events.next_jour_fixe", order=10, title=_("…"),
             applies_to=lambda roles: roles.is_coordinator,
             template="events/dashboard/next_jour_fixe.html",
             context=lambda user, roles: selectors.next_jour_fixe_for_start(user)))

`applies_to` only chooses which sections a person gets; what a section shows is scoped by the
app's own selectors (`visible_to` …), so a section never relies on being hidden from someone.
Each context function runs a fixed number of queries, whatever the amount of data.

A section whose data changes seldom names the apps it reads in `cache_apps`: its context is then
kept per person, language and day in the shared cache (bfe/core/fragments.py) until any of
those apps, or those her roles come from, is written to. Only for data without personal
records of others (no user rows): what goes into the cache must be fit to sit there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from bfe.accounts.models import Roles

from . import fragments


@dataclass(frozen=True)
class DashboardSection:
    """One block of the start page. `template` is rendered with the context's result as
    `data`; `title` is the section's heading."""

    key: str
    order: int
    title: Any
    applies_to: Callable[[Roles], bool]
    template: str
    context: Callable[[Any, Roles], dict]
    # Wide sections (long lists, tables) span the whole page instead of one column.
    wide: bool = False
    # App labels whose data the context reads: cached until one of them changes (see above).
    cache_apps: tuple = ()

    def data_for(self, user, roles):
        if not self.cache_apps:
            return self.context(user, roles)
        return fragments.cached(
            f"start:{self.key}",
            lambda: self.context(user, roles),
            # A change of her roles changes what she may see.
            apps=tuple(dict.fromkeys((*self.cache_apps, *Roles.SOURCE_APPS))),
            vary=(user.pk, get_language(), timezone.localdate().isoformat()),
        )


@dataclass(frozen=True)
class Shortcut:
    """A link card to a workspace, with a line of text or of further links."""

    key: str
    order: int
    title: Any
    url_name: str
    applies_to: Callable[[Roles], bool]
    text: Any = ""
    # (label, url name) pairs shown under the title.
    links: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: Any
    template: str
    data: dict
    wide: bool = False

    @property
    def anchor(self):
        """An HTML id for the section: "start-events-next-jour-fixe"."""
        return "start-" + self.key.replace(".", "-").replace("_", "-")


_sections: dict[str, DashboardSection] = {}
_shortcuts: dict[str, Shortcut] = {}


def _add(registry, item):
    # Re-registering the very same object is harmless (a module imported twice); another one
    # under a taken key is a mistake that would silently hide a section.
    existing = registry.get(item.key)
    if existing is not None and existing != item:
        raise ValueError(f"A start-page entry with the key {item.key!r} is registered already.")
    registry[item.key] = item
    return item


def register(section):
    """Adds a section to the start page; returns it."""
    return _add(_sections, section)


def register_shortcut(shortcut):
    """Adds a workspace shortcut to the start page; returns it."""
    return _add(_shortcuts, shortcut)


def unregister(key):
    """Removes a section or shortcut (for tests and for apps that replace one)."""
    _sections.pop(key, None)
    _shortcuts.pop(key, None)


def registered_sections():
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def sections_for(user):
    """The person's sections in their order, each with its data loaded."""
    roles = Roles.of(user)
    return [
        RenderedSection(s.key, s.title, s.template, s.data_for(user, roles), s.wide)
        for s in registered_sections()
        if s.applies_to(roles)
    ]


def shortcuts_for(user):
    """The person's shortcuts in their order (no query beyond her roles)."""
    roles = Roles.of(user)
    shortcuts = sorted(_shortcuts.values(), key=lambda s: (s.order, s.key))
    return [s for s in shortcuts if s.applies_to(roles)]
