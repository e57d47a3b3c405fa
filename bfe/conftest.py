"""Test infrastructure shared by every app: test settings, clean state, and the browser.

Browser tests use pytest-playwright's fixtures (`page`, or `browser`/`context` directly) with
pytest-django's `live_server`, and are marked `browser` for it. They drive Debian's Chromium
(/usr/bin/chromium, or CHROMIUM_PATH); Playwright never downloads a browser of its own here.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test.utils import override_settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
# pytest-playwright's fixtures that start Chromium; a test needing any of them is a browser test.
BROWSER_FIXTURES = frozenset({"browser", "launch_browser", "context", "new_context", "page"})
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling out and this machine's closed network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TOO_FEW_TESTS = pytest.StashKey[str]()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# The test suite speaks plain HTTP to uncompiled static files and runs tasks in-process.
TEST_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "LANGUAGE_COOKIE_SECURE": False,
    "SECURE_HSTS_SECONDS": 0,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "TASKS": {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "extraction"],
        }
    },
    # Never the developer's Redis: clearing it between tests would wipe real sessions.
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


def pytest_addoption(parser):
    parser.addini(
        "minimum_tests",
        "a full run (no paths, -k or -m given) fails when it collects fewer tests than this",
        default="1",
    )


def pytest_collection_modifyitems(config, items):
    """Marks browser tests, keeps migrated data for transactional tests, and runs them last.

    A transactional test (`transaction=True`, `live_server`, every browser test) ends by emptying
    the database, taking the districts and regions of the data migrations with it. As in Django's
    own runner, such tests run after all others, and each restores the migrated data first
    (serialized rollback) instead of relying on what an earlier test left.
    """
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if _is_transactional(item):
            marker = item.get_closest_marker("django_db")
            options = dict(marker.kwargs) if marker else {}
            options.setdefault("serialized_rollback", True)
            item.add_marker(pytest.mark.django_db(**{**options, "transaction": True}), append=False)
    items.sort(key=lambda item: (_is_transactional(item), bool(item.get_closest_marker("browser"))))


def _is_transactional(item):
    fixtures = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", *BROWSER_FIXTURES} & set(fixtures):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL (CI runs the suite on both)")


def pytest_sessionfinish(session, exitstatus):
    """Turns "no tests collected" (exit code 5) and a suspiciously small full run into failures."""
    config = session.config
    if config.option.collectonly or exitstatus not in (0, pytest.ExitCode.NO_TESTS_COLLECTED):
        return
    full_run = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
    )
    minimum = int(config.getini("minimum_tests")) if full_run else 1
    if session.testscollected < minimum:
        config.stash[TOO_FEW_TESTS] = (
            f"collected {session.testscollected} tests, expected at least {minimum}"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    if TOO_FEW_TESTS in config.stash:
        terminalreporter.section("too few tests", red=True)
        terminalreporter.write_line(f"FAILED: {config.stash[TOO_FEW_TESTS]}", red=True)


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    # Uploaded files of tests go to a throwaway folder, never the developer's media/.
    media = tmp_path_factory.mktemp("media")
    with override_settings(**TEST_SETTINGS, MEDIA_ROOT=media):
        yield


@pytest.fixture(autouse=True)
def _clear_caches():
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(scope="session")
def _connections_before_playwright():
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(_connections_before_playwright, playwright):
    """pytest-playwright's Playwright, with Django kept on the same database connections.

    Playwright's sync API marks an asyncio loop as running in this thread. Django then takes the
    thread for an async context: it refuses database access unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set, and it would open new connections without the test database's saved state. Handing the
    earlier connections over keeps serialized rollback and the shared in-memory SQLite working.
    """
    from django.db import connections

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    for alias, connection in _connections_before_playwright.items():
        connections[alias] = connection
    yield playwright
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server: `page.goto("/")`."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@pytest.fixture
def axe(page):
    """Runs axe-core on the current page and returns its WCAG 2.1 A/AA violations.

    The script is evaluated through the DevTools protocol, which the page's CSP does not block.
    """

    def violations(context=None):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
        result = page.evaluate(
            """(context) => axe.run(context || document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            })""",
            context,
        )
        return [
            {
                "id": violation["id"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
            for violation in result["violations"]
        ]

    return violations


@pytest.fixture
def task_queue(settings, monkeypatch):
    """Tasks go to django-tasks-db's table instead of running at once; `run_worker()` of
    bfe/core/tests/task_queue.py runs them."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "extraction"],
        }
    }
    # The worker closes "obsolete" connections, which would end the test's open transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
