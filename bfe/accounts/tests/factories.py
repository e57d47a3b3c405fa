"""Factories for people, their roles and invitations. Every app's tests import them from here;
places (districts, regions, shelters, posts) are in `bfe.places.tests.factories`."""

import datetime
from functools import cache

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from bfe.accounts.models import Invitation, Role, User, hash_token, invitation_token

# Every person a factory makes signs in with this password.
PASSWORD = "demo"


def password_hash(password=PASSWORD):
    # Hashing is slow on purpose: hash once per test run and hasher (some tests pick a fast one).
    return _hash_with(settings.PASSWORD_HASHERS[0], password)


@cache
def _hash_with(hasher, password):
    return make_password(password)


class UserFactory(DjangoModelFactory):
    """A person with a German name who signs in with PASSWORD.

    `password="…"` gives another one, `password=None` an unusable one; `verified_email=True`
    adds her address as allauth's verified primary one (as sign-up and invitations do).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        first_name = factory.Faker("first_name", locale="de_DE")
        last_name = factory.Faker("last_name", locale="de_DE")

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.LazyAttribute(lambda user: f"{user.first_name} {user.last_name}")

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, **kwargs):
        kwargs["password"] = make_password(None) if password is None else password_hash(password)
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class RoleFactory(DjangoModelFactory):
    """A volunteer role by default; regional coordinators need `region=` (or `regional=True`)."""

    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.VOLUNTEER
    region = None

    class Params:
        regional = factory.Trait(
            kind=Role.Kind.REGIONAL_COORDINATOR,
            # By path: places' factories import this module, not the other way round.
            region=factory.SubFactory("bfe.places.tests.factories.RegionFactory"),
        )


class InvitationFactory(DjangoModelFactory):
    """An invitation made directly, without the e-mail. Its link's token is derived from its
    salt, as the e-mail task rebuilds it; `raw_token="tok"` gives a link the task cannot send."""

    class Meta:
        model = Invitation
        exclude = ["raw_token"]

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    kind = Invitation.Kind.PARTNER
    token_salt = factory.Sequence(lambda n: f"test-salt-{n}")
    raw_token = factory.LazyAttribute(lambda o: invitation_token(o.token_salt))
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.raw_token))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def activate_totp(user):
    """Give a person an authenticator app; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret):
    """The code an authenticator app with this secret shows now."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
