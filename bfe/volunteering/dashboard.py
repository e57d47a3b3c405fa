"""The volunteering app's parts of the start page (registered from VolunteeringConfig.ready).

A coordinator sees her shelters' pipeline, this week's shifts with free slots, clearances due
for re-inspection and new applications; a volunteer her next shifts, applications and hours;
BfE's staff and partners counts only, never names. No section is cached: the figures are written
with F() updates, which send no signal (bfe/core/fragments.py), and the lists hold names.
"""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, Shortcut, register, register_shortcut

from . import startpages


def _is_coordinator(roles):
    return roles.is_coordinator


def _is_volunteer(roles):
    return roles.is_volunteer


def _sees_counts_only(roles):
    return roles.is_bfe_staff or roles.is_partner


register(
    DashboardSection(
        key="volunteering.pipeline",
        order=2,
        title=_("Ihre Freiwilligen"),
        applies_to=_is_coordinator,
        template="volunteering/startpages/pipeline.html",
        context=lambda user, roles: startpages.pipeline_for_start(user),
        wide=True,
    )
)
register(
    DashboardSection(
        key="volunteering.new_applications",
        order=3,
        title=_("Neue Bewerbungen"),
        applies_to=_is_coordinator,
        template="volunteering/startpages/new_applications.html",
        context=lambda user, roles: startpages.new_applications_for(user),
    )
)
register(
    DashboardSection(
        key="volunteering.open_shifts",
        order=4,
        title=_("Einsätze dieser Woche mit freien Plätzen"),
        applies_to=_is_coordinator,
        template="volunteering/startpages/open_shifts.html",
        context=lambda user, roles: startpages.shifts_with_open_slots_for(user),
    )
)
register(
    DashboardSection(
        key="volunteering.clearances",
        order=6,
        title=_("Führungszeugnisse bald erneut einsehen"),
        applies_to=_is_coordinator,
        template="volunteering/startpages/clearances.html",
        context=lambda user, roles: startpages.expiring_clearances_for(user),
    )
)
register(
    DashboardSection(
        key="volunteering.my_shifts",
        order=2,
        title=_("Meine nächsten Einsätze"),
        applies_to=_is_volunteer,
        template="volunteering/startpages/my_shifts.html",
        context=lambda user, roles: startpages.next_shifts_of(user),
    )
)
register(
    DashboardSection(
        key="volunteering.my_applications",
        order=3,
        title=_("Meine Bewerbungen"),
        applies_to=_is_volunteer,
        template="volunteering/startpages/my_applications.html",
        context=lambda user, roles: startpages.applications_of(user),
    )
)
register(
    DashboardSection(
        key="volunteering.my_hours",
        order=4,
        title=_("Meine Stunden"),
        applies_to=_is_volunteer,
        template="volunteering/startpages/my_hours.html",
        context=lambda user, roles: startpages.hours_of(user),
    )
)
register(
    DashboardSection(
        key="volunteering.figures",
        order=50,
        title=_("Freiwilliges Engagement in Zahlen"),
        applies_to=_sees_counts_only,
        template="volunteering/startpages/figures.html",
        context=lambda user, roles: startpages.figures_for_start(user),
    )
)


def _for_coordinators(roles):
    return roles.is_coordinator


register_shortcut(
    Shortcut(
        key="volunteering.pipeline",
        order=5,
        title=_("Freiwillige"),
        url_name="volunteering:pipeline",
        applies_to=_for_coordinators,
        text=_("Bewerbungen, Erstgespräche, Einarbeitung und aktive Freiwillige."),
    )
)
register_shortcut(
    Shortcut(
        key="volunteering.opportunity_create",
        order=6,
        title=_("Angebot anlegen"),
        url_name="volunteering:board_create",
        applies_to=_for_coordinators,
        text=_("Ein Engagementangebot Ihrer Unterkunft auf „Engagement finden“ zeigen."),
    )
)
register_shortcut(
    Shortcut(
        key="volunteering.import",
        order=7,
        title=_("Import"),
        url_name="volunteering:import_upload",
        applies_to=_for_coordinators,
        text=_("Bestehende Listen von Freiwilligen aus Excel oder CSV übernehmen."),
    )
)
