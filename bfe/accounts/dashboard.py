"""The accounts app's shortcuts on the start page (registered from AccountsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import Shortcut, register_shortcut

register_shortcut(
    Shortcut(
        key="accounts.invitations",
        order=70,
        title=_("Einladungen"),
        url_name="accounts:invitation_list",
        applies_to=lambda roles: roles.is_admin,
        links=((_("Technische Verwaltung"), "admin:index"),),
    )
)
register_shortcut(
    Shortcut(
        key="accounts.account",
        order=90,
        title=_("Konto und Sicherheit"),
        url_name="account_email",
        applies_to=lambda roles: roles.is_authenticated,
        text=_("E-Mail-Adresse, Passwort, Zwei-Faktor-Anmeldung."),
        links=((_("Meine Daten"), "accounts:my_data"),),
    )
)
