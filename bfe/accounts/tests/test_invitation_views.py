import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Invitation, Role, User

from .factories import InvitationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

LIST_URL = "/einladungen/"


def revoke_url(invitation):
    return f"/einladungen/{invitation.pk}/zurueckziehen/"


def resend_url(invitation):
    return f"/einladungen/{invitation.pk}/erneut-senden/"


def accept_url(token):
    return f"/einladung/{token}/"


def test_urls_are_german_and_named():
    assert reverse("accounts:invitation_list") == LIST_URL
    assert reverse("accounts:invitation_revoke", args=[3]) == "/einladungen/3/zurueckziehen/"
    assert reverse("accounts:invitation_resend", args=[3]) == "/einladungen/3/erneut-senden/"
    assert reverse("accounts:invitation_accept", args=["abc"]) == "/einladung/abc/"


class TestAdminPagesPermissions:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        invitation = InvitationFactory()
        for url in [LIST_URL, revoke_url(invitation), resend_url(invitation)]:
            response = client.post(url) if url != LIST_URL else client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_login"))
        invitation.refresh_from_db()
        assert invitation.is_pending

    @pytest.mark.parametrize(
        "fixture", ["volunteer", "coordinator", "regional_coordinator", "partner"]
    )
    def test_people_other_than_admins_get_404(self, client, request, fixture):
        client.force_login(request.getfixturevalue(fixture))
        invitation = InvitationFactory()
        assert client.get(LIST_URL).status_code == 404
        assert (
            client.post(LIST_URL, {"email": "x@example.org", "kind": "partner"}).status_code == 404
        )
        assert client.post(revoke_url(invitation)).status_code == 404
        assert client.post(resend_url(invitation)).status_code == 404
        invitation.refresh_from_db()
        assert invitation.is_pending
        assert Invitation.objects.count() == 1

    def test_admin_sees_the_list_and_the_form(self, client, lead):
        InvitationFactory(email="anna@example.org")
        client.force_login(lead)
        response = client.get(LIST_URL)
        assert response.status_code == 200
        assert "anna@example.org" in response.text
        assert 'name="email"' in response.text

    def test_revoke_and_resend_only_accept_post(self, client, lead):
        client.force_login(lead)
        invitation = InvitationFactory()
        assert client.get(revoke_url(invitation)).status_code == 405
        assert client.get(resend_url(invitation)).status_code == 405


