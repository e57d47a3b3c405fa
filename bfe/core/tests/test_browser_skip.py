"""Without Chromium every browser test is skipped, none errors; in CI a missing browser fails.

The suite runs again in a subprocess (with CHROMIUM_PATH pointing at a file that does not exist),
because bfe/conftest.py reads the browser's path once when pytest loads it.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Browser tests through `page`, through `browser` directly, and with the `axe` fixture.
BROWSER_TEST_FILES = [
    "bfe/events/tests/test_registration_browser.py",
    "bfe/core/tests/test_browser_smoke.py",
]


def run_browser_tests(tmp_path, **env_overrides):
    """Counts of a pytest run over BROWSER_TEST_FILES without Chromium, read from its JUnit XML."""
    # SQLite in memory: never the test database of the run that started this one.
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL"}}
    env.update(CHROMIUM_PATH=str(tmp_path / "no-chromium"), **env_overrides)
    report = tmp_path / "report.xml"
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", f"--junitxml={report}"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and test files
        [*command, *BROWSER_TEST_FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert report.exists(), result.stdout + result.stderr
    suite = ET.parse(report).getroot().find("testsuite")  # noqa: S314 - pytest's own report
    counts = {key: int(suite.get(key)) for key in ("tests", "skipped", "errors", "failures")}
    skipped = {
        case.get("name") for case in suite.iter("testcase") if case.find("skipped") is not None
    }
    return result, counts, skipped


def test_without_chromium_every_browser_test_is_skipped_and_none_errors(tmp_path):
    result, counts, skipped = run_browser_tests(tmp_path)

    assert counts["errors"] == 0, result.stdout
    assert counts["failures"] == 0, result.stdout
    assert counts["skipped"] == counts["tests"] > 0, result.stdout
    assert "no-chromium is missing" in result.stdout
    # It starts Chromium through `browser`, not `page`.
    assert "test_registering_works_without_javascript[chromium]" in skipped


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_missing_chromium_fails_every_browser_test(tmp_path, ci):
    result, counts, _skipped = run_browser_tests(tmp_path, CI=ci)

    assert result.returncode == 1
    assert counts["errors"] + counts["failures"] == counts["tests"] > 0, result.stdout
    assert counts["skipped"] == 0, result.stdout
