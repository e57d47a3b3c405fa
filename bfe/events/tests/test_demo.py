"""Demo events: seeded on top of the places demo, reproducible, and removable again."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from bfe.events import demo
from bfe.events.models import (
    Certificate,
    Document,
    Enrolment,
    Event,
    Registration,
    Series,
    TrainingSeries,
)
from bfe.places import demo as places_demo

pytestmark = pytest.mark.django_db


def seed_all(seed=2016):
    places_demo.seed(scale="small", seed=seed)
    return demo.seed(scale="small", seed=seed)


def snapshot():
    events = list(
        Event.objects.order_by("starts_at", "title").values_list(
            "kind", "title", "starts_at", "status", "region__slug", "capacity", "series_slot"
        )
    )
    registrations = sorted(
        Registration.objects.values_list(
            "event__title",
            "event__starts_at",
            "person__email",
            "guest_email",
            "status",
            "attended",
        ),
        key=repr,
    )
    certificates = sorted(
        Certificate.objects.values_list(
            "person__email", "series__title", "hours", "verification_code"
        )
    )
    return events, registrations, certificates


def test_small_demo_has_a_year_of_jours_fixes_per_region_and_the_rest():
    counts = seed_all()

    assert Series.objects.count() == 3
    for slug in ["nord", "west", "suedost"]:
        assert Event.objects.filter(kind=Event.Kind.JOUR_FIXE, region__slug=slug).count() == 12
    assert Event.objects.filter(kind=Event.Kind.WORKSHOP).count() == 4
    assert Event.objects.filter(kind=Event.Kind.NETWORK_MEETING).count() == 3
    year = timezone.localdate().year
    assert set(TrainingSeries.objects.values_list("level", "year")) >= {
        ("basis", year - 1),
        ("basis", year),
        ("aufbau", year - 1),
        ("aufbau", year),
    }
    assert (
        Event.objects.filter(training_series__level="basis", training_series__year=year).count()
        == 8
    )
    assert counts["Veranstaltungen"] == Event.objects.count()
    assert counts["Anmeldungen"] == Registration.objects.count()


def test_small_demo_has_what_the_pages_need_to_show():
    seed_all()
    now = timezone.now()

    workshops = Event.objects.filter(kind=Event.Kind.WORKSHOP)
    assert all(w.programme and w.audience == "guests" for w in workshops)
    assert Registration.objects.filter(person__isnull=True, event__in=workshops).exists()
    assert Registration.objects.filter(
        person__email="eak1@bfe.example", status=Registration.Status.WAITLISTED
    ).exists()
    assert Registration.objects.filter(
        person__email="eak1@bfe.example", event__kind="jour_fixe"
    ).exists()
    assert Registration.objects.filter(attended=True, event__ends_at__lt=now).exists()
    assert not Registration.objects.filter(attended=True, event__starts_at__gt=now).exists()
    assert Document.objects.filter(kind=Document.Kind.MINUTES).exists()
    assert Event.objects.filter(starts_at__gt=now, kind=Event.Kind.WORKSHOP).count() == 2
    assert Enrolment.objects.exists()
    assert Certificate.objects.filter(series__level="basis").exists()
    assert all(len(c.verification_code) == 8 for c in Certificate.objects.all())


def test_no_event_is_overbooked():
    seed_all()

    for event in Event.objects.with_counts().filter(capacity__isnull=False):
        assert event.confirmed_count <= event.capacity, event


def test_basis_graduates_attended_at_least_80_percent_of_the_modules():
    seed_all()

    for certificate in Certificate.objects.filter(series__level="basis"):
        attended = Registration.objects.filter(
            person=certificate.person, attended=True, event__training_series=certificate.series
        ).count()
        assert attended >= 7


def test_the_same_seed_gives_the_same_data():
    seed_all()
    first = snapshot()
    demo.delete_demo_data()
    places_demo.delete_demo_data()

    seed_all()

    assert snapshot() == first


def test_delete_demo_data_removes_the_events_apps_rows():
    seed_all()

    demo.delete_demo_data()
    places_demo.delete_demo_data()

    assert not Event.objects.exists()
    assert not Series.objects.exists()
    assert not TrainingSeries.objects.exists()
    assert not Registration.objects.exists()
    assert not Certificate.objects.exists()


def test_seed_demo_command_runs_the_events_demo(capsys):
    call_command("seed_demo", "--scale", "small")

    output = capsys.readouterr().out
    assert "Jour-fixe-Reihen: 3" in output
    call_command("seed_demo", "--scale", "small", "--reset")
    assert Series.objects.count() == 3
