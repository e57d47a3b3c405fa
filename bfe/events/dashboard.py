"""The events app's parts of the start page (registered from EventsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, Shortcut, register, register_shortcut

from .selectors import catalog, training
from .views.registration import registration_box_context


def _is_coordinator(roles):
    return roles.is_coordinator


def _is_regional_coordinator(roles):
    return roles.is_regional_coordinator


def _is_admin(roles):
    return roles.is_admin


def next_jour_fixe_context(user, roles):
    event = catalog.next_jour_fixe_for(user)
    if event is None:
        return {"event": None}
    registration = catalog.registration_of(user, event)
    return registration_box_context(user=user, event=event, registration=registration)


def _more(rows, limit):
    return {"rows": rows[:limit], "has_more": len(rows) > limit}


register(
    DashboardSection(
        key="events.next_jour_fixe",
        order=10,
        title=_("Ihr nächster Jour fixe"),
        applies_to=_is_coordinator,
        template="events/dashboard/next_jour_fixe.html",
        context=next_jour_fixe_context,
    )
)
register(
    DashboardSection(
        key="events.registrations",
        order=20,
        title=_("Meine nächsten Anmeldungen"),
        applies_to=_is_coordinator,
        template="events/dashboard/registrations.html",
        context=lambda user, roles: _more(
            catalog.upcoming_registrations_for(user), catalog.START_LIST_LIMIT
        ),
    )
)
register(
    DashboardSection(
        key="events.training",
        order=40,
        title=_("Meine Fortbildung"),
        applies_to=_is_coordinator,
        template="events/dashboard/training.html",
        context=lambda user, roles: {"levels": training.training_summary_for(user)},
    )
)
register(
    DashboardSection(
        key="events.region_jours_fixes",
        order=30,
        title=_("Nächste Jours fixes Ihrer Region"),
        applies_to=_is_regional_coordinator,
        template="events/dashboard/region_jours_fixes.html",
        context=lambda user, roles: {"events": catalog.region_jours_fixes_for(user)},
    )
)
register(
    DashboardSection(
        key="events.week",
        order=5,
        title=_("Veranstaltungen dieser Woche"),
        applies_to=_is_admin,
        template="events/dashboard/week.html",
        context=lambda user, roles: _more(catalog.week_events_for(user), catalog.START_WEEK_LIMIT),
        wide=True,
    )
)

register_shortcut(
    Shortcut(
        key="events.calendar",
        order=30,
        title=_("Veranstaltungen"),
        url_name="events:list",
        applies_to=lambda roles: roles.is_bfe_staff,
        links=(
            (_("Veranstaltung anlegen"), "events:create"),
            (_("Jour-fixe-Reihe planen"), "events:series_create"),
        ),
    )
)
register_shortcut(
    Shortcut(
        key="events.training",
        order=50,
        title=_("Fortbildungen"),
        url_name="events:training_list",
        applies_to=_is_coordinator,
        text=_("Basis und Aufbau: Einschreibung, Fortschritt, Bescheinigung."),
    )
)
register_shortcut(
    Shortcut(
        key="events.my_registrations",
        order=80,
        title=_("Meine Anmeldungen"),
        url_name="events:my_registrations",
        applies_to=lambda roles: roles.is_authenticated,
        text=_("Termine, Warteliste und Kalender-Abo."),
    )
)
