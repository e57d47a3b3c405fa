"""Demo volunteering: seeded on top of the places demo, so that every page of the demo
coordinator (eak1@…) and of the demo volunteer (freiwillig1@…) has something to show;
consistent (figures, never overfilled), reproducible and removable again."""

import datetime

import pytest
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import User
from bfe.places import demo as places_demo
from bfe.places.models import CoordinatorPosition
from bfe.volunteering import demo
from bfe.volunteering.models import (
    Application,
    Clearance,
    HoursEntry,
    Opportunity,
    ShelterVolunteerFigures,
    Shift,
    ShiftSignup,
    Volunteer,
)
from bfe.volunteering.selectors import FIGURE_FIELDS

pytestmark = pytest.mark.django_db

START = reverse("core:dashboard")


@pytest.fixture
def seeded(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    places_demo.seed(scale="small", seed=2016)
    return demo.seed(scale="small", seed=2016)


def person(email):
    return User.objects.get(email=f"{email}@{places_demo.DEMO_EMAIL_DOMAIN}")


def eak1_shelter():
    return CoordinatorPosition.objects.current().get(person=person("eak1")).shelter_id


def figures_of(shelter_id):
    row = ShelterVolunteerFigures.objects.get(shelter_id=shelter_id)
    return {field: getattr(row, field) for field in FIGURE_FIELDS}


def snapshot():
    return (
        sorted(Opportunity.objects.values_list("shelter_id", "title", "status", "weekdays")),
        sorted(Volunteer.objects.values_list("shelter_id", "email", "stage")),
        sorted(
            ShiftSignup.objects.values_list(
                "shift__opportunity__title", "shift__starts_at", "volunteer__email", "status"
            )
        ),
    )


def test_small_demo_gives_the_demo_coordinator_and_volunteer_something_on_every_section(
    client, seeded
):
    shelter_id = eak1_shelter()
    client.force_login(person("eak1"))

    html = client.get(START).content.decode()

    assert seeded["Engagementangebote"] > 100
    stages = set(Volunteer.objects.filter(shelter_id=shelter_id).values_list("stage", flat=True))
    assert stages == {stage.value for stage in Volunteer.Stage}
    for empty in [
        "Noch keine Angebote",
        "Keine neuen Bewerbungen",
        "Alle Einsätze dieser Woche sind besetzt",
        "Nichts fällig",
    ]:
        assert empty not in html
    assert "fällig seit" in html

    volunteer_user = person("freiwillig1")
    client.force_login(volunteer_user)
    html = client.get(START).content.decode()

    assert Volunteer.objects.of(volunteer_user).filter(shelter_id=eak1_shelter()).exists()
    for empty in ["Keine Einsätze geplant", "Keine offenen Bewerbungen", "Stunden eintragen"]:
        assert empty not in html
    hours = HoursEntry.objects.filter(
        volunteer__user=volunteer_user,
        status=HoursEntry.Status.CONFIRMED,
        date__year=timezone.localdate().year,
    )
    assert sum(entry.hours for entry in hours) >= 80  # past the FreiwilligenPass


def test_small_demo_is_consistent_with_full_shifts_waiting_lists_and_clearances_due(seeded):
    upcoming = Shift.objects.upcoming()
    assert upcoming.filter(confirmed_count=F("slots")).exists()
    assert ShiftSignup.objects.filter(
        status=ShiftSignup.Status.WAITLISTED, shift__in=upcoming
    ).exists()
    assert Clearance.objects.filter(
        reinspect_on__lte=timezone.localdate() + datetime.timedelta(days=60)
    ).exists()
    assert Application.objects.filter(status=Application.Status.UNCONFIRMED).exists()
    assert Application.objects.filter(status=Application.Status.CONFIRMED).exists()
    assert HoursEntry.objects.filter(status=HoursEntry.Status.PROPOSED).exists()
    # Never overfilled, and the displayed count is the confirmed sign-ups'.
    shifts = Shift.objects.annotate(
        confirmed=Count("signups", filter=Q(signups__status=ShiftSignup.Status.CONFIRMED))
    )

    assert not shifts.filter(confirmed__gt=F("slots")).exists()
    assert not shifts.exclude(confirmed=F("confirmed_count")).exists()
    # The maintained figures agree with the records.
    shelter_id = eak1_shelter()
    counted = dict(
        Volunteer.objects.filter(shelter_id=shelter_id)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_count = Opportunity.objects.filter(
        shelter_id=shelter_id, status=Opportunity.Status.OPEN
    ).count()

    figures = figures_of(shelter_id)

    assert figures == {
        **{stage.value: counted.get(stage.value, 0) for stage in Volunteer.Stage},
        "open_opportunities": open_count,
    }


def test_the_same_seed_gives_the_same_demo_and_delete_removes_it(seeded):
    first = snapshot()

    demo.delete_demo_data()
    assert not Volunteer.objects.exists()
    assert not Opportunity.objects.exists()
    assert not ShiftSignup.objects.exists()
    demo.seed(scale="small", seed=2016)

    assert snapshot() == first
    # The places demo can go afterwards: nothing of volunteering holds on to its shelters.
    demo.delete_demo_data()
    places_demo.delete_demo_data()
