import pytest
from django.urls import reverse

from bfe.accounts.models import Invitation, Role, User

from .factories import InvitationFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.org", password="demo")


def test_the_user_admin_lists_searches_and_shows_roles(client, superuser):
    person = RoleFactory(kind=Role.Kind.PARTNER, user__email="partner@example.org").user
    client.force_login(superuser)
    listing = client.get(reverse("admin:accounts_user_changelist"), {"q": "partner@"})
    assert listing.status_code == 200
    assert "partner@example.org" in listing.text
    change = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert change.status_code == 200
    assert "role_set-0-kind" in change.text
    assert 'name="username"' not in change.text


def test_the_user_admin_creates_a_person_with_an_email_login(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "neu@example.org",
            "full_name": "Neu",
            "usable_password": "true",
            "password1": "Sonnenblume-im-Regen-7",
            "password2": "Sonnenblume-im-Regen-7",
            "role_set-TOTAL_FORMS": "0",
            "role_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="neu@example.org").check_password("Sonnenblume-im-Regen-7")


def test_a_role_without_its_region_is_refused_in_the_admin(client, superuser):
    person = UserFactory()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {
        **{key: value for key, value in form.initial.items() if value is not None},
        "email": person.email,
        "language": "de",
        "date_joined_0": "01.01.2025",
        "date_joined_1": "10:00:00",
        "role_set-TOTAL_FORMS": "1",
        "role_set-INITIAL_FORMS": "0",
        "role_set-0-kind": "regional_coordinator",
        "role_set-0-region": "",
        "role_set-0-user": person.pk,
    }
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert not person.role_set.exists()


def test_the_invitation_admin_filters_by_status(client, superuser):
    InvitationFactory(email="open@example.org")
    InvitationFactory(email="done@example.org", accepted_at="2025-01-01T10:00:00Z")
    client.force_login(superuser)
    response = client.get(reverse("admin:accounts_invitation_changelist"), {"status": "pending"})
    assert response.status_code == 200
    assert "open@example.org" in response.text
    assert "done@example.org" not in response.text


def test_invitations_are_not_added_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_the_revoke_action_calls_the_service(client, superuser):
    pending = InvitationFactory()
    accepted = InvitationFactory(accepted_at="2025-01-01T10:00:00Z")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_invitation_changelist"),
        {"action": "revoke", "_selected_action": [pending.pk, accepted.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.status == Invitation.Status.REVOKED
    assert accepted.status == Invitation.Status.ACCEPTED
    assert "1 Einladung zurückgezogen." in response.text
    assert "bereits angenommen" in response.text
