import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bfe.accounts import services
from bfe.accounts.models import Invitation, Role, User, hash_token
from bfe.accounts.tests.factories import InvitationFactory, RoleFactory, UserFactory
from bfe.places.models import CoordinatorPosition
from bfe.places.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def error_codes(excinfo):
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return [e.code for e in error.error_list]


class TestInvite:
    def test_admin_invites_a_regional_coordinator_and_only_the_token_hash_is_stored(
        self, lead, region
    ):
        invitation, token = services.invite(
            email=" Anna@Example.org ",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
            invited_by=lead,
            full_name="Anna Beispiel",
        )
        assert invitation.email == "anna@example.org"
        assert invitation.token_hash == hash_token(token)
        assert token not in invitation.token_hash
        assert token not in invitation.token_salt
        assert invitation.is_pending
        assert invitation.invited_by == lead

    def test_invitation_expires_after_the_configured_number_of_days(self, lead, settings):
        settings.BFE_INVITATION_DAYS = 3
        before = timezone.now()
        invitation, _ = services.invite(
            email="p@example.org", kind=Invitation.Kind.PARTNER, invited_by=lead
        )
        assert (
            before + datetime.timedelta(days=3)
            <= invitation.expires_at
            <= timezone.now() + datetime.timedelta(days=3)
        )

    @pytest.mark.parametrize("fixture", ["regional_coordinator", "coordinator", "volunteer"])
    def test_only_admins_may_invite(self, request, fixture):
        person = request.getfixturevalue(fixture)
        with pytest.raises(PermissionDenied):
            services.invite(email="p@example.org", kind=Invitation.Kind.PARTNER, invited_by=person)
        assert not Invitation.objects.exists()

    def test_regional_coordinator_needs_a_region(self, lead):
        with pytest.raises(ValidationError) as excinfo:
            services.invite(
                email="p@example.org", kind=Invitation.Kind.REGIONAL_COORDINATOR, invited_by=lead
            )
        assert "region" in excinfo.value.message_dict
        assert "Region" in excinfo.value.message_dict["region"][0]

    def test_coordinator_needs_a_shelter_and_no_region(self, lead, region):
        with pytest.raises(ValidationError) as excinfo:
            services.invite(
                email="p@example.org",
                kind=Invitation.Kind.COORDINATOR,
                region=region,
                invited_by=lead,
            )
        assert set(excinfo.value.message_dict) == {"shelter", "region"}

    def test_partner_gets_no_scope(self, lead, shelter):
        with pytest.raises(ValidationError) as excinfo:
            services.invite(
                email="p@example.org",
                kind=Invitation.Kind.PARTNER,
                shelter=shelter,
                invited_by=lead,
            )
        assert "shelter" in excinfo.value.message_dict

    def test_a_second_pending_invitation_for_the_same_address_and_scope_is_refused(
        self, lead, region
    ):
        services.invite(
            email="anna@example.org",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
            invited_by=lead,
        )
        with pytest.raises(ValidationError) as excinfo:
            services.invite(
                email="ANNA@example.org",
                kind=Invitation.Kind.REGIONAL_COORDINATOR,
                region=region,
                invited_by=lead,
            )
        assert error_codes(excinfo) == ["duplicate"]
        assert "erneut senden" in excinfo.value.messages[0]
        assert Invitation.objects.count() == 1

    def test_the_same_address_may_be_invited_for_another_region(self, lead, region):
        services.invite(
            email="anna@example.org",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
            invited_by=lead,
        )
        services.invite(
            email="anna@example.org",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=RegionFactory(),
            invited_by=lead,
        )
        assert Invitation.objects.count() == 2

    def test_an_expired_invitation_does_not_block_a_new_one(self, lead):
        InvitationFactory(
            email="p@example.org", expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        services.invite(email="p@example.org", kind=Invitation.Kind.PARTNER, invited_by=lead)
        assert Invitation.objects.pending().count() == 1

    def test_a_person_who_holds_the_role_already_is_not_invited(self, lead, region):
        holder = RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=region).user
        with pytest.raises(ValidationError) as excinfo:
            services.invite(
                email=holder.email,
                kind=Invitation.Kind.REGIONAL_COORDINATOR,
                region=region,
                invited_by=lead,
            )
        assert error_codes(excinfo) == ["has_role"]

    def test_a_current_coordinator_is_not_invited_to_her_own_shelter(
        self, lead, coordinator, shelter
    ):
        with pytest.raises(ValidationError):
            services.invite(
                email=coordinator.email,
                kind=Invitation.Kind.COORDINATOR,
                shelter=shelter,
                invited_by=lead,
            )


