"""The "reviewed on" duty: the page of materials due, "Geprüft – aktuell", and the reminder."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.materials.models import Material
from bfe.materials.tests.factories import MaterialFactory, SuggestionFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    settings.MATERIAL_REVIEW_AFTER_DAYS = 365


@pytest.fixture
def admin():
    person = UserFactory(email="leitung@example.org", language="de")
    RoleFactory(user=person, kind=Role.Kind.ADMIN)
    return person


def test_the_review_page_lists_due_materials_oldest_first(client, admin):
    MaterialFactory(title="Neulich geprüft", reviewed_on=timezone.localdate())
    MaterialFactory(title="Älter", reviewed_on=LONG_AGO)
    MaterialFactory(title="Am ältesten", reviewed_on=LONG_AGO - datetime.timedelta(days=1))
    MaterialFactory(title="Archiviert", reviewed_on=LONG_AGO, status=Material.Status.ARCHIVED)
    client.force_login(admin)

    response = client.get(reverse("materials:review"))

    titles = [m.title for m in response.context["page"].object_list]
    assert titles == ["Am ältesten", "Älter"]
    assert "Geprüft – aktuell" in response.content.decode()


def test_the_review_page_takes_a_fixed_number_of_queries(
    client, admin, django_assert_max_num_queries
):
    for _ in range(15):
        MaterialFactory(reviewed_on=LONG_AGO)
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("materials:review")).status_code == 200


def test_marking_a_material_reviewed_takes_it_off_the_list(client, admin):
    material = MaterialFactory(reviewed_on=LONG_AGO)
    client.force_login(admin)

    response = client.post(reverse("materials:mark_reviewed", args=[material.pk]))

    assert response.status_code == 302
    material.refresh_from_db()
    assert material.reviewed_on == timezone.localdate()
    assert list(client.get(reverse("materials:review")).context["page"].object_list) == []


def test_a_coordinator_cannot_mark_a_material_reviewed(client):
    from bfe.places.tests.factories import CoordinatorPositionFactory

    material = MaterialFactory(reviewed_on=LONG_AGO)
    client.force_login(CoordinatorPositionFactory().person)
    assert client.post(reverse("materials:mark_reviewed", args=[material.pk])).status_code == 404
    material.refresh_from_db()
    assert material.reviewed_on == LONG_AGO


def test_the_reminder_sent_twice_reaches_each_admin_once(admin, django_capture_on_commit_callbacks):
    english = UserFactory(email="lead@example.org", language="en")
    RoleFactory(user=english, kind=Role.Kind.ADMIN)
    MaterialFactory(title="Versicherung 2020", reviewed_on=LONG_AGO)
    MaterialFactory(title="Frisch", reviewed_on=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_material_review_reminders")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_material_review_reminders")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "lead@example.org",
        "leitung@example.org",
    ]
    german = next(m for m in mail.outbox if m.to == ["leitung@example.org"])
    assert "1 Material sollte geprüft werden" in german.subject
    assert "Versicherung 2020" in german.body
    assert "Frisch" not in german.body
    english_message = next(m for m in mail.outbox if m.to == ["lead@example.org"])
    assert "1 material should be reviewed" in english_message.subject


def test_a_material_is_reminded_of_again_after_another_period(
    admin, django_capture_on_commit_callbacks
):
    material = MaterialFactory(reviewed_on=LONG_AGO)
    Material.objects.filter(pk=material.pk).update(
        review_reminded_at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_material_review_reminders")
    assert len(mail.outbox) == 1


def test_the_start_page_shows_staff_the_open_suggestions_and_due_reviews(client, admin):
    SuggestionFactory()
    MaterialFactory(reviewed_on=LONG_AGO)
    client.force_login(admin)

    page = client.get(reverse("core:dashboard")).content.decode()

    assert "1 offener Vorschlag" in page
    assert "1 Material zur Prüfung fällig" in page
    assert reverse("materials:review") in page


def test_the_start_page_shows_a_coordinator_her_open_suggestions(client):
    from bfe.places.tests.factories import CoordinatorPositionFactory

    coordinator = CoordinatorPositionFactory().person
    SuggestionFactory(suggested_by=coordinator, title="Mein Merkblatt")
    SuggestionFactory(title="Fremdes Merkblatt")
    client.force_login(coordinator)

    page = client.get(reverse("core:dashboard")).content.decode()

    assert "Mein Merkblatt" in page
    assert "Fremdes Merkblatt" not in page


def test_the_staff_start_section_reads_two_bounded_queries_whatever_the_data(
    admin, django_assert_num_queries
):
    from bfe.materials import dashboard_moderation

    for _ in range(dashboard_moderation.COUNT_LIMIT + 3):
        SuggestionFactory()
    MaterialFactory(reviewed_on=LONG_AGO)

    with django_assert_num_queries(2):
        data = dashboard_moderation.staff_work(admin)

    assert (data["suggestions"], data["more_suggestions"]) == (
        dashboard_moderation.COUNT_LIMIT,
        True,
    )
    assert (data["due"], data["more_due"]) == (1, False)
