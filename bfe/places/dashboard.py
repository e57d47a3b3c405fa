"""The places app's parts of the start page (registered from PlacesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, register

from . import selectors

SHELTERS = register(
    DashboardSection(
        key="places.shelters",
        order=90,
        title=_("Meine Unterkünfte"),
        applies_to=lambda roles: roles.is_coordinator or roles.is_regional_coordinator,
        template="places/dashboard/shelters.html",
        context=lambda user, roles: selectors.shelters_for_start(user),
        wide=True,
        # Shelters, their districts, operators and posts: no other person's record.
        cache_apps=("places",),
    )
)

# People without shelters or regions to look after get a way in instead of an empty page.
WELCOME = register(
    DashboardSection(
        key="places.welcome",
        order=95,
        title=_("Schön, dass Sie da sind"),
        applies_to=lambda roles: not (roles.is_bfe_staff or roles.is_coordinator),
        template="places/dashboard/welcome.html",
        context=lambda user, roles: {"text": _welcome_text(roles)},
    )
)


def _welcome_text(roles):
    if roles.is_partner:
        return _(
            "Als Partner sehen Sie hier bald zusammengefasste Kennzahlen – ohne personenbezogene "
            "Daten."
        )
    return _("Finden Sie eine Unterkunft in Ihrer Nähe und die Ansprechpersonen Ihrer Region.")
