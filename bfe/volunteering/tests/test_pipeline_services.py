import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bfe.volunteering.models import (
    AccessLog,
    ChecklistEntry,
    Clearance,
    ShelterVolunteerFigures,
    Volunteer,
)
from bfe.volunteering.selectors import figures_for_shelters
from bfe.volunteering.services import pipeline
from bfe.volunteering.services.access import log_access
from bfe.volunteering.services.records import recompute_figures

from .factories_pipeline import record

pytestmark = pytest.mark.django_db
Stage = Volunteer.Stage


def figures(shelter):
    return {key: value for key, value in figures_for_shelters([shelter.pk]).items() if value}


def test_figures_follow_every_stage_change_exactly(shelter, coordinator):
    first, second = record(shelter), record(shelter)

    pipeline.change_stage(volunteer=first, stage=Stage.CONTACTED, actor=coordinator)
    pipeline.change_stage(volunteer=second, stage=Stage.ACTIVE, actor=coordinator)
    pipeline.change_stage(
        volunteer=second, stage=Stage.ENDED, actor=coordinator, end_reason="moved_away"
    )

    assert figures(shelter) == {"contacted": 1, "ended": 1}
    # The maintained figures are what counting the records anew gives.
    stages = [stage.value for stage in Stage]
    kept = ShelterVolunteerFigures.objects.values(*stages).get(shelter=shelter)
    recompute_figures([shelter.pk])
    assert ShelterVolunteerFigures.objects.values(*stages).get(shelter=shelter) == kept


def test_the_same_stage_again_changes_no_figure(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.CONTACTED)

    pipeline.change_stage(volunteer=volunteer, stage=Stage.CONTACTED, actor=coordinator)

    assert figures(shelter) == {"contacted": 1}


def test_ending_needs_a_reason(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.ACTIVE)

    with pytest.raises(ValidationError):
        pipeline.change_stage(volunteer=volunteer, stage=Stage.ENDED, actor=coordinator)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.ACTIVE
    assert figures(shelter) == {"active": 1}


def test_a_stage_change_sets_its_time_and_the_last_activity(shelter, coordinator):
    volunteer = record(shelter)
    long_ago = timezone.now() - datetime.timedelta(days=90)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        stage_changed_at=long_ago, last_activity_at=long_ago
    )
    volunteer.refresh_from_db()

    pipeline.change_stage(volunteer=volunteer, stage=Stage.FIRST_MEETING, actor=coordinator)

    volunteer.refresh_from_db()
    assert volunteer.stage_changed_at > long_ago
    assert volunteer.last_activity_at > long_ago


def test_leaving_ended_clears_the_end_reason(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.ENDED)

    pipeline.change_stage(volunteer=volunteer, stage=Stage.PAUSED, actor=coordinator)

    volunteer.refresh_from_db()
    assert (volunteer.stage, volunteer.end_reason) == (Stage.PAUSED, "")


def test_a_person_who_did_not_start_loses_her_clearance(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.ONBOARDING)
    today = timezone.localdate()
    pipeline.record_clearance(
        volunteer=volunteer,
        inspected_on=today,
        issued_on=today - datetime.timedelta(days=10),
        has_relevant_entry=False,
        actor=coordinator,
    )

    pipeline.change_stage(
        volunteer=volunteer,
        stage=Stage.ENDED,
        actor=coordinator,
        end_reason=Volunteer.EndReason.DID_NOT_START,
    )

    assert not Clearance.objects.filter(volunteer=volunteer).exists()
    assert not ChecklistEntry.objects.filter(volunteer=volunteer).exists()


def test_a_person_who_ends_for_another_reason_keeps_her_clearance_for_now(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.ACTIVE)
    today = timezone.localdate()
    pipeline.record_clearance(
        volunteer=volunteer,
        inspected_on=today,
        issued_on=today,
        has_relevant_entry=False,
        actor=coordinator,
    )

    pipeline.change_stage(
        volunteer=volunteer, stage=Stage.ENDED, actor=coordinator, end_reason="no_time"
    )

    assert Clearance.objects.filter(volunteer=volunteer).exists()


def test_the_board_moves_one_stage_either_way(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.CONTACTED)

    pipeline.move_on_board(volunteer=volunteer, direction="next", actor=coordinator)
    assert Volunteer.objects.get(pk=volunteer.pk).stage == Stage.FIRST_MEETING

    pipeline.move_on_board(volunteer=volunteer, direction="previous", actor=coordinator)
    assert Volunteer.objects.get(pk=volunteer.pk).stage == Stage.CONTACTED


def test_the_board_does_not_end_an_engagement_without_a_reason(shelter, coordinator):
    volunteer = record(shelter, stage=Stage.PAUSED)

    with pytest.raises(ValidationError):
        pipeline.move_on_board(volunteer=volunteer, direction="next", actor=coordinator)

    assert Volunteer.objects.get(pk=volunteer.pk).stage == Stage.PAUSED


def test_the_board_stops_at_its_first_column(shelter, coordinator):
    volunteer = record(shelter)

    with pytest.raises(ValidationError):
        pipeline.move_on_board(volunteer=volunteer, direction="previous", actor=coordinator)


def test_a_person_added_by_hand_counts_and_is_logged(shelter, coordinator):
    volunteer, created = pipeline.add_volunteer(
        shelter=shelter, actor=coordinator, full_name="  Hanna Hand ", email="hanna@example.org"
    )

    assert created
    assert (volunteer.full_name, volunteer.source) == ("Hanna Hand", Volunteer.Source.MANUAL)
    assert figures(shelter) == {"applied": 1}
    assert list(volunteer.access_log.values_list("action", "actor")) == [
        (AccessLog.Action.EDIT, coordinator.pk)
    ]


def test_adding_a_known_address_again_fills_gaps_and_counts_once(shelter, coordinator):
    first, _ = pipeline.add_volunteer(
        shelter=shelter, actor=coordinator, full_name="Hanna", email="Hanna@Example.org"
    )

    again, created = pipeline.add_volunteer(
        shelter=shelter,
        actor=coordinator,
        full_name="Hanna Anders",
        email="hanna@example.org",
        phone="030 123",
    )

    assert not created
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.full_name, again.phone) == ("Hanna", "030 123")
    assert figures(shelter) == {"applied": 1}


def test_notes_are_kept_and_logged_as_edits(shelter, coordinator):
    volunteer = record(shelter)

    pipeline.add_note(volunteer=volunteer, author=coordinator, text=" Spricht Farsi. ")

    assert list(volunteer.notes.values_list("text", flat=True)) == ["Spricht Farsi."]
    assert volunteer.access_log.filter(action=AccessLog.Action.EDIT).exists()


def test_an_empty_note_is_refused(shelter, coordinator):
    with pytest.raises(ValidationError):
        pipeline.add_note(volunteer=record(shelter), author=coordinator, text="   ")


def test_the_access_log_takes_the_system_as_actor_and_cuts_long_details(shelter):
    entry = log_access(
        volunteer=record(shelter), actor=None, action=AccessLog.Action.EXPORT, detail="x" * 500
    )

    assert entry.actor is None
    assert len(entry.detail) == 200