class TestRevokeAndResend:
    def test_admin_revokes_a_pending_invitation(self, lead):
        invitation = InvitationFactory()
        services.revoke_invitation(invitation=invitation, by=lead)
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.REVOKED

    def test_revoking_twice_keeps_the_first_time(self, lead):
        invitation = services.revoke_invitation(invitation=InvitationFactory(), by=lead)
        again = services.revoke_invitation(invitation=invitation, by=lead)
        assert again.revoked_at == invitation.revoked_at

    def test_an_accepted_invitation_cannot_be_revoked(self, lead):
        invitation = InvitationFactory(accepted_at=timezone.now())
        with pytest.raises(ValidationError):
            services.revoke_invitation(invitation=invitation, by=lead)

    def test_only_admins_revoke(self, regional_coordinator):
        with pytest.raises(PermissionDenied):
            services.revoke_invitation(invitation=InvitationFactory(), by=regional_coordinator)

    def test_resending_issues_a_new_token_and_expiry(self, lead):
        invitation = InvitationFactory(
            raw_token="old", expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        invitation, token = services.resend_invitation(invitation=invitation, by=lead)
        assert invitation.token_hash == hash_token(token) != hash_token("old")
        assert invitation.is_pending

    def test_a_revoked_invitation_is_not_resent(self, lead):
        invitation = InvitationFactory(revoked_at=timezone.now())
        with pytest.raises(ValidationError):
            services.resend_invitation(invitation=invitation, by=lead)

    def test_only_admins_resend(self, volunteer):
        with pytest.raises(PermissionDenied):
            services.resend_invitation(invitation=InvitationFactory(), by=volunteer)


class TestAccept:
    def test_accepting_makes_a_regional_coordinator_of_the_region(self, region):
        invitation = InvitationFactory(kind=Invitation.Kind.REGIONAL_COORDINATOR, region=region)
        person = UserFactory(email=invitation.email)
        services.accept_invitation(invitation=invitation, user=person)
        assert person.roles.region_ids == {region.pk}
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.ACCEPTED
        assert invitation.accepted_by == person

    def test_accepting_makes_a_partner(self):
        invitation = InvitationFactory(kind=Invitation.Kind.PARTNER)
        person = UserFactory(email=invitation.email)
        services.accept_invitation(invitation=invitation, user=person)
        assert person.roles.is_partner

    def test_accepting_a_coordinator_invitation_starts_a_position(self, shelter):
        invitation = InvitationFactory(kind=Invitation.Kind.COORDINATOR, shelter=shelter)
        person = UserFactory(email=invitation.email)
        services.accept_invitation(invitation=invitation, user=person)
        assert CoordinatorPosition.objects.current().filter(shelter=shelter, person=person)
        assert person.roles.shelter_ids == {shelter.pk}

    def test_accepting_verifies_the_invited_address_and_makes_it_primary(self):
        invitation = InvitationFactory(email="new@example.org")
        person = UserFactory(email="new@example.org", verified_email=False)
        EmailAddress.objects.create(user=person, email="old@example.org", primary=True)
        EmailAddress.objects.create(user=person, email="new@example.org", verified=False)
        services.accept_invitation(invitation=invitation, user=person)
        address = EmailAddress.objects.get(user=person, email="new@example.org")
        assert address.verified and address.primary
        assert not EmailAddress.objects.get(email="old@example.org").primary

    def test_accepting_creates_the_address_record_when_allauth_has_none(self):
        invitation = InvitationFactory()
        person = UserFactory(email=invitation.email, verified_email=False)
        services.accept_invitation(invitation=invitation, user=person)
        assert EmailAddress.objects.get(user=person).verified

    def test_accepting_twice_changes_nothing(self, region):
        invitation = InvitationFactory(kind=Invitation.Kind.REGIONAL_COORDINATOR, region=region)
        person = UserFactory(email=invitation.email)
        first = services.accept_invitation(invitation=invitation, user=person)
        second = services.accept_invitation(invitation=invitation, user=person)
        assert second.accepted_at == first.accepted_at
        assert Role.objects.filter(user=person).count() == 1

    def test_an_accepted_invitation_cannot_be_used_by_someone_else(self):
        invitation = InvitationFactory()
        services.accept_invitation(invitation=invitation, user=UserFactory(email=invitation.email))
        with pytest.raises(ValidationError) as excinfo:
            services.accept_invitation(invitation=invitation, user=UserFactory())
        assert error_codes(excinfo) == ["accepted"]

    def test_an_expired_invitation_cannot_be_accepted(self):
        invitation = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        person = UserFactory(email=invitation.email)
        with pytest.raises(ValidationError) as excinfo:
            services.accept_invitation(invitation=invitation, user=person)
        assert error_codes(excinfo) == ["expired"]
        assert not person.role_set.exists()

    def test_a_revoked_invitation_cannot_be_accepted(self, lead):
        invitation = InvitationFactory()
        services.revoke_invitation(invitation=invitation, by=lead)
        with pytest.raises(ValidationError) as excinfo:
            services.accept_invitation(
                invitation=invitation, user=UserFactory(email=invitation.email)
            )
        assert error_codes(excinfo) == ["revoked"]

    def test_an_invitation_for_another_address_is_refused(self):
        invitation = InvitationFactory(email="invited@example.org")
        with pytest.raises(ValidationError) as excinfo:
            services.accept_invitation(
                invitation=invitation, user=UserFactory(email="other@example.org")
            )
        assert error_codes(excinfo) == ["wrong_account"]

    def test_the_invited_name_fills_an_empty_name(self):
        invitation = InvitationFactory(full_name="Anna Beispiel")
        person = UserFactory(email=invitation.email, full_name="")
        services.accept_invitation(invitation=invitation, user=person)
        person.refresh_from_db()
        assert person.full_name == "Anna Beispiel"


class TestCreateAccountForInvitation:
    def test_creates_a_verified_account_in_the_invitation_language(self):
        invitation = InvitationFactory(language="en")
        person = services.create_account_for_invitation(
            invitation=invitation, full_name="Anna Beispiel", password="ein-langes-Passwort-42"
        )
        assert person.check_password("ein-langes-Passwort-42")
        assert person.language == "en"
        assert person.roles.is_partner
        assert EmailAddress.objects.get(user=person).verified

    def test_refuses_a_weak_password(self):
        invitation = InvitationFactory()
        with pytest.raises(ValidationError):
            services.create_account_for_invitation(
                invitation=invitation, full_name="Anna", password="123"
            )
        assert not User.objects.filter(email=invitation.email).exists()

    def test_refuses_when_the_address_has_an_account(self):
        invitation = InvitationFactory()
        UserFactory(email=invitation.email)
        with pytest.raises(ValidationError) as excinfo:
            services.create_account_for_invitation(
                invitation=invitation, full_name="Anna", password="ein-langes-Passwort-42"
            )
        assert error_codes(excinfo) == ["account_exists"]


class TestSignup:
    def test_a_self_registered_person_becomes_a_volunteer(self):
        person = UserFactory()
        services.register_volunteer(user=person)
        services.register_volunteer(user=person)
        assert list(person.role_set.values_list("kind", flat=True)) == [Role.Kind.VOLUNTEER]
