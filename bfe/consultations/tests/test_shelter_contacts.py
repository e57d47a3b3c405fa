"""The maintained last consultation per shelter equals the one recomputed from consultations."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from bfe.accounts.tests.factories import UserFactory
from bfe.consultations.models import Consultation, Format, ShelterContact
from bfe.consultations.services import log as services
from bfe.consultations.services.contacts import recompute_shelter_contacts
from bfe.places.tests.factories import ShelterFactory, berlin_district

from .factories import topic

pytestmark = pytest.mark.django_db


def maintained():
    return dict(ShelterContact.objects.values_list("shelter_id", "last_consultation_on"))


def recomputed():
    """What recompute_shelter_contacts would write, without writing it."""
    latest = {}
    for shelter_id, held_on in Consultation.objects.values_list("shelter_id", "held_on"):
        latest[shelter_id] = max(held_on, latest.get(shelter_id, held_on))
    return latest


def assert_maintained_equals_recomputed():
    stored = {k: v for k, v in maintained().items() if v is not None}
    assert stored == recomputed()
    assert recompute_shelter_contacts() == 0


def log(regional, shelter, held_on):
    return services.log_consultation(
        logged_by=regional,
        shelter=shelter,
        held_on=held_on,
        duration_minutes=60,
        format=Format.ON_SITE,
        participants=[],
        other_participants="",
        topics=[topic("gewinnung")],
        confidential_note="",
        next_steps="",
    )


def edit(consultation, regional, *, shelter=None, held_on=None):
    return services.update_consultation(
        consultation=consultation,
        edited_by=regional,
        shelter=shelter or consultation.shelter,
        held_on=held_on or consultation.held_on,
        duration_minutes=consultation.duration_minutes,
        format=consultation.format,
        participants=[],
        other_participants="",
        topics=[topic("gewinnung")],
        confidential_note="",
        next_steps="",
    )


def test_logging_moves_the_last_consultation_forward_only(regional, shelter):
    log(regional, shelter, datetime.date(2026, 5, 1))
    log(regional, shelter, datetime.date(2026, 3, 1))

    assert maintained()[shelter.pk] == datetime.date(2026, 5, 1)
    assert_maintained_equals_recomputed()


def test_re_dating_the_latest_consultation_moves_the_figure_back(regional, shelter):
    log(regional, shelter, datetime.date(2026, 3, 1))
    latest = log(regional, shelter, datetime.date(2026, 5, 1))

    edit(latest, regional, held_on=datetime.date(2026, 1, 1))

    assert maintained()[shelter.pk] == datetime.date(2026, 3, 1)
    assert_maintained_equals_recomputed()


def test_moving_a_consultation_to_another_shelter_updates_both(regional, shelter):
    other = ShelterFactory(district=berlin_district("03"))
    consultation = log(regional, shelter, datetime.date(2026, 5, 1))

    edit(consultation, regional, shelter=other)

    assert maintained()[shelter.pk] is None
    assert maintained()[other.pk] == datetime.date(2026, 5, 1)
    assert_maintained_equals_recomputed()


def test_deleting_in_the_admin_moves_the_figure_back(client, regional, shelter):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    log(regional, shelter, datetime.date(2026, 3, 1))
    latest = log(regional, shelter, datetime.date(2026, 5, 1))

    url = reverse("admin:consultations_consultation_delete", args=[latest.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert maintained()[shelter.pk] == datetime.date(2026, 3, 1)
    assert_maintained_equals_recomputed()


def test_the_command_repairs_figures_that_went_wrong(regional, shelter):
    log(regional, shelter, datetime.date(2026, 5, 1))
    ShelterContact.objects.filter(shelter=shelter).update(last_consultation_on=None)

    call_command("recompute_shelter_contacts", stdout=io.StringIO())

    assert maintained()[shelter.pk] == datetime.date(2026, 5, 1)
    assert_maintained_equals_recomputed()
