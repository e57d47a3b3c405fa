"""Rate limits on login, signup, password reset, the public forms and the pages found by a secret.

Each test names its limit from ACCOUNT_RATE_LIMITS and shows the first refused attempt. The
limits live in the cache, which is emptied after every test (bfe/conftest.py).
"""

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from bfe.accounts.models import Invitation, hash_token
from bfe.accounts.services import invite
from bfe.accounts.tests.factories import PASSWORD, RoleFactory, UserFactory
from bfe.events.models import CalendarFeed, Certificate, Registration
from bfe.events.tests.factories import EventFactory, GuestRegistrationFactory, TrainingSeriesFactory
from bfe.places.tests.factories import ShelterFactory

pytestmark = pytest.mark.django_db

TOO_MANY_REQUESTS = 429
LIMITS = settings.ACCOUNT_RATE_LIMITS


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Dozens of password checks per test; the limiter counts them, whatever the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person():
    user = UserFactory(email="freiwillig@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(client):
    return "_auth_user_id" in client.session


def assert_the_german_429_page(response):
    assert response.status_code == TOO_MANY_REQUESTS
    assert "Zu viele Versuche" in response.text
    assert "Bitte warten Sie einige Minuten" in response.text


# Login, signup, password reset (allauth) --------------------------------------------------------


def test_login_refuses_even_the_right_password_after_five_failed_attempts(client, person):
    assert LIMITS["login_failed"] == "5/5m/ip,5/5m/key"
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": person.email, "password": "falsch"})
        assert response.status_code == 200
        assert not signed_in(client)

    response = client.post(url, {"login": person.email, "password": PASSWORD})

    assert response.status_code == 200
    assert str(get_adapter().error_messages["too_many_login_attempts"]) in response.text
    assert "Zu viele gescheiterte Anmeldeversuche" in response.text
    assert not signed_in(client)


def test_four_failed_logins_still_let_the_right_password_in(client, person):
    url = reverse("account_login")
    for _ in range(4):
        client.post(url, {"login": person.email, "password": "falsch"})

    response = client.post(url, {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client)


def test_failed_logins_lock_the_account_for_other_addresses_too(client, person):
    """login_failed counts per account as well: a guesser cannot dodge it by switching IPs."""
    url = reverse("account_login")
    for number in range(5):
        client.post(
            url, {"login": person.email, "password": "falsch"}, REMOTE_ADDR=f"10.0.0.{number}"
        )

    response = client.post(
        url, {"login": person.email, "password": PASSWORD}, REMOTE_ADDR="10.0.1.1"
    )

    assert "Zu viele gescheiterte Anmeldeversuche" in response.text
    assert not signed_in(client)


def test_login_form_answers_429_after_thirty_posts_a_minute(client):
    assert LIMITS["login"] == "30/m/ip"
    url = reverse("account_login")
    for _ in range(30):
        assert client.post(url, {}).status_code == 200

    assert_the_german_429_page(client.post(url, {}))


def test_signup_answers_429_after_ten_posts_an_hour(client):
    assert LIMITS["signup"] == "10/h/ip"
    url = reverse("account_signup")
    for _ in range(10):
        assert client.post(url, {}).status_code == 200

    assert_the_german_429_page(client.post(url, {}))


def test_password_reset_answers_429_after_three_mails_to_one_address(client, person, mailoutbox):
    assert LIMITS["reset_password"] == "5/h/ip,3/h/key"
    url = reverse("account_reset_password")
    for number in range(3):
        response = client.post(url, {"email": person.email}, REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 302

    response = client.post(url, {"email": person.email}, REMOTE_ADDR="10.0.1.1")

    assert_the_german_429_page(response)
    assert len(mailoutbox) == 3


def test_password_reset_answers_429_after_five_requests_from_one_address(client, mailoutbox):
    url = reverse("account_reset_password")
    for number in range(5):
        assert client.post(url, {"email": f"jemand{number}@example.org"}).status_code == 302

    assert_the_german_429_page(client.post(url, {"email": "noch-jemand@example.org"}))


# The public guest registration ----------------------------------------------------------------

GUEST_LIMIT_TEXT = "Von hier kamen gerade sehr viele Anmeldungen"


def guest_data(email):
    return {"name": "Gisela Gast", "email": email, "language": "de", "consent": "on"}


@pytest.fixture
def workshop():
    return EventFactory(capacity=100)


def test_guest_registration_refuses_a_sixth_registration_of_one_address(
    client, workshop, mailoutbox
):
    assert LIMITS["event_guest_register"] == "20/h/ip,5/h/key"
    url = reverse("events:guest_register", args=[workshop.pk])
    for number in range(5):
        response = client.post(url, guest_data("gast@example.org"), REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 302
    mails_before = len(mailoutbox)

    response = client.post(url, guest_data("gast@example.org"), REMOTE_ADDR="10.0.1.1")

    assert response.status_code == 200
    assert GUEST_LIMIT_TEXT in response.text
    assert 'value="Gisela Gast"' in response.text
    assert len(mailoutbox) == mails_before


def test_guest_registration_refuses_the_twenty_first_registration_from_one_address(
    client, workshop
):
    url = reverse("events:guest_register", args=[workshop.pk])
    for number in range(20):
        assert client.post(url, guest_data(f"gast{number}@example.org")).status_code == 302

    response = client.post(url, guest_data("gast-21@example.org"))

    assert response.status_code == 200
    assert GUEST_LIMIT_TEXT in response.text
    assert not Registration.objects.filter(guest_email="gast-21@example.org").exists()


# Pages found by a code or a token: misses are counted ------------------------------------------


@pytest.fixture
def certificate(person):
    return Certificate.objects.create(
        person=person,
        series=TrainingSeriesFactory(),
        holder_name="Fiona Freiwillig",
        verification_code="ABCD2345",
        hours=48,
    )


def verify_url(code):
    return reverse("events:certificate_verify", args=[code])


def test_certificate_verification_answers_429_after_twenty_unknown_codes(client, certificate):
    """Codes have 8 characters of 32: without a limit they could be enumerated."""
    assert LIMITS["certificate_verify_failed"] == "20/h/ip"
    for number in range(20):
        assert client.get(verify_url(f"ZZZZ{number:04d}")).status_code == 404

    response = client.get(verify_url(certificate.verification_code))

    assert_the_german_429_page(response)
    assert "Fiona Freiwillig" not in response.text


def test_checking_valid_certificates_is_never_limited(client, certificate):
    for _ in range(30):
        response = client.get(verify_url(certificate.verification_code))
        assert response.status_code == 200

    assert "Diese Bescheinigung ist gültig." in response.text


def test_certificate_misses_are_counted_per_client_behind_the_proxy(client, certificate, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # Every request comes from the load balancer; the client is the last X-Forwarded-For entry.
    guesser = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    employer = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    for number in range(20):
        client.get(verify_url(f"ZZZZ{number:04d}"), **guesser)

    assert client.get(verify_url(certificate.verification_code), **guesser).status_code == 429
    assert client.get(verify_url(certificate.verification_code), **employer).status_code == 200


@pytest.mark.parametrize("behind_proxy", ["1", "0"])
def test_production_counts_the_client_not_the_proxy(behind_proxy):
    """Without it, one guesser's misses would lock every visitor out of login and the forms."""
    env = {**os.environ, "DEBUG": "0", "BEHIND_PROXY": behind_proxy}
    script = (
        "from django.conf import settings; "
        "print(getattr(settings, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings module
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "bfe.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == ("1" if behind_proxy == "1" else "0")


def test_guest_links_answer_429_after_twenty_unknown_tokens(client):
    assert LIMITS["event_guest_link_failed"] == "20/h/ip"
    token = "gast-token-der-stimmt"
    GuestRegistrationFactory(token_hash=hash_token(token))
    for number in range(20):
        url = reverse("events:guest_manage", args=[f"geraten-{number}"])
        assert client.get(url).status_code == 404

    assert_the_german_429_page(client.get(reverse("events:guest_manage", args=[token])))


def test_a_guest_opening_her_own_link_is_never_limited(client):
    token = "gast-token-der-stimmt"
    GuestRegistrationFactory(token_hash=hash_token(token))
    url = reverse("events:guest_manage", args=[token])

    assert all(client.get(url).status_code == 200 for _ in range(25))


def test_invitation_links_answer_429_after_twenty_unknown_tokens(client):
    assert LIMITS["invitation_link_failed"] == "20/h/ip"
    _, token = invite(
        email="neu@example.org",
        kind=Invitation.Kind.COORDINATOR,
        shelter=ShelterFactory(),
        invited_by=RoleFactory(kind="admin").user,
    )
    for number in range(20):
        url = reverse("accounts:invitation_accept", args=[f"geraten-{number}"])
        assert client.get(url).status_code == 404

    response = client.get(reverse("accounts:invitation_accept", args=[token]))

    assert_the_german_429_page(response)
    assert "neu@example.org" not in response.text


def test_a_revoked_calendar_feed_polled_from_a_shared_address_locks_out_no_other_feed(
    client, person
):
    """No limit on the personal feed: calendar services poll many people's feeds from the same
    addresses, and its token has 256 bits, so counting misses would only break valid feeds."""
    token = "kalender-token-der-stimmt"
    CalendarFeed.objects.create(person=person, token_hash=hash_token(token))
    for number in range(30):
        url = reverse("events:personal_feed", args=[f"widerrufen-{number}"])
        assert client.get(url).status_code == 404

    response = client.get(reverse("events:personal_feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
