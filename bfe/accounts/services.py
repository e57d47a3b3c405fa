"""Every change of people, roles and invitations goes through these functions."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bfe.core import personal_data
from bfe.places import services as place_services
from bfe.places.models import CoordinatorPosition

from . import selectors
from .models import Invitation, Role, Roles, User, hash_token, invitation_token
from .tasks import send_invitation_email


def can_invite(user):
    """Only the BfE project lead invites people into roles."""
    return Roles.of(user).is_admin


def normalize_email(email):
    return User.objects.normalize_email(email.strip()).lower()


def forget_cached_roles(user):
    """`user.roles` is read once per request; a granted role must show at once."""
    user.__dict__.pop("roles", None)


@transaction.atomic
def grant_role(*, user, kind, region=None):
    """Give a person a role with its scope; granting it twice changes nothing."""
    role, _created = Role.objects.get_or_create(user=user, kind=kind, region=region)
    forget_cached_roles(user)
    return role


@transaction.atomic
def register_volunteer(*, user):
    """A self-registered person starts as a volunteer."""
    return grant_role(user=user, kind=Role.Kind.VOLUNTEER)


def check_invitation_scope(*, kind, region=None, shelter=None):
    """Raise a ValidationError (by field) unless region and shelter fit the kind of invitation."""
    errors = {}
    if kind == Invitation.Kind.REGIONAL_COORDINATOR:
        if region is None:
            errors["region"] = _(
                "Bitte wählen Sie die Region, die die Regionalkoordinator:in betreuen soll."
            )
        if shelter is not None:
            errors["shelter"] = _(
                "Regionalkoordinator:innen werden für eine Region eingeladen, nicht für eine "
                "Unterkunft. Bitte lassen Sie „Unterkunft“ leer."
            )
    elif kind == Invitation.Kind.COORDINATOR:
        if shelter is None:
            errors["shelter"] = _(
                "Bitte wählen Sie die Unterkunft, die die Ehrenamtskoordinator:in koordinieren "
                "soll."
            )
        if region is not None:
            errors["region"] = _(
                "Ehrenamtskoordinator:innen werden für eine Unterkunft eingeladen; die Region "
                "ergibt sich daraus. Bitte lassen Sie „Region“ leer."
            )
    elif kind == Invitation.Kind.PARTNER:
        if region is not None:
            errors["region"] = _("Partner erhalten keine Region. Bitte lassen Sie „Region“ leer.")
        if shelter is not None:
            errors["shelter"] = _(
                "Partner erhalten keine Unterkunft. Bitte lassen Sie „Unterkunft“ leer."
            )
    else:
        errors["kind"] = _("Bitte wählen Sie eine Rolle.")
    if errors:
        raise ValidationError(errors)


def _new_token():
    """A fresh link: its salt, raw token and hash. Salt and hash are stored, the token is not."""
    token_salt = secrets.token_urlsafe(16)
    raw_token = invitation_token(token_salt)
    return token_salt, raw_token, hash_token(raw_token)


def _new_expiry():
    return timezone.now() + datetime.timedelta(days=settings.BFE_INVITATION_DAYS)


def _refuse_duplicate(*, email, kind, region, shelter, exclude_pk=None):
    pending = (
        Invitation.objects.pending()
        .filter(email__iexact=email, kind=kind, region=region, shelter=shelter)
        .exclude(pk=exclude_pk)
        .first()
    )
    if pending:
        raise ValidationError(
            _(
                "An %(email)s ist bereits eine offene Einladung als %(kind)s unterwegs "
                "(gültig bis %(expires)s). Sie können sie in der Liste erneut senden."
            )
            % {
                "email": email,
                "kind": pending.get_kind_display(),
                "expires": date_format(timezone.localtime(pending.expires_at), "DATE_FORMAT"),
            },
            code="duplicate",
        )


def _refuse_existing_role(*, email, kind, region, shelter):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return
    if kind == Invitation.Kind.COORDINATOR:
        holds = CoordinatorPosition.objects.current().filter(shelter=shelter, person=user)
    else:
        holds = Role.objects.filter(user=user, kind=kind, region=region)
    if holds.exists():
        raise ValidationError(
            _("%(email)s hat diese Rolle bereits.") % {"email": email}, code="has_role"
        )


def _send_on_commit(invitation):
    pk, token_hash = invitation.pk, invitation.token_hash
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=pk, token_hash=token_hash)
    )


@transaction.atomic
def invite(
    *,
    email,
    kind,
    region=None,
    shelter=None,
    invited_by,
    full_name="",
    language=User.Language.GERMAN,
):
    """Invite a person into a role with its scope and e-mail them the link.

    Returns the invitation and its raw token; only the token's hash and salt are stored. A second
    pending invitation for the same address, role and scope is refused with a ValidationError.
    """
    if not can_invite(invited_by):
        raise PermissionDenied
    email = normalize_email(email)
    check_invitation_scope(kind=kind, region=region, shelter=shelter)
    # Invitations by one admin are serialised, so a double submit cannot slip past the check.
    User.objects.select_for_update().get(pk=invited_by.pk)
    _refuse_duplicate(email=email, kind=kind, region=region, shelter=shelter)
    _refuse_existing_role(email=email, kind=kind, region=region, shelter=shelter)
    token_salt, raw_token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        language=language,
        kind=kind,
        region=region,
        shelter=shelter,
        token_hash=token_hash,
        token_salt=token_salt,
        invited_by=invited_by,
        expires_at=_new_expiry(),
    )
    _send_on_commit(invitation)
    return invitation, raw_token


@transaction.atomic
def revoke_invitation(*, invitation, by):
    """Withdraw an invitation that was not accepted; its link stops working at once."""
    if not can_invite(by):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(
            _("Diese Einladung wurde bereits angenommen und kann nicht zurückgezogen werden."),
            code="accepted",
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def resend_invitation(*, invitation, by):
    """Send an open or expired invitation again with a new link and a new expiry date.

    The previous link stops working. Returns the invitation and its new raw token.
    """
    if not can_invite(by):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."), code="accepted")
    if invitation.revoked_at:
        raise ValidationError(
            _("Diese Einladung wurde zurückgezogen. Bitte laden Sie neu ein."), code="revoked"
        )
    _refuse_duplicate(
        email=invitation.email,
        kind=invitation.kind,
        region=invitation.region,
        shelter=invitation.shelter,
        exclude_pk=invitation.pk,
    )
    invitation.token_salt, raw_token, invitation.token_hash = _new_token()
    invitation.expires_at = _new_expiry()
    invitation.save(update_fields=["token_salt", "token_hash", "expires_at"])
    _send_on_commit(invitation)
    return invitation, raw_token


def _refuse_unless_pending(invitation):
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."), code="accepted")
    if status == Invitation.Status.REVOKED:
        raise ValidationError(_("Diese Einladung wurde zurückgezogen."), code="revoked")
    if status == Invitation.Status.EXPIRED:
        raise ValidationError(_("Diese Einladung ist abgelaufen."), code="expired")


def _confirm_invited_address(*, invitation, user):
    """The invitation link reached its address: mark it verified and primary for the user."""
    address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email).first()
    if address is None:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _(
                    "Diese Einladung gilt für %(email)s. Bitte melden Sie sich mit dieser "
                    "Adresse an."
                )
                % {"email": invitation.email},
                code="wrong_account",
            )
        address = EmailAddress.objects.create(user=user, email=user.email.lower())
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not address.primary:
        address.set_as_primary()


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Give the invited person the role the invitation offers.

    Accepting twice by the same person changes nothing (a double submit is harmless); the
    invitation row is locked, so two simultaneous requests cannot both accept it.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at and invitation.accepted_by_id == user.pk:
        return invitation
    _refuse_unless_pending(invitation)
    _confirm_invited_address(invitation=invitation, user=user)
    if invitation.kind == Invitation.Kind.COORDINATOR:
        place_services.start_position(shelter=invitation.shelter, person=user)
        forget_cached_roles(user)
    else:
        grant_role(user=user, kind=invitation.kind, region=invitation.region)
    if invitation.full_name and not user.full_name:
        user.full_name = invitation.full_name
        user.save(update_fields=["full_name"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def create_account_for_invitation(*, invitation, full_name, password):
    """Create the invited person's account with a verified address and accept the invitation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _refuse_unless_pending(invitation)
    if selectors.account_for_invitation(invitation) is not None:
        raise ValidationError(
            _(
                "Für %(email)s gibt es schon ein Konto. Bitte melden Sie sich an, um die "
                "Einladung anzunehmen."
            )
            % {"email": invitation.email},
            code="account_exists",
        )
    user = User(
        email=normalize_email(invitation.email),
        full_name=full_name.strip(),
        language=invitation.language,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    accept_invitation(invitation=invitation, user=user)
    return user


def erasure_refusals(user):
    """Why the person may not delete her account now (sentences; [] when she may)."""
    return personal_data.erase_refusals(user)


@transaction.atomic
def erase_person(*, user):
    """Delete the person's data in every app (bfe/core/personal_data.py) and then her account,
    in one transaction: all or nothing. Where a row that must stay (a certificate) protects the
    account, it is anonymised instead. Returns {app: counts}; raises ValidationError with the
    reasons when an app refuses (the last project lead)."""
    locked = User.objects.select_for_update().filter(pk=user.pk)
    if Roles.of(user).is_admin:
        # Two project leads deleting themselves at once must not leave none behind.
        locked = User.objects.select_for_update().filter(
            Q(pk=user.pk)
            | Q(is_superuser=True)
            | Q(pk__in=Role.objects.filter(kind=Role.Kind.ADMIN).values("user_id"))
        )
    list(locked.order_by("pk").values_list("pk"))
    reasons = personal_data.erase_refusals(user)
    if reasons:
        raise ValidationError(reasons, code="refused")
    return personal_data.erase(user)


def withdraw_consent(*, user, key):
    """Withdraw one consent of the person, through the app that holds it."""
    return personal_data.withdraw_consent(user, key)
