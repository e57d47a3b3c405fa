"""Hostile input for the bad-input tests of every app: hypothesis strategies and helpers.

A form is fed what browsers, scripts and people really send: any unicode (right-to-left marks,
combining characters, emoji, NUL bytes), very long strings, numbers out of any range, dates that
do not exist, wrong types, and fields missing or sent twice. The property each app's
test_bad_input.py checks: the answer is 200, 302 or 4xx, never a server error (the test client
re-raises exceptions, so a crash fails the test), and nothing is half-saved.
"""

from contextlib import contextmanager

from django.core.cache import caches
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bfe.conftest import IN_CI

# Examples share the test's fixtures; each runs in its own savepoint (see `each_example_apart`).
# Timing is not the point here, and so few examples keep every file well under a minute.
bad_input_settings = settings(
    max_examples=20,
    deadline=None,
    # CI draws the same examples every run, so a red run can be reproduced; developers' runs
    # explore new ones, and what they find is pinned with @example.
    derandomize=IN_CI,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

KNOWN_BAD = [
    "",
    " ",
    "\t\r\n",
    "\x00",
    "a\x00b",
    "%00",
    "\u202eetavirp\u202c",  # right-to-left override
    "مرحبا بكم في البيت",  # Arabic
    "שלום עולם",  # Hebrew
    "پناهگاه",  # Farsi
    "Z\u0351\u0362a\u036b\u0308lgo",  # stacked combining marks
    "\ufeffBOM",
    "🏠🤝🇺🇦",
    "\U0010ffff",
    "x" * 5000,
    "ü" * 1000,
    "0000-00-00",
    "2026-02-30",
    "31.02.2026",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "3.14",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "²",  # a digit for str.isdigit(), no number for int()
    "١٢",  # Arabic-Indic digits
    "0x1F",
    "True",
    "None",
    "null",
    "[]",
    "{}",
    '{"a": 1}',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "http://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "@example.org",
    "a@b",
    "gast@example.org\r\nBcc: x@example.org",
]

_long = st.builds(
    lambda chunk, times: chunk * times, st.text(min_size=1, max_size=4), st.integers(200, 3000)
)
_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)

hostile_text = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    _long,
    _numbers,
)
# A field sent as one value, or twice (or more) with different values.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
# Text that can stand in a URL path segment (`<str:…>` matches anything but a slash).
path_segment = st.one_of(
    st.sampled_from([s for s in KNOWN_BAD if s and "/" not in s]),
    st.text(min_size=1, max_size=80).filter(lambda s: "/" not in s),
    _long.filter(lambda s: "/" not in s),
)


@st.composite
def mutated(draw, valid, *, extra=()):
    """`valid` (a dict of POST or GET data) with each field kept, dropped, replaced by hostile
    input, or sent twice; `extra` names fields a browser would not send but a script may."""
    data = {}
    for name, good in valid.items():
        how = draw(st.sampled_from(["keep", "drop", "replace", "twice"]))
        if how == "keep":
            data[name] = good
        elif how == "replace":
            data[name] = draw(hostile_value)
        elif how == "twice":
            first = good[0] if isinstance(good, list) and good else good
            data[name] = [first, draw(hostile_text)]
    for name in extra:
        if draw(st.booleans()):
            data[name] = draw(hostile_value)
    return data


def sent_value(data, name, default=""):
    """The value a form reads for `name`: of a field sent twice, the last (as QueryDict.get)."""
    value = data.get(name, default)
    return value[-1] if isinstance(value, list) else value


def query_strings(params):
    """GET data for a list page: any subset of its filter parameters, with hostile values."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(params, hostile_value))


@contextmanager
def each_example_apart():
    """One hypothesis example: a fresh browser, an empty cache (rate limits, one-time keys),
    and a savepoint that is rolled back, so that no example sees what another one wrote."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    with transaction.atomic():
        yield Client()
        transaction.set_rollback(True)


def counts(*models):
    """Rows per model, to compare before and after a request."""
    return {model.__name__: model.objects.count() for model in models}


def added(before, *models):
    """Rows added per model since `before` (from `counts`)."""
    now = counts(*models)
    return {name: now[name] - before[name] for name in now}


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    assert response.status_code in {200, 301, 302, 303} or 400 <= response.status_code < 500
