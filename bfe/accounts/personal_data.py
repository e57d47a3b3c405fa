"""The account's share of "Meine Daten" (see bfe/core/personal_data.py): the account, its
e-mail addresses, roles, two-factor methods and invitations to her address.

Erasure removes the account last of all apps. Where another app keeps a row that must stay
and protects the account (a Teilnahmebescheinigung stays verifiable), the account is
anonymised instead: no name, no address, no password, inactive.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _

from bfe.core.personal_data import section

from . import selectors
from .models import Invitation, Role, Roles, User

ANONYMISED_DOMAIN = "geloescht.invalid"


def export(user):
    invitations = Invitation.objects.filter(email__in=_addresses(user)).select_related(
        "region", "shelter"
    )
    return [
        section(
            "accounts.account",
            _("Konto"),
            [
                {
                    _("E-Mail-Adresse"): user.email,
                    _("Name"): user.full_name,
                    _("Sprache"): user.get_language_display(),
                    _("registriert am"): user.date_joined,
                    _("zuletzt angemeldet"): user.last_login,
                    _("Zugang zur Verwaltung"): user.is_staff,
                }
            ],
            note=_("Ihr Passwort speichern wir nur als nicht umkehrbaren Prüfwert."),
        ),
        section(
            "accounts.addresses",
            _("E-Mail-Adressen"),
            [
                {
                    _("E-Mail-Adresse"): address.email,
                    _("bestätigt"): address.verified,
                    _("Hauptadresse"): address.primary,
                }
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        ),
        section(
            "accounts.roles",
            _("Rollen"),
            [
                {_("Rolle"): str(role), _("seit"): role.created_at}
                for role in user.role_set.select_related("region").order_by("kind", "pk")
            ],
            note=_("Ehrenamtskoordinator:in ist, wer eine Koordinationsstelle innehat (unten)."),
        ),
        section(
            "accounts.two_factor",
            _("Zwei-Faktor-Anmeldung"),
            [
                {
                    _("Art"): authenticator.get_type_display(),
                    _("eingerichtet am"): authenticator.created_at,
                    _("zuletzt benutzt"): authenticator.last_used_at,
                }
                for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
            ],
            note=_("Schlüssel und Wiederherstellungscodes geben wir nicht aus."),
        ),
        section(
            "accounts.invitations",
            _("Einladungen an Ihre Adresse"),
            [
                {
                    _("Rolle"): invitation.get_kind_display(),
                    _("für"): str(invitation.scope),
                    _("Status"): invitation.Status(invitation.status).label,
                    _("eingeladen am"): invitation.created_at,
                    _("angenommen am"): invitation.accepted_at,
                }
                for invitation in invitations
            ],
        ),
    ]


def _addresses(user):
    return {user.email.lower(), *selectors.verified_addresses(user)}


def _admins():
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role_set__kind=Role.Kind.ADMIN)
    )


def erase_refusal(user):
    """The platform must keep someone who can invite and manage people."""
    if Roles.of(user).is_admin and not _admins().exclude(pk=user.pk).exists():
        return _(
            "Sie sind die einzige Person mit der Rolle Projektleitung. Bitte übertragen Sie "
            "die Rolle zuerst an eine andere Person (Einladungen); danach können Sie Ihr Konto "
            "löschen."
        )
    return None


def erase(user):
    """Remove the account with its addresses, roles and two-factor methods; invitations to her
    address go too. Returns the counts; `anonymised` is 1 where a row that must stay (kept by
    another app) protects the account."""
    counts = {
        "invitations": Invitation.objects.filter(email__in=_addresses(user)).delete()[0],
        "addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "roles": Role.objects.filter(user=user).delete()[0],
        "two_factor": Authenticator.objects.filter(user=user).delete()[0],
    }
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).delete()
    except (ProtectedError, RestrictedError):
        _anonymise(user)
        counts.update(deleted=0, anonymised=1)
    else:
        counts.update(deleted=1, anonymised=0)
    return counts


def _anonymise(user):
    user.email = f"konto-{user.pk}@{ANONYMISED_DOMAIN}"
    user.full_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
