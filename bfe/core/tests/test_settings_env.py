"""Yes/no settings from the environment: a typo is refused, never read as "off"."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from bfe.settings import env_bool


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", " on "])
def test_yes_values_are_true(monkeypatch, value):
    monkeypatch.setenv("BFE_TEST_FLAG", value)

    assert env_bool("BFE_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "NO", "off"])
def test_no_values_are_false(monkeypatch, value):
    monkeypatch.setenv("BFE_TEST_FLAG", value)

    assert env_bool("BFE_TEST_FLAG", True) is False


@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_or_empty_gives_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("BFE_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("BFE_TEST_FLAG", value)

    assert env_bool("BFE_TEST_FLAG", True) is True
    assert env_bool("BFE_TEST_FLAG", False) is False


@pytest.mark.parametrize("value", ["ture", "flase", "2", "enabled", "nein"])
def test_an_unknown_value_is_refused_naming_the_variable_and_the_allowed_values(monkeypatch, value):
    monkeypatch.setenv("BFE_TEST_FLAG", value)

    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("BFE_TEST_FLAG", False)

    message = str(refused.value)
    assert f"BFE_TEST_FLAG={value!r}" in message
    assert "1, true, yes, on" in message
    assert "0, false, no, off" in message


def test_the_platform_does_not_start_with_a_mistyped_switch():
    environment = {**os.environ, "REQUIRE_STAFF_2FA": "flase"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "bfe.settings"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode != 0
    assert "ImproperlyConfigured: REQUIRE_STAFF_2FA='flase' is not a yes/no value" in (
        started.stderr
    )
