import pytest
from django.urls import reverse

from bfe.accounts.models import Role, User

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

PASSWORD = "Sonnenblume-im-Regen-7"


def sign_up(client, email="neu@example.org", **headers):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        headers=headers,
    )


def test_a_self_registered_person_becomes_a_volunteer(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    person = User.objects.get(email="neu@example.org")
    assert list(person.role_set.values_list("kind", flat=True)) == [Role.Kind.VOLUNTEER]
    assert person.roles.is_volunteer
    assert not person.roles.is_bfe_staff
    # The address must be confirmed first.
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in mailoutbox[0].subject


def test_a_self_registered_person_keeps_the_language_of_the_site(client):
    client.cookies["django_language"] = "en"
    sign_up(client)
    assert User.objects.get(email="neu@example.org").language == "en"


def test_signing_up_with_a_known_address_creates_nothing(client):
    UserFactory(email="known@example.org")
    sign_up(client, email="known@example.org")
    assert User.objects.filter(email="known@example.org").count() == 1
    assert not Role.objects.exists()


def test_a_weak_password_is_refused_at_signup(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    assert 'value="neu@example.org"' in response.text


def test_a_person_signs_in_with_the_email_address(client):
    person = UserFactory(verified_email=True)
    response = client.post(reverse("account_login"), {"login": person.email, "password": "demo"})
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert int(client.session["_auth_user_id"]) == person.pk


def test_the_sixth_failed_login_for_one_address_within_five_minutes_is_refused(client):
    person = UserFactory(verified_email=True)
    for attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": person.email, "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 200
        assert "Zu viele" not in response.text
    # Even the right password is refused now: the limit is per address, not per guess.
    response = client.post(reverse("account_login"), {"login": person.email, "password": "demo"})
    assert response.status_code == 200
    assert "Zu viele gescheiterte Anmeldeversuche" in response.text
    assert "_auth_user_id" not in client.session


def test_the_limit_for_one_address_holds_across_ip_addresses(client):
    person = UserFactory(verified_email=True)
    for attempt in range(5):
        client.post(
            reverse("account_login"),
            {"login": person.email, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{attempt + 1}",
        )
    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": "demo"},
        REMOTE_ADDR="10.0.0.99",
    )
    assert "Zu viele gescheiterte Anmeldeversuche" in response.text


def test_failed_logins_for_one_address_do_not_lock_out_another(client):
    victim = UserFactory(verified_email=True)
    other = UserFactory(verified_email=True)
    for _ in range(5):
        client.post(
            reverse("account_login"),
            {"login": victim.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    response = client.post(
        reverse("account_login"),
        {"login": other.email, "password": "demo"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_logout_signs_out(client):
    person = UserFactory(verified_email=True)
    client.force_login(person)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
