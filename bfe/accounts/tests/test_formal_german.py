"""The login system speaks formal German ("Sie") like the rest of the platform.

django-allauth's own German catalogue says "du"; bfe/locale_allauth overrides it. These tests
walk allauth's pages and e-mails in German and look for informal address in everything a
person reads, and check the catalogue against every informal text allauth ships.
"""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from bfe.accounts.formal_address import allauth_informal_entries, informal_words
from bfe.accounts.management.commands.allauth_formal_catalogue import CATALOGUE

from .factories import UserFactory, activate_totp, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

PASSWORD = "Sonnenblume-im-Regen-7"
NEW_PASSWORD = "Mondschein-über-Spree-9"


class VisibleText(HTMLParser):
    """The text of a page as people meet it: content, and the attributes that browsers show or
    read aloud (placeholders, labels, titles, button values)."""

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(response):
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def mail_text(message):
    return "\n".join(
        [message.subject, message.body, *(body for body, _type in message.alternatives)]
    )


class Reader:
    """Everything one person reads while walking through the login system in German."""

    def __init__(self, client):
        self.client = client
        self.seen = {}

    def read(self, label, response):
        assert response.status_code < 500, label
        self.seen[label] = visible_text(response)
        return response

    def get(self, label, url, **kwargs):
        return self.read(label, self.client.get(url, follow=True, **kwargs))

    def post(self, label, url, data, **kwargs):
        return self.read(label, self.client.post(url, data, follow=True, **kwargs))

    def mails(self, label):
        for number, message in enumerate(mail.outbox):
            self.seen[f"{label}: e-mail {number + 1} ({message.subject})"] = mail_text(message)
        mail.outbox.clear()

    def informal_address(self):
        found = {label: informal_words(text) for label, text in self.seen.items()}
        return {label: words for label, words in found.items() if words}


def link_in(message):
    (url,) = re.findall(r"https?://\S+", message.body.split("Viele Grüße")[0])
    return urlparse(url).path


@pytest.fixture
def reader(client):
    client.cookies["django_language"] = "de"
    with translation.override("de"):
        yield Reader(client)


def test_the_informal_pattern_finds_du_forms_and_lets_formal_german_pass():
    assert informal_words("Bist du sicher, dass du dich abmelden möchtest?") == [
        "Bist",
        "dich",
        "du",
        "möchtest",
    ]
    assert informal_words("Bitte versuche es später erneut.") == ["Bitte versuche"]
    assert informal_words("Habt ihr euer Passwort vergessen?") == ["Habt", "euer"]
    assert informal_words("Ihr Passwort wurde geändert. Möchten Sie sich abmelden?") == []
    assert informal_words("Dürfen wir Sie duzen? Die Durchsicht dirigiert sie.") == []


