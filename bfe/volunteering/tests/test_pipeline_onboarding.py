import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfe.places.tests.factories import CoordinatorPositionFactory
from bfe.volunteering.models import AccessLog, ChecklistEntry, ChecklistItem, Clearance
from bfe.volunteering.services import pipeline
from bfe.volunteering.services.pipeline_onboarding import checklist_items, queue_clearance_reminders

from .factories import ApplicationFactory, OpportunityFactory, area
from .factories_pipeline import record

pytestmark = pytest.mark.django_db
Kind = ChecklistItem.Kind
TODAY = timezone.localdate


@pytest.fixture
def eak(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def kinds(rows):
    return [row.item.kind for row in rows]


# The checklist ---------------------------------------------------------------------------------


def test_a_shelter_gets_the_default_checklist_on_first_use(shelter):
    assert not ChecklistItem.objects.filter(shelter=shelter).exists()

    items = list(checklist_items(shelter))
    again = list(checklist_items(shelter))

    assert [item.kind for item in items] == [
        Kind.AGREEMENT,
        Kind.PRIVACY_CONSENT,
        Kind.CLEARANCE,
        Kind.INSURANCE,
        Kind.INFECTION_BRIEFING,
    ]
    assert again == items


def test_clearance_and_infection_briefing_appear_only_where_needed(shelter):
    plain = record(shelter)
    with_children = record(shelter)
    in_the_kitchen = record(shelter)
    kids = OpportunityFactory(shelter=shelter, needs_clearance=True, area=area("kinderbetreuung"))
    kitchen = OpportunityFactory(shelter=shelter, area=area("sprachcafe"))
    kitchen.area.needs_infection_briefing = True
    kitchen.area.save()
    ApplicationFactory(opportunity=kids, volunteer=with_children)
    ApplicationFactory(opportunity=kitchen, volunteer=in_the_kitchen)

    assert kinds(pipeline.checklist_for(plain)) == [
        Kind.AGREEMENT,
        Kind.PRIVACY_CONSENT,
        Kind.INSURANCE,
    ]
    assert Kind.CLEARANCE in kinds(pipeline.checklist_for(with_children))
    assert Kind.INFECTION_BRIEFING not in kinds(pipeline.checklist_for(with_children))
    assert Kind.INFECTION_BRIEFING in kinds(pipeline.checklist_for(in_the_kitchen))


def test_a_step_is_ticked_with_its_date_on_the_record(eak, shelter, coordinator):
    volunteer = record(shelter)
    item = checklist_items(shelter).get(kind=Kind.AGREEMENT)
    yesterday = TODAY() - datetime.timedelta(days=1)

    response = eak.post(
        reverse("volunteering:pipeline_checklist_tick", args=[volunteer.pk, item.pk]),
        {"done_on": yesterday.isoformat()},
    )

    assert response.status_code == 302
    entry = ChecklistEntry.objects.get(volunteer=volunteer, item=item)
    assert (entry.done_on, entry.recorded_by) == (yesterday, coordinator)
    assert volunteer.access_log.filter(action=AccessLog.Action.EDIT).exists()
    assert "erledigt am" in eak.get(volunteer.get_absolute_url()).text


def test_a_ticked_step_is_taken_back(eak, shelter, coordinator):
    volunteer = record(shelter)
    item = checklist_items(shelter).get(kind=Kind.AGREEMENT)
    pipeline.set_checklist_entry(volunteer=volunteer, item=item, done_on=TODAY(), actor=coordinator)

    eak.post(
        reverse("volunteering:pipeline_checklist_tick", args=[volunteer.pk, item.pk]),
        {"undo": "1"},
    )

    assert not ChecklistEntry.objects.exists()


def test_a_date_in_the_future_is_refused_with_a_message(eak, shelter):
    volunteer = record(shelter)
    item = checklist_items(shelter).get(kind=Kind.AGREEMENT)

    response = eak.post(
        reverse("volunteering:pipeline_checklist_tick", args=[volunteer.pk, item.pk]),
        {"done_on": (TODAY() + datetime.timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 200
    assert "in der Zukunft" in response.text
    assert not ChecklistEntry.objects.exists()


def test_another_shelters_step_cannot_be_ticked(eak, shelter, other_shelter):
    volunteer = record(shelter)
    foreign = checklist_items(other_shelter).first()

    response = eak.post(
        reverse("volunteering:pipeline_checklist_tick", args=[volunteer.pk, foreign.pk]),
        {"done_on": TODAY().isoformat()},
    )

    assert response.status_code == 404


def test_the_shelter_edits_its_checklist(eak, shelter):
    item = checklist_items(shelter).get(kind=Kind.INSURANCE)

    response = eak.post(
        reverse("volunteering:pipeline_checklist_item", args=[item.pk]),
        {f"item-{item.pk}-label": "Unfallversicherung erklärt", f"item-{item.pk}-position": "5"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.label, item.position, item.is_active) == ("Unfallversicherung erklärt", 5, False)


def test_a_shelter_adds_its_own_step(eak, shelter):
    eak.post(reverse("volunteering:pipeline_checklist"), {"label": "Hausführung"})

    assert checklist_items(shelter).filter(kind=Kind.CUSTOM, label="Hausführung").exists()


def test_an_own_step_needs_a_name(eak, shelter):
    response = eak.post(reverse("volunteering:pipeline_checklist"), {"label": "  "})

    assert response.status_code == 200
    assert not checklist_items(shelter).filter(kind=Kind.CUSTOM).exists()


def test_another_shelters_checklist_cannot_be_edited(other_coordinator, shelter):
    item = checklist_items(shelter).first()
    client = Client()
    client.force_login(other_coordinator)

    response = client.post(
        reverse("volunteering:pipeline_checklist_item", args=[item.pk]),
        {f"item-{item.pk}-label": "von West", f"item-{item.pk}-position": "1"},
    )

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.label == ""


# The clearance ---------------------------------------------------------------------------------


def test_the_clearance_form_stores_three_facts_and_when_to_look_again(
    eak, shelter, coordinator, settings
):
    settings.VOLUNTEER_CLEARANCE_REINSPECT_YEARS = 5
    volunteer = record(shelter)
    inspected = datetime.date(2026, 2, 28)

    response = eak.post(
        reverse("volunteering:pipeline_clearance", args=[volunteer.pk]),
        {"inspected_on": inspected.isoformat(), "issued_on": "2026-02-01"},
    )

    assert response.status_code == 302
    clearance = Clearance.objects.get(volunteer=volunteer)
    assert (clearance.inspected_on, clearance.issued_on, clearance.has_relevant_entry) == (
        inspected,
        datetime.date(2026, 2, 1),
        False,
    )
    assert clearance.reinspect_on == datetime.date(2031, 2, 28)
    assert clearance.inspected_by == coordinator
    # The checklist's step is ticked with the inspection.
    assert ChecklistEntry.objects.get(volunteer=volunteer).item.kind == Kind.CLEARANCE


def test_the_reinspection_period_is_a_setting(shelter, coordinator, settings):
    settings.VOLUNTEER_CLEARANCE_REINSPECT_YEARS = 3
    clearance = pipeline.record_clearance(
        volunteer=record(shelter),
        inspected_on=datetime.date(2026, 1, 10),
        issued_on=datetime.date(2026, 1, 2),
        has_relevant_entry=False,
        actor=coordinator,
    )

    assert clearance.reinspect_on == datetime.date(2029, 1, 10)


def test_a_certificate_issued_after_the_inspection_is_refused(eak, shelter):
    volunteer = record(shelter)

    response = eak.post(
        reverse("volunteering:pipeline_clearance", args=[volunteer.pk]),
        {"inspected_on": "2026-01-01", "issued_on": "2026-02-01"},
    )

    assert response.status_code == 200
    assert "nach der Einsichtnahme" in response.text
    assert 'value="2026-02-01"' in response.text
    assert not Clearance.objects.exists()


def test_the_page_says_the_document_is_never_stored(eak, shelter):
    response = eak.get(record(shelter).get_absolute_url())

    assert "wird nie gespeichert" in response.text


def test_a_clearance_is_deleted_from_the_record(eak, shelter, coordinator):
    volunteer = record(shelter)
    pipeline.record_clearance(
        volunteer=volunteer,
        inspected_on=TODAY(),
        issued_on=TODAY(),
        has_relevant_entry=True,
        actor=coordinator,
    )

    eak.post(reverse("volunteering:pipeline_clearance", args=[volunteer.pk]), {"delete": "1"})

    assert not Clearance.objects.exists()


# Reminders -------------------------------------------------------------------------------------


def clearance_due_in(shelter, coordinator, days, **fields):
    volunteer = record(shelter, full_name=fields.pop("name", "Rita Reminder"), **fields)
    clearance = pipeline.record_clearance(
        volunteer=volunteer,
        inspected_on=TODAY() - datetime.timedelta(days=400),
        issued_on=TODAY() - datetime.timedelta(days=410),
        has_relevant_entry=False,
        actor=coordinator,
    )
    Clearance.objects.filter(pk=clearance.pk).update(
        reinspect_on=TODAY() + datetime.timedelta(days=days)
    )
    return clearance


def test_coordinators_are_reminded_once_of_clearances_due_within_30_days(
    shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    due = clearance_due_in(shelter, coordinator, 20, name="Rita Bald")
    clearance_due_in(shelter, coordinator, 60, name="Paula Später")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_clearance_reminders", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_clearance_reminders", stdout=io.StringIO())

    [mail] = mailoutbox
    assert mail.to == [coordinator.email]
    assert "Rita Bald" in mail.body
    assert "Paula Später" not in mail.body
    assert reverse("volunteering:volunteer", args=[due.volunteer_id]) in mail.body
    due.refresh_from_db()
    assert due.reminder_sent_at is not None


def test_every_current_coordinator_of_the_shelter_is_reminded(
    shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = CoordinatorPositionFactory(shelter=shelter).person
    clearance_due_in(shelter, coordinator, 5)

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_clearance_reminders() == 1

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([coordinator.email, colleague.email])


def test_no_reminder_for_people_who_ended(shelter, coordinator, mailoutbox):
    clearance = clearance_due_in(shelter, coordinator, 5)
    pipeline.change_stage(
        volunteer=clearance.volunteer, stage="ended", actor=coordinator, end_reason="no_time"
    )

    assert queue_clearance_reminders() == 0


def test_a_new_inspection_brings_a_new_reminder_later(shelter, coordinator):
    clearance = clearance_due_in(shelter, coordinator, 5)
    queue_clearance_reminders()

    pipeline.record_clearance(
        volunteer=clearance.volunteer,
        inspected_on=TODAY(),
        issued_on=TODAY(),
        has_relevant_entry=False,
        actor=coordinator,
    )

    clearance.refresh_from_db()
    assert clearance.reminder_sent_at is None
    assert clearance.reinspect_on > TODAY() + datetime.timedelta(days=365)


def test_a_shelter_without_a_coordinator_keeps_its_reminder_for_later(shelter, coordinator):
    clearance = clearance_due_in(shelter, coordinator, 5)
    coordinator.coordinator_positions.update(ends_on=TODAY() - datetime.timedelta(days=1))

    assert queue_clearance_reminders() == 0

    clearance.refresh_from_db()
    assert clearance.reminder_sent_at is None


def test_a_start_page_gets_her_own_due_clearances_only(
    shelter, other_shelter, coordinator, other_coordinator, lead
):
    from bfe.volunteering.services.pipeline_onboarding import clearances_due_for

    own = clearance_due_in(shelter, coordinator, 10, name="Rita Nord")
    clearance_due_in(other_shelter, other_coordinator, 10, name="Wanda West")
    clearance_due_in(shelter, coordinator, 90, name="Paula Später")

    assert list(clearances_due_for(coordinator)) == [own]
    assert list(clearances_due_for(lead)) == []
