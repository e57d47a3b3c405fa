"""Reads about people and invitations that are more than one queryset method."""

from allauth.account.models import EmailAddress

from .models import Invitation, User, hash_token


def invitation_for_token(token):
    """The invitation a raw token belongs to, whatever its status, or None."""
    return (
        Invitation.objects.select_related("region", "shelter", "invited_by", "accepted_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def account_for_invitation(invitation):
    """The existing account the invited address belongs to, or None."""
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        address = (
            EmailAddress.objects.select_related("user")
            .filter(email__iexact=invitation.email)
            .first()
        )
        user = address.user if address else None
    return user


def is_invited_person(invitation, user):
    """Whether the signed-in user owns the invited address."""
    if not user.is_authenticated:
        return False
    if user.email.lower() == invitation.email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email).exists()


def verified_addresses(user):
    """The person's confirmed e-mail addresses, lower-cased (her login address included once
    it is confirmed): records elsewhere with one of them are hers."""
    if not user.is_authenticated:
        return []
    return sorted(
        {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )
