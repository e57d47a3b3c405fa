"""Follow-ups (Aufgaben): services, pages, and the daily reminder."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import FollowUp
from bfe.consultations.services import followups as services
from bfe.consultations.tasks import send_follow_up_reminder
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import ConsultationFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://bfe.example"


@pytest.fixture
def shelter_west():
    return ShelterFactory(name="GU Spandau", district=berlin_district("05"))


@pytest.fixture
def regional():
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR,
        region=berlin_region("nord"),
        user__email="rita@example.org",
        user__full_name="Rita Region",
    ).user


@pytest.fixture
def colleague():
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR,
        region=berlin_region("nord"),
        user__full_name="Nora Nord",
    ).user


@pytest.fixture
def regional_west():
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR,
        region=berlin_region("west"),
        user__full_name="Wanda West",
    ).user


@pytest.fixture
def admin():
    return RoleFactory(kind=Role.Kind.ADMIN, user__full_name="Paula Projektleitung").user


@pytest.fixture
def coordinator(shelter):
    person = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def create(by, **kwargs):
    kwargs.setdefault("title", "Vorlage schicken")
    kwargs.setdefault("due_on", days(7))
    kwargs.setdefault("owner", by)
    return services.create_follow_up(created_by=by, **kwargs)


# Services


def test_a_follow_up_on_a_shelter_belongs_to_its_current_region(regional, shelter):
    follow_up = create(regional, shelter=shelter, title="  Rückruf  ")

    assert follow_up.region == berlin_region("nord")
    assert follow_up.shelter == shelter
    assert follow_up.consultation is None
    assert follow_up.title == "Rückruf"
    assert follow_up.created_by == regional


def test_a_follow_up_on_a_consultation_takes_its_region_and_shelter(admin, shelter):
    consultation = ConsultationFactory(shelter=shelter, region=berlin_region("nord"))

    follow_up = create(admin, consultation=consultation)

    assert follow_up.region == berlin_region("nord")
    assert follow_up.shelter == shelter
    assert follow_up.consultation == consultation


def test_the_owner_is_a_regional_coordinator_of_the_region_or_the_lead(
    regional, colleague, regional_west, admin, shelter
):
    assert create(regional, shelter=shelter, owner=colleague).owner == colleague
    assert create(regional, shelter=shelter, owner=admin).owner == admin

    with pytest.raises(ValidationError) as error:
        create(regional, shelter=shelter, owner=regional_west)
    assert "Wanda West kann diese Aufgabe nicht übernehmen" in error.value.message_dict["owner"][0]


def test_nobody_files_a_follow_up_outside_her_scope(regional, regional_west, shelter):
    with pytest.raises(PermissionDenied):
        create(regional_west, shelter=shelter)
    with pytest.raises(PermissionDenied):
        create(regional_west, consultation=ConsultationFactory(shelter=shelter))
    assert not FollowUp.objects.exists()


def test_coordinators_keep_no_follow_ups(coordinator, shelter):
    with pytest.raises(PermissionDenied):
        create(coordinator, shelter=shelter)


def test_a_consultation_and_another_shelter_do_not_go_together(regional, shelter):
    consultation = ConsultationFactory(shelter=shelter)
    other = ShelterFactory(district=berlin_district("01"))

    with pytest.raises(ValidationError, match="anderen Unterkunft"):
        create(regional, consultation=consultation, shelter=other)


def test_completing_keeps_the_first_completion(regional, colleague):
    follow_up = FollowUpFactory(owner=colleague)

    services.complete_follow_up(follow_up=follow_up, by=regional)
    first = FollowUp.objects.get().done_at
    services.complete_follow_up(follow_up=follow_up, by=regional)

    assert first is not None
    assert FollowUp.objects.get().done_at == first


def test_another_regions_coordinator_cannot_complete(regional_west):
    follow_up = FollowUpFactory()

    with pytest.raises(PermissionDenied):
        services.complete_follow_up(follow_up=follow_up, by=regional_west)
    assert FollowUp.objects.get().done_at is None


# Reminders


def run_reminders(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followup_reminders", stdout=out)
    return out.getvalue()


def test_the_owner_is_reminded_on_the_due_date_once_a_day(
    regional, mailoutbox, django_capture_on_commit_callbacks
):
    due = FollowUpFactory(owner=regional, due_on=days(0), title="Vorlage schicken")
    FollowUpFactory(owner=regional, due_on=days(1))
    FollowUpFactory(owner=regional, due_on=days(-3), done_at=timezone.now())

    output = run_reminders(django_capture_on_commit_callbacks)
    again = run_reminders(django_capture_on_commit_callbacks)

    assert "1 Erinnerung" in output
    assert "0 Erinnerung" in again
    (message,) = mailoutbox
    assert message.to == ["rita@example.org"]
    assert message.subject == "[BfE] Heute fällig: Vorlage schicken"
    assert "https://bfe.example/beratung/aufgaben/" in message.body
    assert 'href="https://bfe.example/beratung/aufgaben/"' in message.alternatives[0][0]
    due.refresh_from_db()
    assert due.reminder_sent_on == timezone.localdate()


def test_an_overdue_follow_up_is_reminded_again_the_next_day(
    regional, mailoutbox, django_capture_on_commit_callbacks
):
    FollowUpFactory(owner=regional, due_on=days(-2), reminder_sent_on=days(-1), title="Anrufen")

    run_reminders(django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert message.subject == "[BfE] Überfällige Aufgabe: Anrufen"
    assert "war am" in message.body


def test_the_reminder_task_itself_never_sends_twice_a_day(regional, mailoutbox):
    follow_up = FollowUpFactory(owner=regional, due_on=days(0))

    assert send_follow_up_reminder.call(follow_up_id=follow_up.pk) is True
    assert send_follow_up_reminder.call(follow_up_id=follow_up.pk) is False
    assert len(mailoutbox) == 1


def test_the_reminder_comes_in_the_owners_language(mailoutbox):
    owner = RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"), user__language="en"
    ).user
    follow_up = FollowUpFactory(owner=owner, due_on=days(0))

    send_follow_up_reminder.call(follow_up_id=follow_up.pk)

    (message,) = mailoutbox
    assert '<html lang="en">' in message.alternatives[0][0]


def test_a_failed_reminder_is_tried_again_later(regional, mailoutbox, monkeypatch):
    follow_up = FollowUpFactory(owner=regional, due_on=days(0))

    def fail(self, *args, **kwargs):
        raise OSError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", fail)
        assert send_follow_up_reminder.call(follow_up_id=follow_up.pk) is False
    follow_up.refresh_from_db()
    assert follow_up.reminder_sent_on is None

    assert send_follow_up_reminder.call(follow_up_id=follow_up.pk) is True
    assert len(mailoutbox) == 1


def test_the_command_explains_how_to_run_it():
    from bfe.consultations.management.commands.send_followup_reminders import Command

    assert "cron" in Command.help
    assert "db_worker" in Command.help


# Pages


def test_my_open_follow_ups_by_default_and_my_regions_on_request(
    client, regional, colleague, shelter, shelter_west
):
    mine = FollowUpFactory(owner=regional, shelter=shelter, title="Meine Aufgabe")
    theirs = FollowUpFactory(owner=colleague, shelter=shelter, title="Aufgabe der Kollegin")
    FollowUpFactory(owner=regional, shelter=shelter, title="Schon erledigt", done_at=timezone.now())
    FollowUpFactory(region=berlin_region("west"), shelter=shelter_west, title="Aufgabe im Westen")
    client.force_login(regional)
    url = reverse("consultations:followups")

    own = client.get(url).text
    region = client.get(url, {"ansicht": "region"}).text

    assert mine.title in own
    assert theirs.title not in own
    assert "Schon erledigt" not in own
    assert mine.title in region
    assert theirs.title in region
    assert "Nora Nord" in region
    assert "Aufgabe im Westen" not in region
    assert "Schon erledigt" not in region


def test_overdue_follow_ups_are_highlighted(client, regional):
    FollowUpFactory(owner=regional, due_on=days(-1), title="Zu spät")
    FollowUpFactory(owner=regional, due_on=days(3), title="Noch Zeit")
    client.force_login(regional)

    html = client.get(reverse("consultations:followups")).text

    assert html.count("badge--danger") == 1
    assert "1 Ihrer Aufgaben ist überfällig." in html
    assert html.index("Zu spät") < html.index("Noch Zeit")


@pytest.mark.parametrize("name", ["consultations:followups", "consultations:followup_create"])
def test_coordinators_find_no_follow_up_pages(client, coordinator, name):
    client.force_login(coordinator)

    assert client.get(reverse(name)).status_code == 404


def test_a_follow_up_for_a_shelter_from_the_query_string(client, regional, colleague, shelter):
    client.force_login(regional)
    url = reverse("consultations:followup_create") + f"?shelter={shelter.pk}"

    page = client.get(url)
    response = client.post(
        url, {"title": "Flyer vorbeibringen", "due_on": days(2).isoformat(), "owner": colleague.pk}
    )

    assert "GU Am Wiesengrund" in page.text
    assert "shelter" not in page.context["form"].fields
    assert page.context["form"]["owner"].value() == regional.pk
    assert {person.pk for person in page.context["form"].fields["owner"].queryset} == {
        regional.pk,
        colleague.pk,
    }
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:followups")
    follow_up = FollowUp.objects.get()
    assert (follow_up.shelter, follow_up.owner, follow_up.title) == (
        shelter,
        colleague,
        "Flyer vorbeibringen",
    )


def test_a_follow_up_for_a_consultation_returns_to_it(client, regional, shelter):
    consultation = ConsultationFactory(shelter=shelter)
    client.force_login(regional)
    back = consultation.get_absolute_url()
    url = reverse("consultations:followup_create") + f"?consultation={consultation.pk}&next={back}"

    response = client.post(
        url, {"title": "Nachfassen", "due_on": days(2).isoformat(), "owner": regional.pk}
    )

    assert response["Location"] == back
    assert FollowUp.objects.get().consultation == consultation


def test_without_a_query_the_shelter_is_chosen_among_those_in_scope(
    client, regional, shelter, shelter_west
):
    client.force_login(regional)
    url = reverse("consultations:followup_create")

    shelters = client.get(url).context["form"].fields["shelter"].queryset
    response = client.post(
        url,
        {
            "title": "Anrufen",
            "shelter": shelter.pk,
            "due_on": days(1).isoformat(),
            "owner": regional.pk,
        },
    )

    assert list(shelters) == [shelter]
    assert response.status_code == 302
    assert FollowUp.objects.get().region == berlin_region("nord")


@pytest.mark.parametrize("query", ["shelter={west}", "consultation={consultation}", "shelter=abc"])
def test_anchors_outside_the_scope_give_404(client, regional, shelter_west, query):
    consultation = ConsultationFactory(shelter=shelter_west, region=berlin_region("west"))
    client.force_login(regional)
    query = query.format(west=shelter_west.pk, consultation=consultation.pk)

    response = client.get(reverse("consultations:followup_create") + "?" + query)

    assert response.status_code == 404


def test_a_past_date_and_a_missing_title_get_clear_messages_and_keep_the_input(
    client, regional, shelter
):
    client.force_login(regional)
    yesterday = days(-1).isoformat()

    response = client.post(
        reverse("consultations:followup_create") + f"?shelter={shelter.pk}",
        {"title": "", "due_on": yesterday, "owner": regional.pk},
    )

    assert response.status_code == 200
    assert "Bitte beschreiben Sie die Aufgabe." in response.text
    assert "Das Datum liegt in der Vergangenheit" in response.text
    assert f'value="{yesterday}"' in response.text
    assert not FollowUp.objects.exists()


def test_an_owner_of_another_region_is_refused_in_the_form(
    client, regional, regional_west, shelter
):
    client.force_login(regional)

    response = client.post(
        reverse("consultations:followup_create") + f"?shelter={shelter.pk}",
        {"title": "Anrufen", "due_on": days(1).isoformat(), "owner": regional_west.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not FollowUp.objects.exists()


def test_done_goes_back_to_a_safe_next_only(client, regional, shelter):
    first = FollowUpFactory(owner=regional, shelter=shelter)
    second = FollowUpFactory(owner=regional, shelter=shelter)
    client.force_login(regional)
    back = reverse("consultations:followups") + "?ansicht=region"

    same_site = client.post(reverse("consultations:followup_done", args=[first.pk]), {"next": back})
    elsewhere = client.post(
        reverse("consultations:followup_done", args=[second.pk]) + "?next=https://evil.example/"
    )

    assert same_site["Location"] == back
    assert elsewhere["Location"] == reverse("consultations:followups")
    assert not FollowUp.objects.open().exists()


def test_done_takes_post_only(client, regional):
    follow_up = FollowUpFactory(owner=regional)
    client.force_login(regional)

    response = client.get(reverse("consultations:followup_done", args=[follow_up.pk]))

    assert response.status_code == 405
    assert FollowUp.objects.get().done_at is None


@pytest.mark.parametrize("viewer", ["regional", "admin"])
def test_the_follow_up_list_needs_the_same_queries_for_3_and_30_rows(
    client, request, regional, colleague, shelter, viewer, settings
):
    settings.DIRECTORY_PAGE_SIZE = 100
    client.force_login(request.getfixturevalue(viewer))

    def add(count):
        for n in range(count):
            FollowUpFactory(
                owner=regional if n % 2 else colleague,
                shelter=shelter,
                consultation=ConsultationFactory(shelter=shelter) if n % 3 == 0 else None,
                due_on=days(n - 2),
            )

    urls = [
        reverse("consultations:followups"),
        reverse("consultations:followups") + "?ansicht=region",
    ]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
            assert not any("confidential_note" in q["sql"] for q in captured)
        return counts

    add(3)
    few = queries()
    add(27)
    assert queries() == few
