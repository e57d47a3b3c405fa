"""Start-page sections of the search part: the library's search box for coordinators and staff.
It reads nothing from the database."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, register


def _finds_materials(roles):
    return roles.is_coordinator or roles.is_bfe_staff


register(
    DashboardSection(
        key="materials.search",
        order=1,
        title=_("Arbeitsmaterialien und Infos"),
        applies_to=_finds_materials,
        template="materials/search_start.html",
        context=lambda user, roles: {},
    )
)
