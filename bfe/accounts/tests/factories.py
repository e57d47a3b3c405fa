import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from bfe.accounts.models import Invitation, Role, User, hash_token, invitation_token
from bfe.places.models import District, Region, Shelter


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified primary address. `UserFactory(password="demo")` sets a password
    one can sign in with; without it the password is unusable."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if extracted:
            self.set_password(extracted)
        else:
            self.set_unusable_password()
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.VOLUNTEER
    region = None

    class Params:
        regional = factory.Trait(
            kind=Role.Kind.REGIONAL_COORDINATOR,
            region=factory.SubFactory("bfe.accounts.tests.factories.RegionFactory"),
        )


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Testbezirk {n}")
    slug = factory.Sequence(lambda n: f"testbezirk-{n}")
    latitude = "52.520000"
    longitude = "13.400000"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Testregion {n}")
    slug = factory.Sequence(lambda n: f"testregion-{n}")
    valid_from = datetime.date(2019, 1, 1)


class ShelterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shelter

    name = factory.Sequence(lambda n: f"Unterkunft {n}")
    kind = Shelter.Kind.COMMUNITY
    district = factory.SubFactory(DistrictFactory)
    street = "Musterstraße 1"
    postcode = "10115"


class InvitationFactory(factory.django.DjangoModelFactory):
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
