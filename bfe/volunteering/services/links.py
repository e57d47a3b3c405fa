"""Personal links: the confirmation link of an application (double opt-in) and a volunteer's
personal link (her shifts, her iCal feed, her data) for people without an account.

A link is `<pk>.<digest>`, the digest an HMAC of the row's random salt under the SECRET_KEY,
as the invitation links are: an e-mail task rebuilds the link when it runs, so neither the
queue nor the database holds it, and a new salt revokes every link given out before.
"""

import base64
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Application, Volunteer

APPLICATION_LINK = "bfe.volunteering.application-link"
VOLUNTEER_LINK = "bfe.volunteering.volunteer-link"


def new_salt():
    return secrets.token_urlsafe(16)[:32]


def _digest(purpose, pk, salt):
    raw = salted_hmac(purpose, f"{pk}:{salt}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _token(purpose, obj):
    return f"{obj.pk}.{_digest(purpose, obj.pk, obj.link_salt)}"


def _find(purpose, queryset, token):
    pk, _dot, digest = (token or "").partition(".")
    if not pk.isdigit() or not digest:
        return None
    obj = queryset.filter(pk=int(pk)).exclude(link_salt="").first()
    if obj is None or not constant_time_compare(digest, _digest(purpose, obj.pk, obj.link_salt)):
        return None
    return obj


def application_token(application):
    """The token of the application's confirmation link."""
    return _token(APPLICATION_LINK, application)


def application_for_token(token):
    """The application this confirmation token belongs to, or None (unknown or forged)."""
    return _find(APPLICATION_LINK, Application.objects.select_related("opportunity"), token)


def volunteer_token(volunteer):
    """The volunteer's personal link token; gives her record a salt on first use."""
    if not volunteer.link_salt:
        # Only where no salt is stored yet: two tasks at once (or a stale instance) must not
        # replace a salt whose link went out already.
        salt = new_salt()
        Volunteer.objects.filter(pk=volunteer.pk, link_salt="").update(link_salt=salt)
        volunteer.link_salt = (
            Volunteer.objects.filter(pk=volunteer.pk).values_list("link_salt", flat=True).get()
        )
    return _token(VOLUNTEER_LINK, volunteer)


def volunteer_for_token(token):
    """The record a personal link belongs to, or None (unknown, forged or revoked)."""
    return _find(VOLUNTEER_LINK, Volunteer.objects.select_related("shelter"), token)


def revoke_volunteer_link(volunteer):
    """Every personal link given out so far stops working; the next one is new."""
    volunteer.link_salt = new_salt()
    Volunteer.objects.filter(pk=volunteer.pk).update(link_salt=volunteer.link_salt)
