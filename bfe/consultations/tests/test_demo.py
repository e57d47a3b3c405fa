"""Demo consultations: a realistic, reproducible year in Berlin on top of the places demo.

The large scale (about 500,000 consultations) is too slow for the suite; it is timed by hand on
PostgreSQL. A small custom scale runs its code path here, COPY included on PostgreSQL.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from bfe.accounts.models import User
from bfe.accounts.tests.factories import UserFactory
from bfe.consultations import demo, selectors
from bfe.consultations.models import Consultation, ConsultationRequest, FollowUp
from bfe.places import demo as places_demo
from bfe.places.models import CoordinatorPosition, Region, Shelter, today
from bfe.places.tests.factories import ShelterFactory, berlin_district, berlin_region

from .factories import ConsultationFactory

pytestmark = pytest.mark.django_db

REGIONAL = {
    "nord": "nord@bfe.example",
    "west": "west@bfe.example",
    "suedost": "suedost@bfe.example",
}


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def seed(number=2016, reset=False):
    """Places and consultations only: other capabilities' demos would only slow these tests."""
    if reset:
        demo.delete_demo_data()
    places_demo.seed(scale="small", seed=number, reset=reset)
    return demo.seed(scale="small", seed=number)


def snapshot():
    """What the demo created, without primary keys, in an order that does not depend on them."""
    rows = Consultation.objects.values_list(
        "shelter__name",
        "held_on",
        "duration_minutes",
        "format",
        "confidential_note",
        "participants__email",
        "logged_by__email",
        "request__status",
    )
    topics = Consultation.topics.through.objects.values_list("topic__slug").annotate(n=Count("pk"))
    requests = ConsultationRequest.objects.values_list(
        "shelter__name", "status", "requested_by__email", "created_at"
    )
    follow_ups = FollowUp.objects.values_list(
        "shelter__name", "title", "due_on", "done_at", "consultation__held_on"
    )
    return [sorted(query, key=repr) for query in (rows, topics, requests, follow_ups)]


def test_the_small_demo_is_a_realistic_year_in_berlin():
    output = seed_demo()
    on = today()

    consultations = Consultation.objects.all()
    assert 600 <= consultations.count() <= 900
    assert f"Beratungen: {consultations.count()}" in output
    # Working days only, but for the odd one at the edge of the year.
    assert consultations.filter(held_on__week_day__in=[1, 7]).count() <= 3
    assert not consultations.filter(held_on__gt=on).exists()
    assert not consultations.filter(held_on__lte=on - datetime.timedelta(days=366)).exists()
    assert not consultations.exclude(duration_minutes__range=(30, 120)).exists()
    assert not consultations.filter(topics=None).exists()
    assert not consultations.filter(confidential_note="").exists()
    assert not consultations.filter(next_steps="").exists()
    # The three regional coordinators log their own regions' consultations.
    for slug, email in REGIONAL.items():
        in_region = consultations.filter(region__slug=slug)
        assert in_region.count() > 100
        assert set(in_region.values_list("logged_by__email", flat=True)) == {email}
        assert not in_region.exclude(shelter__district__regions__slug=slug).exists()
    formats = dict(consultations.values_list("format").annotate(n=Count("pk")))
    assert formats["on_site"] > formats["phone"] > 0 and formats["video"] > 0
    topics = dict(
        Consultation.topics.through.objects.values_list("topic__slug").annotate(n=Count("pk"))
    )
    assert topics["gewinnung"] > topics["selbstfuersorge"] > 0


def test_participants_are_the_shelters_coordinators_on_the_day():
    seed()

    rows = Consultation.participants.through.objects.values_list(
        "consultation__shelter_id", "consultation__held_on", "user_id"
    )
    assert len(rows) > 500
    for shelter_id, held_on, user_id in rows[:200]:
        assert (
            CoordinatorPosition.objects.current(held_on)
            .filter(shelter_id=shelter_id, person_id=user_id)
            .exists()
        )


def test_requests_follow_ups_and_the_outreach_list_have_content():
    seed()

    requests = ConsultationRequest.objects.all()
    assert 35 <= requests.count() <= 45
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(ConsultationRequest.Status)
    eak1 = User.objects.get(email="eak1@bfe.example")
    assert requests.filter(requested_by=eak1, status=ConsultationRequest.Status.OPEN).count() >= 2
    assert not requests.filter(status="declined", decline_reason="").exists()
    assert not requests.filter(status="scheduled", scheduled_for=None).exists()
    assert Consultation.objects.filter(request__status="done").count() == statuses["done"]
    assert eak1.consultations_received.exists()

    follow_ups = FollowUp.objects.all()
    assert 55 <= follow_ups.count() <= 65
    assert FollowUp.objects.open().filter(due_on__lt=today()).exists()
    assert follow_ups.filter(done_at__isnull=False).exists()
    assert follow_ups.filter(consultation__isnull=False).count() > 30

    for slug, email in REGIONAL.items():
        regional = User.objects.get(email=email)
        open_shelters = Shelter.objects.open().in_region(Region.objects.get(slug=slug)).count()
        quiet = selectors.shelters_without_recent_contact(regional).count()
        assert 0.18 <= quiet / open_shelters <= 0.35, slug


def test_the_same_seed_gives_the_same_consultations_and_another_seed_others():
    seed(7)
    first = snapshot()

    seed(7, reset=True)
    again = snapshot()
    seed(8, reset=True)
    other = snapshot()

    assert again == first
    assert other[0] != first[0]


def test_reset_replaces_only_demo_consultations():
    shelter = ShelterFactory(district=berlin_district("01"))
    own = ConsultationFactory(
        shelter=shelter, region=berlin_region("nord"), logged_by=UserFactory()
    )
    seed()
    count = Consultation.objects.count()

    seed(reset=True)

    assert Consultation.objects.filter(pk=own.pk).exists()
    assert Consultation.objects.count() == count
    assert Consultation.topics.through.objects.filter(consultation_id=own.pk).exists()


def test_delete_demo_data_leaves_no_consultation_of_a_demo_shelter():
    seed()

    demo.delete_demo_data()

    assert not Consultation.objects.exists()
    assert not ConsultationRequest.objects.exists()
    assert not FollowUp.objects.exists()
    assert not Consultation.topics.through.objects.exists()


def test_a_larger_scale_spreads_consultations_over_several_years():
    places_demo.seed(scale="small", seed=3)
    scale = demo.Scale(consultations=1500, years=3, requests=12, follow_ups=20)

    counts = demo.seed(scale=scale, seed=3)

    assert counts == {
        "Beratungen": Consultation.objects.count(),
        "Beratungsanfragen": 12,
        "Aufgaben": 20,
    }
    assert 1300 <= counts["Beratungen"] <= 1800
    years = set(Consultation.objects.dates("held_on", "year"))
    assert len(years) >= 3
    assert Consultation.topics.through.objects.count() >= counts["Beratungen"]
    assert Consultation.participants.through.objects.count() > counts["Beratungen"] / 2