class TestInvitationList:
    def test_the_list_filters_by_status(self, client, lead):
        InvitationFactory(email="pending@example.org")
        InvitationFactory(email="revoked@example.org", revoked_at=timezone.now())
        InvitationFactory(
            email="expired@example.org", expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        InvitationFactory(email="accepted@example.org", accepted_at=timezone.now())
        client.force_login(lead)
        for status in ["pending", "revoked", "expired", "accepted"]:
            response = client.get(LIST_URL, {"status": status})
            shown = {inv.email for inv in response.context["page"].object_list}
            assert shown == {f"{status}@example.org"}
        assert len(client.get(LIST_URL).context["page"].object_list) == 4
        assert len(client.get(LIST_URL, {"status": "nonsense"}).context["page"].object_list) == 4

    def test_the_list_needs_the_same_number_of_queries_for_many_invitations(
        self, client, lead, region, shelter, django_assert_max_num_queries
    ):
        client.force_login(lead)
        InvitationFactory(kind=Invitation.Kind.REGIONAL_COORDINATOR, region=region)
        with django_assert_max_num_queries(20) as few:
            client.get(LIST_URL)
        InvitationFactory.create_batch(
            10, kind=Invitation.Kind.COORDINATOR, shelter=shelter, invited_by=lead
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(LIST_URL)

    def test_admin_invites_a_coordinator_and_the_email_goes_out(
        self, client, lead, shelter, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(lead)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                LIST_URL,
                {
                    "email": "eak@example.org",
                    "full_name": "Erika Koordinatorin",
                    "language": "de",
                    "kind": "coordinator",
                    "shelter": shelter.pk,
                },
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert (invitation.kind, invitation.shelter, invitation.invited_by) == (
            Invitation.Kind.COORDINATOR,
            shelter,
            lead,
        )
        assert mailoutbox[0].to == ["eak@example.org"]
        page = client.get(response.url)
        assert "eak@example.org ist unterwegs" in page.text

    def test_a_scope_that_does_not_fit_the_role_is_explained_and_the_input_kept(
        self, client, lead, region
    ):
        client.force_login(lead)
        response = client.post(
            LIST_URL,
            {
                "email": "anna@example.org",
                "full_name": "Anna Beispiel",
                "language": "de",
                "kind": "coordinator",
                "region": region.pk,
            },
        )
        assert response.status_code == 200
        assert not Invitation.objects.exists()
        form = response.context["form"]
        assert "Bitte wählen Sie die Unterkunft" in form.errors["shelter"][0]
        assert "Bitte lassen Sie „Region“ leer" in form.errors["region"][0]
        assert 'value="anna@example.org"' in response.text
        assert 'value="Anna Beispiel"' in response.text

    def test_a_duplicate_invitation_is_explained_on_the_form(self, client, lead):
        InvitationFactory(email="anna@example.org", kind=Invitation.Kind.PARTNER)
        client.force_login(lead)
        response = client.post(
            LIST_URL, {"email": "anna@example.org", "language": "de", "kind": "partner"}
        )
        assert response.status_code == 200
        assert "bereits eine offene Einladung" in response.text
        assert Invitation.objects.count() == 1

    def test_admin_revokes_an_invitation(self, client, lead):
        invitation = InvitationFactory()
        client.force_login(lead)
        response = client.post(revoke_url(invitation), follow=True)
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.REVOKED
        assert "zurückgezogen" in response.text

    def test_revoking_an_accepted_invitation_shows_why_not(self, client, lead):
        invitation = InvitationFactory(accepted_at=timezone.now())
        client.force_login(lead)
        response = client.post(revoke_url(invitation), follow=True)
        assert "bereits angenommen" in response.text

    def test_admin_resends_an_invitation(
        self, client, lead, mailoutbox, django_capture_on_commit_callbacks
    ):
        invitation = InvitationFactory(raw_token="old")
        client.force_login(lead)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(resend_url(invitation))
        invitation.refresh_from_db()
        assert len(mailoutbox) == 1
        assert "/einladung/old/" not in mailoutbox[0].body


class TestAcceptingWithANewAccount:
    def test_anyone_with_the_link_sees_who_invites_to_what(self, client, lead, region):
        lead.full_name = "Paula Projektleitung"
        lead.save()
        InvitationFactory(
            raw_token="tok",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
            invited_by=lead,
            full_name="Anna Beispiel",
        )
        response = client.get(accept_url("tok"))
        assert response.status_code == 200
        assert "Paula Projektleitung lädt Sie ein" in response.text
        assert f"<strong>{region.name}</strong>" in response.text
        assert 'value="Anna Beispiel"' in response.text
        assert response["Cache-Control"].startswith("max-age=0")

    def test_the_whole_journey_creates_an_account_signs_in_and_grants_the_role(
        self, client, region
    ):
        InvitationFactory(
            raw_token="tok",
            email="anna@example.org",
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
        )
        response = client.post(
            accept_url("tok"),
            {
                "full_name": "Anna Beispiel",
                "password1": "Sonnenblume-im-Regen-7",
                "password2": "Sonnenblume-im-Regen-7",
            },
        )
        assert response.status_code == 302
        assert response.url == reverse("core:dashboard")
        person = User.objects.get(email="anna@example.org")
        assert person.full_name == "Anna Beispiel"
        assert person.roles.region_ids == {region.pk}
        assert int(client.session["_auth_user_id"]) == person.pk
        # A second submit of the same form creates nothing twice.
        again = client.post(
            accept_url("tok"),
            {
                "full_name": "Anna Beispiel",
                "password1": "Sonnenblume-im-Regen-7",
                "password2": "Sonnenblume-im-Regen-7",
            },
        )
        assert again.status_code == 302
        assert User.objects.filter(email="anna@example.org").count() == 1
        assert Role.objects.filter(user=person).count() == 1

    def test_a_weak_password_is_refused_and_the_name_kept(self, client):
        InvitationFactory(raw_token="tok", email="anna@example.org")
        response = client.post(
            accept_url("tok"),
            {"full_name": "Anna Beispiel", "password1": "12345678", "password2": "12345678"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["password1"]
        assert "Dieses Passwort ist zu üblich." in response.text
        assert 'value="Anna Beispiel"' in response.text
        assert not User.objects.filter(email="anna@example.org").exists()
        assert not Invitation.objects.get().accepted_at

    def test_a_password_like_the_address_is_refused(self, client):
        InvitationFactory(raw_token="tok", email="annabeispiel@example.org")
        response = client.post(
            accept_url("tok"),
            {
                "full_name": "Anna",
                "password1": "annabeispiel1",
                "password2": "annabeispiel1",
            },
        )
        assert response.context["form"].errors["password1"]

    def test_different_passwords_are_refused(self, client):
        InvitationFactory(raw_token="tok")
        response = client.post(
            accept_url("tok"),
            {
                "full_name": "Anna",
                "password1": "Sonnenblume-im-Regen-7",
                "password2": "Sonnenblume-im-Regen-8",
            },
        )
        assert "stimmen nicht überein" in response.text

    def test_a_coordinator_invitation_starts_the_position(self, client, shelter):
        InvitationFactory(raw_token="tok", kind=Invitation.Kind.COORDINATOR, shelter=shelter)
        client.post(
            accept_url("tok"),
            {
                "full_name": "Erika",
                "password1": "Sonnenblume-im-Regen-7",
                "password2": "Sonnenblume-im-Regen-7",
            },
        )
        person = User.objects.get(email=Invitation.objects.get().email)
        assert person.roles.shelter_ids == {shelter.pk}
        dashboard = client.get(reverse("core:dashboard"))
        assert dashboard.status_code == 200


class TestAcceptingWithAnExistingAccount:
    def test_an_existing_account_is_asked_to_sign_in_first(self, client):
        person = UserFactory()
        InvitationFactory(raw_token="tok", email=person.email)
        response = client.get(accept_url("tok"))
        assert response.status_code == 200
        assert "Bitte melden Sie sich zuerst an" in response.text
        assert f"{reverse('account_login')}?next=/einladung/tok/" in response.text
        # Posting a new account for an existing address creates nothing.
        client.post(
            accept_url("tok"),
            {
                "full_name": "X",
                "password1": "Sonnenblume-im-Regen-7",
                "password2": "Sonnenblume-im-Regen-7",
            },
        )
        assert User.objects.count() == 2  # the person and the inviting admin

    def test_the_signed_in_person_accepts_with_one_click(self, client, region):
        person = UserFactory(verified_email=True)
        InvitationFactory(
            raw_token="tok",
            email=person.email,
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
        )
        client.force_login(person)
        page = client.get(accept_url("tok"))
        assert page.status_code == 200
        assert "Einladung annehmen" in page.text
        response = client.post(accept_url("tok"))
        assert response.status_code == 302
        assert person.role_set.get().region == region
        assert client.post(accept_url("tok")).status_code == 302
        assert person.role_set.count() == 1

    def test_signing_in_from_the_invitation_returns_to_it(self, client):
        person = UserFactory(verified_email=True)
        InvitationFactory(raw_token="tok", email=person.email)
        response = client.post(
            f"{reverse('account_login')}?next=/einladung/tok/",
            {"login": person.email, "password": "demo"},
        )
        assert response.status_code == 302
        assert response.url == "/einladung/tok/"

    def test_someone_signed_in_with_another_account_is_told_to_sign_out(self, client):
        InvitationFactory(raw_token="tok", email="invited@example.org")
        other = UserFactory()
        client.force_login(other)
        response = client.get(accept_url("tok"))
        assert response.status_code == 200
        assert "invited@example.org" in response.text
        assert "Abmelden und fortfahren" in response.text
        client.post(accept_url("tok"))
        assert not Invitation.objects.get().accepted_at
        assert not other.role_set.exists()


class TestUnusableLinks:
    def test_an_unknown_token_gets_a_friendly_404(self, client):
        response = client.get(accept_url("does-not-exist"))
        assert response.status_code == 404
        assert "Diese Einladung kennen wir nicht" in response.text

    @pytest.mark.parametrize(
        ("changes", "text"),
        [
            ({"revoked_at": timezone.now()}, "zurückgezogen"),
            ({"expires_at": timezone.now() - datetime.timedelta(days=1)}, "abgelaufen"),
            ({"accepted_at": timezone.now()}, "bereits angenommen"),
        ],
    )
    def test_a_used_revoked_or_expired_link_gets_a_friendly_410(self, client, changes, text):
        InvitationFactory(raw_token="tok", **changes)
        for response in [client.get(accept_url("tok")), client.post(accept_url("tok"))]:
            assert response.status_code == 410
            assert text in response.text
