"""The technical management of consultations (Django admin under /verwaltung/)."""

import pytest
from django.urls import reverse

from bfe.accounts.models import User
from bfe.consultations.models import Topic
from bfe.places.tests.factories import berlin_region

from .factories import (
    ConsultationFactory,
    ConsultationRequestFactory,
    FollowUpFactory,
    TopicFactory,
    topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser(email="root@example.org", password="demo")
    client.force_login(user)
    return user


def test_the_consultation_list_never_shows_the_confidential_note(client, superuser):
    consultation = ConsultationFactory(confidential_note="Nur für die Regionalkoordination")

    listing = client.get(reverse("admin:consultations_consultation_changelist"))

    assert listing.status_code == 200
    assert consultation.shelter.name in listing.text
    assert "Nur für die Regionalkoordination" not in listing.text


@pytest.mark.parametrize(
    "query",
    [{"region__id__exact": "nord"}, {"format__exact": "video"}, {"topics__id__exact": "konflikte"}],
)
def test_consultations_filter_by_region_format_and_topic_with_facets(client, superuser, query):
    match = ConsultationFactory(
        region=berlin_region("nord"), format="video", topics=[topic("konflikte")]
    )
    other = ConsultationFactory(
        region=berlin_region("west"), format="phone", topics=[topic("datenschutz")]
    )
    key, value = next(iter(query.items()))
    if key == "region__id__exact":
        value = berlin_region(value).pk
    elif key == "topics__id__exact":
        value = topic(value).pk

    response = client.get(
        reverse("admin:consultations_consultation_changelist"), {key: value, "_facets": "1"}
    )

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [match]
    assert other not in shown
    assert "(1)" in response.text  # facet counts next to the filter choices


def test_topics_are_ordered_and_switched_on_and_off_right_in_the_list(client, superuser):
    listing = client.get(reverse("admin:consultations_topic_changelist"))

    assert listing.status_code == 200
    assert 'name="form-0-position"' in listing.text
    assert 'name="form-0-is_active"' in listing.text


def test_retiring_topics_keeps_them_on_old_consultations(client, superuser):
    conflicts = topic("konflikte")
    consultation = ConsultationFactory(topics=[conflicts])

    response = client.post(
        reverse("admin:consultations_topic_changelist"),
        {"action": "retire", "_selected_action": [conflicts.pk]},
        follow=True,
    )

    assert response.status_code == 200
    conflicts.refresh_from_db()
    assert not conflicts.is_active
    assert list(consultation.topics.all()) == [conflicts]
    assert conflicts not in Topic.objects.active()
    assert "1 Thema ausgemustert" in response.text


def test_topics_in_use_cannot_be_deleted_and_there_is_no_bulk_delete(client, superuser):
    used = topic("konflikte")
    ConsultationFactory(topics=[used])
    unused = TopicFactory()

    listing = client.get(reverse("admin:consultations_topic_changelist"))
    delete_used = client.get(reverse("admin:consultations_topic_delete", args=[used.pk]))
    delete_unused = client.get(reverse("admin:consultations_topic_delete", args=[unused.pk]))

    assert 'value="delete_selected"' not in listing.text
    assert 'value="retire"' in listing.text
    assert delete_used.status_code == 403
    assert delete_unused.status_code == 200


@pytest.mark.parametrize("model", ["consultation", "consultationrequest", "followup", "topic"])
def test_every_list_add_and_change_page_opens(client, superuser, model):
    objects = {
        "consultation": ConsultationFactory,
        "consultationrequest": ConsultationRequestFactory,
        "followup": FollowUpFactory,
        "topic": TopicFactory,
    }
    instance = objects[model]()

    for url in [
        reverse(f"admin:consultations_{model}_changelist"),
        reverse(f"admin:consultations_{model}_add"),
        reverse(f"admin:consultations_{model}_change", args=[instance.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_follow_ups_filter_by_done_or_open(client, superuser):
    open_task = FollowUpFactory(title="Noch offen")
    FollowUpFactory(title="Schon erledigt", done_at="2026-10-01T10:00:00+02:00")

    response = client.get(
        reverse("admin:consultations_followup_changelist"), {"done_at__isempty": "1"}
    )

    assert list(response.context["cl"].result_list) == [open_task]
