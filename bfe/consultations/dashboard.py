"""The consultations app's parts of the start page (registered from ConsultationsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, Shortcut, register, register_shortcut

from . import selectors

register(
    DashboardSection(
        key="consultations.next_steps",
        order=30,
        title=_("Vereinbarte nächste Schritte"),
        applies_to=lambda roles: roles.is_coordinator,
        template="consultations/dashboard/next_steps.html",
        context=lambda user, roles: {
            "consultations": selectors.agreed_next_steps_for(user),
            "months": selectors.NEXT_STEPS_MONTHS,
        },
        # Dates, formats, next steps and shelter names only (`agreed_next_steps_for`).
        cache_apps=("consultations",),
    )
)
register(
    DashboardSection(
        key="consultations.open_requests",
        order=10,
        title=_("Offene Beratungsanfragen"),
        applies_to=lambda roles: roles.is_bfe_staff,
        template="consultations/dashboard/open_requests.html",
        context=lambda user, roles: selectors.open_requests_for_start(user),
    )
)
register(
    DashboardSection(
        key="consultations.follow_ups",
        order=20,
        title=_("Fällige Aufgaben"),
        applies_to=lambda roles: roles.is_regional_coordinator,
        template="consultations/dashboard/follow_ups.html",
        context=lambda user, roles: selectors.follow_ups_due_for(user),
    )
)
register(
    DashboardSection(
        key="consultations.outreach",
        order=40,
        title=_("Lange nicht erreicht"),
        applies_to=lambda roles: roles.is_regional_coordinator,
        template="consultations/dashboard/outreach.html",
        context=lambda user, roles: selectors.outreach_top_for(user),
        # Shelters and their last contact: consultations, attendance (events), places.
        cache_apps=("consultations", "events", "places"),
    )
)
register(
    DashboardSection(
        key="consultations.vacancies",
        order=45,
        title=_("Unbesetzte Koordinationsstellen"),
        applies_to=lambda roles: roles.is_admin,
        template="consultations/dashboard/vacancies.html",
        context=lambda user, roles: selectors.vacancies_for_start(user),
        # Open shelters and their coordinator posts, read across every shelter of the regions.
        cache_apps=("places",),
    )
)

register_shortcut(
    Shortcut(
        key="consultations.outreach",
        order=10,
        title=_("Kontaktliste"),
        url_name="consultations:outreach",
        applies_to=lambda roles: roles.is_bfe_staff,
        text=_("Unterkünfte, die lange niemand erreicht hat, und offene Stellen."),
    )
)
register_shortcut(
    Shortcut(
        key="consultations.log",
        order=20,
        title=_("Beratungsprotokoll"),
        url_name="consultations:list",
        applies_to=lambda roles: roles.is_bfe_staff,
        links=(
            (_("Beratung erfassen"), "consultations:create"),
            (_("Anfragen"), "consultations:request_list"),
            (_("Aufgaben"), "consultations:followups"),
        ),
    )
)
register_shortcut(
    Shortcut(
        key="consultations.request",
        order=40,
        title=_("Beratung anfragen"),
        url_name="consultations:request_create",
        applies_to=lambda roles: roles.is_coordinator,
        links=((_("Meine Anfragen und vereinbarten Schritte"), "consultations:request_list"),),
    )
)
register_shortcut(
    Shortcut(
        key="consultations.statistics",
        order=60,
        title=_("Zahlen"),
        url_name="consultations:statistics",
        applies_to=lambda roles: roles.is_bfe_staff or roles.is_partner,
        text=_("Beratungen nach Region, Thema, Form und Monat."),
    )
)
