import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from .factories import RoleFactory, UserFactory, activate_totp, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE_URL = "/konto/2fa/totp/activate/"


def test_the_redirect_target_is_the_mounted_totp_setup():
    assert reverse("mfa_activate_totp") == ACTIVATE_URL


@pytest.mark.parametrize("fixture", ["lead", "regional_coordinator"])
def test_staff_without_totp_are_sent_to_set_it_up(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    for url in ["/start/", "/einladungen/", "/verwaltung/", "/unterkuenfte/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == ACTIVATE_URL


def test_staff_can_still_reach_account_pages_and_sign_out(client, regional_coordinator):
    client.force_login(regional_coordinator)
    assert client.get("/konto/email/").status_code == 200
    # The setup page is reachable (allauth asks for the password again before it).
    setup = client.get(ACTIVATE_URL)
    assert setup.status_code in {200, 302}
    assert setup.get("Location") != ACTIVATE_URL
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_told_to_navigate_to_the_setup(client, lead):
    client.force_login(lead)
    response = client.get("/start/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == ACTIVATE_URL


@pytest.mark.parametrize("fixture", ["lead", "regional_coordinator"])
def test_staff_with_totp_are_let_through(client, request, fixture):
    person = request.getfixturevalue(fixture)
    activate_totp(person)
    client.force_login(person)
    assert client.get("/start/").status_code == 200


def test_a_recovery_code_set_alone_does_not_count_as_totp(client, lead):
    Authenticator.objects.create(
        user=lead, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    client.force_login(lead)
    assert client.get("/start/").url == ACTIVATE_URL


@pytest.mark.parametrize("fixture", ["coordinator", "volunteer", "partner"])
def test_coordinators_volunteers_and_partners_are_never_sent(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/start/").status_code == 200


def test_anonymous_people_are_not_sent(client):
    assert client.get("/").status_code == 200


def test_the_setting_turns_the_requirement_off(client, lead, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    client.force_login(lead)
    assert client.get("/start/").status_code == 200


def test_staff_signing_in_with_password_reach_the_totp_setup_with_a_qr_code(client):
    person = RoleFactory(kind="admin", user__verified_email=True).user
    response = client.post("/konto/login/", {"login": person.email, "password": "demo"})
    assert response.status_code == 302
    setup_url = client.get("/start/").url
    assert setup_url == ACTIVATE_URL
    # allauth asks for the password once more before changing two-factor settings.
    confirm = client.get(setup_url)
    assert confirm.url.startswith(reverse("account_reauthenticate"))
    assert "site-header" in client.get(confirm.url).text
    assert client.post(confirm.url, {"password": "demo"}).url == ACTIVATE_URL
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text
    assert "site-header" in page.text


def test_a_person_with_totp_is_asked_for_the_code_when_signing_in(client):
    person = UserFactory(verified_email=True)
    secret = activate_totp(person)
    response = client.post("/konto/login/", {"login": person.email, "password": "demo"})
    assert response.url == reverse("mfa_authenticate")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "site-header" in page.text
    response = client.post(response.url, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk
