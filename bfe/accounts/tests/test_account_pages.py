"""allauth's pages render inside the site layout, in German, without inline styles or scripts."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from .factories import UserFactory, activate_totp, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def assert_in_site_layout(response):
    assert response.status_code == 200
    html = response.text
    assert 'class="site-header"' in html, "not rendered inside base.html"
    assert 'href="/static/css/site.css"' in html
    assert " style=" not in html
    assert not INLINE_SCRIPT.search(html)
    return html


def signed_in(client, person, password="demo", totp_secret=None):  # noqa: S107
    response = client.post(reverse("account_login"), {"login": person.email, "password": password})
    assert response.status_code == 302
    if totp_secret:
        assert response.url == reverse("mfa_authenticate")
        client.post(response.url, {"code": totp_code(totp_secret)})
    # Two-factor settings ask for the password once more.
    client.post(reverse("account_reauthenticate"), {"password": password})
    return client


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_login", "Anmelden"),
        ("account_signup", "Registrieren"),
        ("account_reset_password", "Passwort zurücksetzen"),
        ("account_reset_password_done", "Bitte sehen Sie in Ihr Postfach"),
        ("account_email_verification_sent", "Bitte bestätigen Sie Ihre E-Mail-Adresse"),
    ],
)
def test_public_account_pages_use_the_site_layout(client, name, heading):
    html = assert_in_site_layout(client.get(reverse(name)))
    assert f"<h1>{heading}</h1>" in re.sub(r"\s*(<h1>|</h1>)\s*", r"\1", html)
    assert 'class="page-header narrow"' in html


def test_the_login_form_has_labels_and_the_reset_link(client):
    html = assert_in_site_layout(client.get(reverse("account_login")))
    assert '<form class="form card narrow" method="post" action="/konto/login/">' in html
    assert '<label class="field__label" for="id_login">' in html
    assert '<label class="field__label" for="id_password">' in html
    assert 'href="/konto/password/reset/">Passwort vergessen?</a>' in html
    assert 'class="button button--primary" type="submit"' in html
    assert 'href="/konto/signup/"' in html


def test_a_failed_login_shows_the_error_and_keeps_the_address(client):
    person = UserFactory(verified_email=True)
    response = client.post(reverse("account_login"), {"login": person.email, "password": "wrong"})
    html = assert_in_site_layout(response)
    assert 'class="form__errors"' in html
    assert f'value="{person.email}"' in html


def test_invalid_reset_and_confirmation_links_get_friendly_pages(client):
    html = assert_in_site_layout(
        client.get(reverse("account_reset_password_from_key", args=["1", "bad-key"]))
    )
    assert "Dieser Link gilt nicht mehr" in html
    html = assert_in_site_layout(client.get(reverse("account_confirm_email", args=["bad"])))
    assert "abgelaufen oder ungültig" in html


def test_the_password_reset_email_is_german_with_the_link(client, mailoutbox):
    person = UserFactory(verified_email=True)
    response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.subject == "[BfE] Ihr Link zum Zurücksetzen des Passworts"
    assert "/konto/password/reset/key/" in message.body
    assert message.body.startswith("Guten Tag,")


def test_the_reset_link_leads_to_a_password_form_in_the_layout(client, mailoutbox):
    person = UserFactory(verified_email=True)
    client.post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(r"http://\S+/konto/password/reset/key/\S+", mailoutbox[0].body).group(0)
    response = client.get(link, follow=True)
    html = assert_in_site_layout(response)
    assert "Neues Passwort festlegen" in html
    assert 'name="password1"' in html


def test_email_confirmation_page_renders_in_the_layout(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "Sonnenblume-7-x",
            "password2": "Sonnenblume-7-x",
        },
    )
    link = re.search(r"http://\S+/konto/confirm-email/\S+", mailoutbox[0].body).group(0)
    html = assert_in_site_layout(client.get(link))
    assert "neu@example.org" in html
    client.post(link)
    assert EmailAddress.objects.get(email="neu@example.org").verified


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout", "mfa_index"],
)
def test_account_management_pages_use_the_layout_with_the_account_navigation(client, name):
    signed_in(client, UserFactory(verified_email=True))
    html = assert_in_site_layout(client.get(reverse(name)))
    assert 'class="account-nav"' in html


def test_totp_activation_shows_the_qr_code_as_data_uri(client):
    signed_in(client, UserFactory(verified_email=True))
    html = assert_in_site_layout(client.get(reverse("mfa_activate_totp")))
    assert re.search(
        r'<img src="data:image/svg\+xml;base64,[^"]+" alt="[A-Z0-9]+" class="qr-code"', html
    )
    assert 'name="code"' in html


def test_totp_deactivation_and_recovery_codes_use_the_layout(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    person = UserFactory(verified_email=True)
    secret = activate_totp(person)
    RecoveryCodes.activate(person)
    signed_in(client, person, totp_secret=secret)
    assert_in_site_layout(client.get(reverse("mfa_deactivate_totp")))
    html = assert_in_site_layout(client.get(reverse("mfa_view_recovery_codes")))
    assert "<textarea" in html
    assert_in_site_layout(client.get(reverse("mfa_generate_recovery_codes")))
