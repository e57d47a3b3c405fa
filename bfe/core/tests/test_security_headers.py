"""Security headers, cookies and the Content-Security-Policy on a sample of every kind of page.

The test settings speak plain HTTP (bfe/conftest.py). What production does is read from
`bfe/settings.py` itself, imported in a subprocess with the production environment of `.ci/run`,
and applied to a fresh client, so that a change in settings.py shows up here.
"""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import PASSWORD, RoleFactory, UserFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
# The environment of the check --deploy step in .ci/run.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "production-like-secret-key-for-the-tests-" + "x" * 40,
    "ALLOWED_HOSTS": "bfe.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://bfe.example.org",
    "SITE_URL": "https://bfe.example.org",
    "EMAIL_URL": "smtp://bfe:secret@mail.example.org:587?tls=1",
    "DATABASE_URL": "postgres://bfe@db.example.org:5432/bfe",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "BEHIND_PROXY": "1",
}
TLS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
]
# Environment variables that would change what settings.py decides.
SETTINGS_ENV = {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "STATIC_MANIFEST", "MAP_TILE_URL"}


def production_environment():
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="bfe.settings")
    return env


@pytest.fixture(scope="module")
def production():
    """The TLS and cookie settings that bfe/settings.py computes for production."""
    script = (
        # Through django.conf, so that Django's defaults count for what settings.py leaves out.
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {TLS_SETTINGS!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings module
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production_client(production):
    """A client whose middleware is built under the production TLS settings."""
    with override_settings(**production):
        # Built inside the override: SecurityMiddleware reads its settings once, when created.
        yield Client()


HTTPS_BEHIND_PROXY = {"HTTP_X_FORWARDED_PROTO": "https"}
HTTP_BEHIND_PROXY = {"HTTP_X_FORWARDED_PROTO": "http"}


# The sample: one page of every kind ----------------------------------------------------------


@pytest.fixture
def people():
    shelter = ShelterFactory(district=berlin_district("01"))
    coordinator = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=coordinator)
    return {
        "anonymous": None,
        "volunteer": RoleFactory(kind=Role.Kind.VOLUNTEER).user,
        "partner": RoleFactory(kind=Role.Kind.PARTNER).user,
        "coordinator": coordinator,
        "shelter": shelter,
    }


# (what kind of page, who asks, url builder, expected status)
SAMPLE = {
    "public page": ("anonymous", lambda p: reverse("core:home"), 200),
    "signed-in page": ("volunteer", lambda p: reverse("core:dashboard"), 200),
    "login form": ("anonymous", lambda p: reverse("account_login"), 200),
    "edit form": (
        "coordinator",
        lambda p: reverse("places:shelter_edit", args=[p["shelter"].pk]),
        200,
    ),
    "error page 404": ("anonymous", lambda p: "/gibt-es-nicht/", 404),
    "iCal feed": ("anonymous", lambda p: reverse("events:public_feed"), 200),
    "CSV export": ("partner", lambda p: reverse("consultations:statistics_csv"), 200),
    "healthz JSON": ("anonymous", lambda p: reverse("core:healthz"), 200),
}
HTML_PAGES = ["public page", "signed-in page", "login form", "edit form", "error page 404"]


def fetch(client, people, kind):
    role, url, status = SAMPLE[kind]
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(url(people))
    assert response.status_code == status
    return response


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# Content-Security-Policy ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_csp_is_enforced_not_only_reported(client, people, kind):
    response = fetch(client, people, kind)

    assert response.has_header("Content-Security-Policy")
    assert not response.has_header("Content-Security-Policy-Report-Only")


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_csp_allows_no_inline_or_evaluated_script_so_injected_markup_cannot_run(
    client, people, kind
):
    directives = csp_directives(fetch(client, people, kind))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    sources = [source for values in directives.values() for source in values]
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "*" not in sources


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_csp_forbids_framing_plugins_base_tags_and_foreign_form_targets(client, people, kind):
    directives = csp_directives(fetch(client, people, kind))

    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


# The other headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_browsers_may_not_sniff_a_download_into_an_executable_type(client, people, kind):
    assert fetch(client, people, kind)["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_no_page_may_be_framed_against_clickjacking_in_older_browsers(client, people, kind):
    assert fetch(client, people, kind)["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_addresses_with_tokens_do_not_leak_to_other_sites_through_the_referrer(
    client, people, kind
):
    assert fetch(client, people, kind)["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_other_windows_cannot_script_ours_through_window_opener(client, people, kind):
    assert fetch(client, people, kind)["Cross-Origin-Opener-Policy"] == "same-origin"


# Production: HTTPS everywhere ------------------------------------------------------------------


def test_production_settings_turn_on_https_hsts_and_secure_cookies(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["LANGUAGE_COOKIE_SECURE"] is True


def test_https_responses_pin_https_for_a_year_on_all_subdomains(production_client):
    response = production_client.get(reverse("core:home"), **HTTPS_BEHIND_PROXY)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize("url", ["/", "/konto/login/", "/unterkuenfte/?bezirk=01"])
def test_plain_http_is_redirected_to_https_so_nothing_travels_unencrypted(production_client, url):
    response = production_client.get(url, **HTTP_BEHIND_PROXY)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"


def test_load_balancer_may_ask_healthz_over_plain_http(production_client):
    response = production_client.get(reverse("core:healthz"), **HTTP_BEHIND_PROXY)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_session_cookie_is_secure_hidden_from_scripts_and_same_site(production_client):
    person = UserFactory(email="freiwillig@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    response = production_client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        **HTTPS_BEHIND_PROXY,
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_csrf_cookie_is_secure_and_same_site(production_client):
    response = production_client.get(reverse("account_login"), **HTTPS_BEHIND_PROXY)

    assert response.status_code == 200
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_language_cookie_is_secure_and_same_site(production_client):
    response = production_client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, **HTTPS_BEHIND_PROXY
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_check_deploy_passes_with_the_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# No inline code: the CSP would block it silently ------------------------------------------------

TEMPLATE_DIRS = [BASE_DIR / "bfe" / "templates", *sorted(BASE_DIR.glob("bfe/*/templates"))]
# E-mails and PDFs (WeasyPrint) are never shown under the site's CSP; they may style inline.
NOT_UNDER_CSP = {"email", "pdf"}
INLINE_CODE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)),
    ("style element", re.compile(r"<style\b", re.IGNORECASE)),
    ("event handler", re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)),
    ("htmx inline handler", re.compile(r"\shx-on[:-]", re.IGNORECASE)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("javascript: address", re.compile(r"javascript:", re.IGNORECASE)),
]


def site_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            if path.relative_to(folder).parts[0] not in NOT_UNDER_CSP:
                yield path


def test_the_template_scan_finds_the_templates():
    names = {path.relative_to(BASE_DIR).as_posix() for path in site_templates()}

    assert "bfe/templates/base.html" in names
    assert "bfe/templates/events/training/verify.html" in names
    assert not any("/email/" in name or "/pdf/" in name for name in names)


@pytest.mark.parametrize(("what", "pattern"), INLINE_CODE, ids=[what for what, _ in INLINE_CODE])
def test_no_template_holds_inline_code_the_csp_would_block(what, pattern):
    found = [
        f"{path.relative_to(BASE_DIR)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in site_templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]

    assert found == []


@pytest.mark.parametrize(("what", "pattern"), INLINE_CODE, ids=[what for what, _ in INLINE_CODE])
def test_the_template_scan_would_notice_inline_code(what, pattern):
    samples = {
        "inline script": "<script>alert(1)</script>",
        "style element": "<style>p{}</style>",
        "event handler": '<button onclick="go()">',
        "htmx inline handler": '<form hx-on::after-request="x()">',
        "style attribute": '<p style="color:red">',
        "javascript: address": '<a href="javascript:void(0)">',
    }

    assert pattern.search(samples[what])
    assert not pattern.search('<script src="/static/js/map.js" defer></script><p class="x">')


JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP refuses in rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            # Data blocks (json_script) never run, so the CSP lets them be.
            is_data = attributes.get("type", "text/javascript") not in JAVASCRIPT_TYPES
            self._in_script = "src" not in attributes and not is_data
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_code_in(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_rendered_html_scan_would_notice_inline_code():
    html = (
        '<script>alert(1)</script><p style="x"></p><a onclick="y()"></a>'
        '<script src="/static/a.js"></script><script type="application/json">{"a": 1}</script>'
    )

    assert inline_code_in(html) == ["<script>alert(1)", "<p style=…>", "<a onclick=…>"]


@pytest.mark.parametrize("kind", HTML_PAGES)
def test_rendered_pages_hold_no_inline_code(client, people, kind):
    response = fetch(client, people, kind)

    assert "<html" in response.text
    assert inline_code_in(response.text) == []


@pytest.mark.parametrize(
    "url",
    ["/unterkuenfte/", "/regionen/nord/", "/veranstaltungen/", "/fortbildungen/", "/konto/signup/"],
)
def test_public_pages_with_maps_and_forms_hold_no_inline_code(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert inline_code_in(response.text) == []


@pytest.mark.parametrize(
    "name",
    [
        "core:dashboard",
        "consultations:outreach",
        "consultations:list",
        "consultations:create",
        "consultations:followups",
        "events:create",
        "accounts:invitation_list",
    ],
)
def test_staff_pages_and_forms_hold_no_inline_code(client, settings, name):
    settings.BFE_REQUIRE_STAFF_2FA = False
    client.force_login(RoleFactory(kind=Role.Kind.ADMIN).user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert inline_code_in(response.text) == []