def test_signing_in_and_signing_up_with_bad_input_speak_formally(reader):
    person = UserFactory(email="anna@example.org", password=PASSWORD)
    UserFactory(email="ben@example.org", password=PASSWORD)
    login = reverse("account_login")
    reader.get("login page", login)
    reader.post("wrong password", login, {"login": person.email, "password": "falsch"})
    reader.post("unknown address", login, {"login": "niemand@example.org", "password": "x"})
    reader.post("empty login form", login, {})
    for attempt in range(5):
        reader.post("too many attempts", login, {"login": person.email, "password": f"f{attempt}"})
    assert "Zu viele" in reader.seen["too many attempts"]

    signup = reverse("account_signup")
    reader.get("signup page", signup)
    reader.post(
        "signup with different passwords",
        signup,
        {"email": "neu@example.org", "password1": PASSWORD, "password2": NEW_PASSWORD},
    )
    reader.post(
        "signup with a weak password",
        signup,
        {"email": "neu@example.org", "password1": "12345678", "password2": "12345678"},
    )
    reader.post(
        "signup with a broken address",
        signup,
        {"email": "kein-at-zeichen", "password1": PASSWORD, "password2": PASSWORD},
    )
    # A known address gets an e-mail instead of an error (allauth prevents enumeration).
    reader.post(
        "signup with a known address",
        signup,
        {"email": "ben@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    reader.mails("signup with a known address")
    assert any("e-mail" in label for label in reader.seen)
    assert reader.informal_address() == {}


def test_signup_confirmation_mail_and_pages_speak_formally(reader):
    signup = reverse("account_signup")
    reader.post(
        "signup",
        signup,
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    (message,) = mail.outbox
    confirm_url = link_in(message)
    reader.mails("signup")
    reader.get("verification sent", reverse("account_email_verification_sent"))
    reader.get("expired confirmation link", reverse("account_confirm_email", args=["kaputt"]))
    reader.get("confirmation page", confirm_url)
    reader.post("confirmed", confirm_url, {})
    assert reader.client.session.get("_auth_user_id")
    assert reader.informal_address() == {}


def test_password_reset_mail_and_pages_speak_formally(reader):
    UserFactory(email="anna@example.org", password=PASSWORD)
    reset = reverse("account_reset_password")
    reader.get("reset page", reset)
    reader.post("reset with a broken address", reset, {"email": "kaputt"})
    reader.post("reset for an unknown address", reset, {"email": "niemand@example.org"})
    reader.mails("reset for an unknown address")
    reader.post("reset asked for", reset, {"email": "anna@example.org"})
    (message,) = mail.outbox
    reset_url = link_in(message)
    reader.mails("reset asked for")
    reader.get(
        "invalid reset link",
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "kaputt"}),
    )
    form = reader.get("new password form", reset_url)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else reset_url
    reader.post(
        "new passwords differ",
        form_url,
        {"password1": NEW_PASSWORD, "password2": PASSWORD},
    )
    reader.post(
        "new password set", form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert reader.client.login(username="anna@example.org", password=NEW_PASSWORD)
    assert reader.informal_address() == {}


def test_the_pages_of_a_signed_in_person_speak_formally(reader):
    person = UserFactory(email="anna@example.org", password=PASSWORD)
    client = reader.client
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    reader.get("signed in: login page", reverse("account_login"))
    change = reverse("account_change_password")
    reader.get("password change", change)
    reader.post(
        "password change with a wrong current password",
        change,
        {"oldpassword": "falsch", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    reader.post(
        "password change with different new passwords",
        change,
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": PASSWORD},
    )
    reader.post(
        "password changed",
        change,
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    emails = reverse("account_email")
    reader.get("e-mail addresses", emails)
    reader.post("second address", emails, {"action_add": "", "email": "anna2@example.org"})
    reader.mails("second address")
    reader.post(
        "removing the primary address", emails, {"action_remove": "", "email": person.email}
    )
    reader.post("adding a broken address", emails, {"action_add": "", "email": "kaputt"})
    reader.get("reauthenticate", reverse("account_reauthenticate"))
    reader.post("reauthenticate wrongly", reverse("account_reauthenticate"), {"password": "x"})
    reader.get("logout page", reverse("account_logout"))
    reader.post("signed out", reverse("account_logout"), {})
    assert "_auth_user_id" not in client.session
    assert reader.informal_address() == {}


def test_two_factor_setup_use_and_removal_speak_formally(reader):
    person = UserFactory(email="anna@example.org", password=PASSWORD, verified_email=True)
    client = reader.client
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    reader.get("two-factor overview", reverse("mfa_index"))
    activate = reverse("mfa_activate_totp")
    reader.get("asked for the password again", activate)
    reader.post("password given again", reverse("account_reauthenticate"), {"password": PASSWORD})
    page = reader.get("authenticator setup", activate)
    secret = page.context["form"].secret
    reader.post("authenticator setup with a wrong code", activate, {"code": "000000"})
    reader.post("authenticator set up", activate, {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    reader.get("recovery codes", reverse("mfa_view_recovery_codes"))
    reader.get("new recovery codes", reverse("mfa_generate_recovery_codes"))
    reader.post("new recovery codes made", reverse("mfa_generate_recovery_codes"), {})
    reader.get("authenticator removal", reverse("mfa_deactivate_totp"))
    reader.post("authenticator removed", reverse("mfa_deactivate_totp"), {})
    assert not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    reader.post("signed out", reverse("account_logout"), {})
    assert reader.informal_address() == {}


def test_signing_in_with_an_authenticator_speaks_formally(reader):
    person = UserFactory(email="anna@example.org", password=PASSWORD, verified_email=True)
    secret = activate_totp(person)
    reader.post("password", reverse("account_login"), {"login": person.email, "password": PASSWORD})
    authenticate = reverse("mfa_authenticate")
    reader.get("code page", authenticate)
    reader.post("wrong code", authenticate, {"code": "000000"})
    reader.post("signed in", authenticate, {"code": totp_code(secret)})
    assert int(reader.client.session["_auth_user_id"]) == person.pk
    reader.get("reauthenticate with the app", reverse("mfa_reauthenticate"))
    assert reader.informal_address() == {}


def lookup(key):
    if isinstance(key, tuple):
        msgid, index = key
        return translation.ngettext(msgid, msgid, 1 if index == 0 else 2)
    if "\x04" in key:
        context, msgid = key.split("\x04", 1)
        return translation.pgettext(context, msgid)
    return translation.gettext(key)


def test_every_informal_text_allauth_ships_is_formal_on_the_platform():
    entries = allauth_informal_entries()
    # allauth's catalogue has them; an upgrade that drops them all would void this test.
    assert len(entries) > 40
    with translation.override("de"):
        still_informal = {key: lookup(key) for key in entries if informal_words(lookup(key))}
    assert still_informal == {}


def test_english_pages_keep_allauth_s_english_texts(client):
    person = UserFactory(email="anna@example.org", password=PASSWORD)
    client.force_login(person)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": PASSWORD},
    )
    assert "You must type the same password each time." in response.text
    # Every text the formal catalogue overrides stays allauth's English msgid in English.
    with translation.override("en"):
        assert all(lookup(key) == key for key in allauth_informal_entries() if isinstance(key, str))


def test_the_catalogue_command_adds_what_is_missing_and_keeps_what_is_there(tmp_path):
    import polib

    catalogue = polib.pofile(str(CATALOGUE))
    dropped = catalogue.find("Are you sure you want to sign out?")
    kept = catalogue.find("You have signed out.")
    catalogue.remove(dropped)
    copy = tmp_path / "django.po"
    catalogue.save(str(copy))

    output = StringIO()
    call_command("allauth_formal_catalogue", catalogue=str(copy), stdout=output)

    updated = polib.pofile(str(copy))
    restored = updated.find("Are you sure you want to sign out?")
    assert restored.msgstr == ""
    assert restored.tcomment == "allauth: Bist du sicher, dass du dich abmelden möchtest?"
    assert updated.find("You have signed out.").msgstr == kept.msgstr
    assert len(updated) == len(catalogue) + 1
    assert "1 neue Einträge" in output.getvalue()


def test_the_catalogue_covers_every_informal_text_of_the_installed_allauth():
    output = StringIO()
    call_command("allauth_formal_catalogue", stdout=output)
    assert "Nichts zu ergänzen" in output.getvalue()


def test_no_german_template_of_the_platform_addresses_people_informally():
    templates = Path(settings.BASE_DIR) / "bfe" / "templates"
    found = {
        str(path.relative_to(templates)): informal_words(path.read_text())
        for path in templates.rglob("*")
        if path.suffix in {".html", ".txt"}
    }
    assert len(found) > 100  # the templates were read
    assert {name: words for name, words in found.items() if words} == {}


def test_without_the_formal_catalogue_the_same_walk_finds_du(reader, settings):
    settings.LOCALE_PATHS = [
        path for path in settings.LOCALE_PATHS if path.name != "locale_allauth"
    ]
    person = UserFactory(email="anna@example.org", password=PASSWORD)
    reader.client.force_login(person)
    reader.post(
        "password change with different new passwords",
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": PASSWORD},
    )
    assert reader.informal_address() == {
        "password change with different new passwords": ["Du", "musst"]
    }
