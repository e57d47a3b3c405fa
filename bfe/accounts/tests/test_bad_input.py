"""Bad input on the account pages: login, signup, password reset and invitation links answer
anything with 200, 302 or 4xx, and an account is made whole or not at all."""

import html

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from hypothesis import example, given

from bfe.accounts.models import Invitation, Role, User
from bfe.core.tests.hostile import (
    added,
    assert_no_server_error,
    bad_input_settings,
    counts,
    each_example_apart,
    hostile_value,
    mutated,
    path_segment,
    sent_value,
)

from .factories import InvitationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

STRONG = "Sonnenblume-im-Regen-7"
ACCOUNT_TABLES = (User, EmailAddress, Role)


@pytest.fixture
def person():
    return UserFactory(email="anna@example.org", verified_email=True)


def test_login_with_any_input_signs_in_only_with_the_right_password(person):
    valid = {"login": "anna@example.org", "password": "demo"}

    @bad_input_settings
    @given(data=mutated(valid, extra=["remember", "next", "username", "email"]))
    @example(data=valid)
    @example(data={"login": "anna@example.org\x00", "password": "demo"})
    @example(data={"login": "ANNA@example.org", "password": ["demo", "x"]})
    def check(data):
        with each_example_apart() as client:
            before = counts(*ACCOUNT_TABLES)

            response = client.post(reverse("account_login"), data)

            assert_no_server_error(response)
            assert added(before, *ACCOUNT_TABLES) == dict.fromkeys(
                ("User", "EmailAddress", "Role"), 0
            )
            signed_in = client.session.get("_auth_user_id")
            if signed_in:
                assert int(signed_in) == person.pk
                assert response.status_code == 302
            else:
                assert response.status_code in {200, 429}

    check()


@bad_input_settings
@given(data=mutated({"email": "neu@example.org", "password1": STRONG, "password2": STRONG}))
@example(data={"email": "neu@example.org", "password1": STRONG, "password2": STRONG})
@example(data={"email": "neu@example.org", "password1": "x\x00" * 10, "password2": "x\x00" * 10})
@example(data={"email": "ANNA@example.org", "password1": STRONG, "password2": STRONG})
def test_signup_with_any_input_makes_one_complete_volunteer_account_or_none(person, data):
    with each_example_apart() as client:
        before = counts(*ACCOUNT_TABLES)

        response = client.post(reverse("account_signup"), data)

        assert_no_server_error(response)
        made = added(before, *ACCOUNT_TABLES)
        new = User.objects.exclude(pk=person.pk).first()
        if new is None:
            assert made == {"User": 0, "EmailAddress": 0, "Role": 0}
        else:
            assert response.status_code == 302
            assert made == {"User": 1, "EmailAddress": 1, "Role": 1}
            assert new.email == sent_value(data, "email").strip().lower()
            assert new.check_password(sent_value(data, "password1"))
            assert Role.objects.get(user=new).kind == Role.Kind.VOLUNTEER
            assert EmailAddress.objects.get(user=new).email == new.email


def test_a_refused_signup_keeps_the_address_and_says_why_in_german(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "mariam.مريم@example.org", "password1": STRONG, "password2": STRONG + "x"},
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    # allauth's text, in the platform's formal German (bfe/locale_allauth).
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in page
    assert 'value="mariam.مريم@example.org"' in page
    assert not User.objects.exists()


@bad_input_settings
@given(data=mutated({"email": "anna@example.org"}, extra=["next"]))
def test_password_reset_with_any_input_creates_nothing(person, data, mailoutbox):
    with each_example_apart() as client:
        before = counts(*ACCOUNT_TABLES)

        response = client.post(reverse("account_reset_password"), data)

        assert response.status_code in {200, 302, 429}
        assert added(before, *ACCOUNT_TABLES) == {"User": 0, "EmailAddress": 0, "Role": 0}


@bad_input_settings
@given(token=path_segment, data=mutated({"full_name": "Anna", "password1": STRONG}))
def test_an_invitation_link_with_any_token_is_unavailable_and_creates_nothing(token, data):
    with each_example_apart() as client:
        invitation = InvitationFactory(raw_token="echt")
        before = counts(*ACCOUNT_TABLES)
        url = reverse("accounts:invitation_accept", args=[token])

        assert client.get(url).status_code == (200 if token == "echt" else 404)
        if token != "echt":
            assert client.post(url, data).status_code == 404

        assert added(before, *ACCOUNT_TABLES) == {"User": 0, "EmailAddress": 0, "Role": 0}
        invitation.refresh_from_db()
        assert invitation.is_pending


@bad_input_settings
@given(data=mutated({"full_name": "Anna Beispiel", "password1": STRONG, "password2": STRONG}))
@example(data={"full_name": "Anna Beispiel", "password1": STRONG, "password2": STRONG})
@example(data={"full_name": "  ‮Anna‬  ", "password1": STRONG, "password2": STRONG})
def test_accepting_an_invitation_with_any_input_makes_one_complete_account_or_none(data):
    with each_example_apart() as client:
        invitation = InvitationFactory(
            raw_token="tok", email="paul@example.org", kind=Invitation.Kind.PARTNER
        )
        before = counts(*ACCOUNT_TABLES)

        response = client.post(reverse("accounts:invitation_accept", args=["tok"]), data)

        assert_no_server_error(response)
        invitation.refresh_from_db()
        made = added(before, *ACCOUNT_TABLES)
        if response.status_code == 302:
            new = User.objects.get(email="paul@example.org")
            assert made["User"] == 1 and made["Role"] == 1
            assert new.full_name.strip()
            assert new.check_password(sent_value(data, "password1"))
            assert Role.objects.get(user=new).kind == Role.Kind.PARTNER
            assert invitation.accepted_by == new
        else:
            assert response.status_code == 200
            assert made == {"User": 0, "EmailAddress": 0, "Role": 0}
            assert invitation.is_pending


@bad_input_settings
@given(value=hostile_value)
def test_any_value_in_the_login_form_is_shown_back_escaped(value):
    with each_example_apart() as client:
        response = client.post(reverse("account_login"), {"login": value, "password": "x"})
        assert response.status_code in {200, 429}
        assert b"<script>alert(1)</script>" not in response.content
