import pytest

from bfe.core import fragments
from bfe.places.tests.factories import ShelterFactory

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"calls": self.calls}


def test_a_cached_value_is_computed_once_while_its_apps_do_not_change():
    compute = Counter()

    first = fragments.cached("test.value", compute, apps=("places",))
    second = fragments.cached("test.value", compute, apps=("places",))

    assert first == second == {"calls": 1}
    assert compute.calls == 1


def test_a_save_in_an_app_makes_its_values_stale():
    compute = Counter()
    fragments.cached("test.value", compute, apps=("places",))

    ShelterFactory()

    assert fragments.cached("test.value", compute, apps=("places",)) == {"calls": 2}


def test_a_save_in_another_app_keeps_the_value():
    compute = Counter()
    fragments.cached("test.value", compute, apps=("events",))

    ShelterFactory()

    assert fragments.cached("test.value", compute, apps=("events",)) == {"calls": 1}


def test_values_that_vary_are_kept_apart():
    compute = Counter()

    german = fragments.cached("test.value", compute, apps=("places",), vary=("de",))
    english = fragments.cached("test.value", compute, apps=("places",), vary=("en",))

    assert german != english
    assert fragments.cached("test.value", compute, apps=("places",), vary=("de",)) == german


def test_bump_makes_values_stale_after_a_bulk_update():
    compute = Counter()
    shelter = ShelterFactory()
    fragments.cached("test.value", compute, apps=("places",))

    type(shelter).objects.filter(pk=shelter.pk).update(residents=1)
    assert fragments.cached("test.value", compute, apps=("places",)) == {"calls": 1}

    fragments.bump("places")
    assert fragments.cached("test.value", compute, apps=("places",)) == {"calls": 2}
