"""Retention: notices a month ahead, deletion after the period, expiry of unconfirmed
applications, clearances deleted when no longer needed; idempotent and logged with counts."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from bfe.volunteering.models import (
    Application,
    Clearance,
    ImportJob,
    RetentionRun,
    ShelterVolunteerFigures,
    Volunteer,
)
from bfe.volunteering.services import imports, retention
from bfe.volunteering.services.links import volunteer_token

from .factories import ApplicationFactory, VolunteerFactory
from .factories_imports import HEADER, csv_file, person_rows

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 12, 3, 3, 15))
DAY = datetime.timedelta(days=1)
MONTHS_24 = relativedelta(months=24)


@pytest.fixture(autouse=True)
def german():
    """Messages are checked in German, whatever an earlier test's request activated."""
    with translation.override("de"):
        yield


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_once(now=NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return retention.apply_retention(now=now)

    return run_once


def person(shelter, last_activity, **fields):
    # The factory counts the record in the shelter's figures, as the services do.
    return VolunteerFactory(shelter=shelter, last_activity_at=last_activity, **fields)


def notice_due_at(now=NOW):
    """The last activity from which a notice is due on this run."""
    return now - MONTHS_24 + datetime.timedelta(days=30)


# (b) notices ------------------------------------------------------------------------------------


def test_a_notice_goes_out_a_day_after_the_notice_point_not_a_day_before(shelter, run):
    due = person(shelter, notice_due_at() - DAY, full_name="Alte Bekannte")
    not_yet = person(shelter, notice_due_at() + DAY)

    result = run()

    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert due.retention_notice_sent_at == NOW
    assert not_yet.retention_notice_sent_at is None
    assert result.notices_sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [due.email]
    assert "02.01.2027" in message.subject  # 30 days after the notice
    assert "Alte Bekannte" in message.body
    assert shelter.name in message.body
    keep_url = reverse("volunteering:retention_keep", args=[volunteer_token(due)])
    assert keep_url in message.body
    assert keep_url in message.alternatives[0][0]


def test_the_notice_is_written_in_the_persons_language(shelter, run):
    person(shelter, notice_due_at() - DAY, language="en")
    run()
    assert "Your volunteer data will be deleted on" in mail.outbox[0].subject


def test_a_person_without_an_address_is_marked_but_gets_no_mail(shelter, run):
    silent = person(shelter, notice_due_at() - DAY, email="")
    result = run()
    silent.refresh_from_db()
    assert silent.retention_notice_sent_at == NOW
    assert result.notices_sent == 0
    assert mail.outbox == []


def test_someone_active_again_after_a_notice_gets_a_new_one_later(shelter, run):
    volunteer = person(shelter, notice_due_at() - DAY)
    run()
    later = NOW + relativedelta(months=25)
    Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=NOW + DAY)
    mail.outbox.clear()

    result = run(now=later)

    volunteer.refresh_from_db()
    assert result.notices_sent == 1
    assert result.volunteers_deleted == 0
    assert volunteer.retention_notice_sent_at == later


# (c) deletion ----------------------------------------------------------------------------------


def test_a_record_is_deleted_after_the_period_once_noticed_long_enough(shelter, run):
    noticed = person(
        shelter,
        NOW - MONTHS_24 - DAY,
        retention_notice_sent_at=NOW - datetime.timedelta(days=30),
        stage=Volunteer.Stage.PAUSED,
    )
    noticed_lately = person(
        shelter, NOW - MONTHS_24 - DAY, retention_notice_sent_at=NOW - datetime.timedelta(days=29)
    )

    result = run()

    assert not Volunteer.objects.filter(pk=noticed.pk).exists()
    assert Volunteer.objects.filter(pk=noticed_lately.pk).exists()
    assert result.volunteers_deleted == 1
    figures = ShelterVolunteerFigures.objects.get(shelter=shelter)
    assert (figures.paused, figures.active) == (0, 1)


def test_a_record_is_kept_a_day_before_the_period_ends(shelter, run):
    kept = person(
        shelter, NOW - MONTHS_24 + DAY, retention_notice_sent_at=NOW - datetime.timedelta(days=40)
    )
    result = run()
    assert Volunteer.objects.filter(pk=kept.pk).exists()
    assert result.volunteers_deleted == 0


def test_a_record_without_a_notice_is_never_deleted_unannounced(shelter, run):
    old = person(shelter, NOW - relativedelta(months=30))
    result = run()
    old.refresh_from_db()
    assert result.volunteers_deleted == 0
    assert old.retention_notice_sent_at == NOW  # noticed now, deleted in 30 days


def test_a_notice_older_than_the_last_activity_does_not_count(shelter, run):
    volunteer = person(
        shelter, NOW - MONTHS_24 - DAY, retention_notice_sent_at=NOW - relativedelta(months=25)
    )
    result = run()
    assert result.volunteers_deleted == 0
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_the_whole_journey_notice_then_deletion(shelter, run):
    volunteer = person(shelter, NOW - MONTHS_24 + datetime.timedelta(days=29))
    assert run().notices_sent == 1
    assert run(now=NOW + datetime.timedelta(days=29)).volunteers_deleted == 0
    assert run(now=NOW + datetime.timedelta(days=30)).volunteers_deleted == 1
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()


# (a) applications ------------------------------------------------------------------------------


def test_unconfirmed_applications_expire_after_48_hours_and_lose_personal_data(opportunity, run):
    old = ApplicationFactory(
        opportunity=opportunity, created_at=NOW - datetime.timedelta(hours=48, minutes=1)
    )
    fresh = ApplicationFactory(
        opportunity=opportunity, created_at=NOW - datetime.timedelta(hours=47, minutes=59)
    )
    confirmed = ApplicationFactory(
        opportunity=opportunity,
        created_at=NOW - datetime.timedelta(days=10),
        status=Application.Status.CONFIRMED,
    )

    result = run()

    old.refresh_from_db()
    fresh.refresh_from_db()
    confirmed.refresh_from_db()
    assert old.status == Application.Status.EXPIRED
    assert (old.full_name, old.email, old.phone, old.message, old.languages) == ("", "", "", "", [])
    assert fresh.status == Application.Status.UNCONFIRMED and fresh.email
    assert confirmed.status == Application.Status.CONFIRMED and confirmed.email
    assert result.applications_expired == 1


# (d) clearances --------------------------------------------------------------------------------


def clearance(volunteer):
    return Clearance.objects.create(
        volunteer=volunteer,
        inspected_on=datetime.date(2026, 1, 10),
        issued_on=datetime.date(2026, 1, 2),
        reinspect_on=datetime.date(2031, 1, 10),
    )


def test_clearances_go_when_the_person_did_not_start(shelter, run):
    did_not_start = person(
        shelter,
        NOW - DAY,
        stage=Volunteer.Stage.ENDED,
        end_reason=Volunteer.EndReason.DID_NOT_START,
    )
    moved_away = person(
        shelter, NOW - DAY, stage=Volunteer.Stage.ENDED, end_reason=Volunteer.EndReason.MOVED_AWAY
    )
    clearance(did_not_start)
    clearance(moved_away)

    result = run()

    assert list(Clearance.objects.values_list("volunteer", flat=True)) == [moved_away.pk]
    assert result.clearances_deleted == 1
    assert Volunteer.objects.filter(pk=did_not_start.pk).exists()


def test_clearances_go_six_months_after_the_last_activity_not_a_day_earlier(shelter, run):
    gone = clearance(person(shelter, NOW - relativedelta(months=6) - DAY))
    kept = clearance(person(shelter, NOW - relativedelta(months=6) + DAY))

    result = run()

    assert not Clearance.objects.filter(pk=gone.pk).exists()
    assert Clearance.objects.filter(pk=kept.pk).exists()
    assert result.clearances_deleted == 1


# The run ---------------------------------------------------------------------------------------


def test_a_second_run_the_same_day_changes_nothing(shelter, opportunity, run):
    person(shelter, notice_due_at() - DAY)
    person(shelter, NOW - MONTHS_24 - DAY, retention_notice_sent_at=NOW - relativedelta(months=1))
    clearance(person(shelter, NOW - relativedelta(months=7)))
    ApplicationFactory(opportunity=opportunity, created_at=NOW - datetime.timedelta(days=3))
    first = run()
    before = {
        "volunteers": list(Volunteer.objects.values_list().order_by("pk")),
        "applications": list(Application.objects.values_list().order_by("pk")),
        "clearances": Clearance.objects.count(),
    }
    mails = len(mail.outbox)

    second = run(now=NOW + datetime.timedelta(hours=2))

    after = {
        "volunteers": list(Volunteer.objects.values_list().order_by("pk")),
        "applications": list(Application.objects.values_list().order_by("pk")),
        "clearances": Clearance.objects.count(),
    }
    assert (first.notices_sent, first.volunteers_deleted) == (1, 1)
    assert (first.applications_expired, first.clearances_deleted) == (1, 1)
    assert after == before
    assert len(mail.outbox) == mails
    assert (
        second.notices_sent,
        second.volunteers_deleted,
        second.applications_expired,
        second.clearances_deleted,
    ) == (0, 0, 0, 0)
    assert RetentionRun.objects.count() == 2
    assert second.finished_at is not None


def test_the_command_runs_and_tells_its_counts(shelter, django_capture_on_commit_callbacks):
    import io

    person(shelter, timezone.now() - MONTHS_24)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert "1 Hinweis(e) eingereiht" in out.getvalue()
    assert RetentionRun.objects.get().notices_sent == 1
    assert len(mail.outbox) == 1


def test_a_notice_withdrawn_before_the_task_runs_is_not_sent(shelter, monkeypatch, run):
    from bfe.volunteering.tasks import imports as tasks

    volunteer = person(shelter, notice_due_at() - DAY)
    retention.send_notices(now=NOW)
    retention.keep_data(volunteer=volunteer)
    assert tasks.send_retention_notice.call(volunteer_id=volunteer.pk) is False
    assert mail.outbox == []


def test_old_import_files_and_reports_are_deleted_after_a_week(shelter, coordinator, run):
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(1)])
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=NOW - datetime.timedelta(days=8), errors=[{"kind": "error", "row": 2}]
    )
    storage, name = job.file.storage, job.file.name
    run()
    job.refresh_from_db()
    assert not job.file and job.errors == []
    assert not storage.exists(name)


# Keeping the data -------------------------------------------------------------------------------


def test_the_keep_link_shows_the_date_and_keeps_the_record_on_post(client, shelter, run):
    volunteer = person(shelter, notice_due_at() - DAY)
    run()
    volunteer.refresh_from_db()
    url = reverse("volunteering:retention_keep", args=[volunteer_token(volunteer)])

    page = client.get(url)
    volunteer.refresh_from_db()
    assert page.status_code == 200
    assert "2. Januar 2027" in page.content.decode()
    assert volunteer.retention_notice_sent_at is not None  # a GET changes nothing

    response = client.post(url, follow=True)
    volunteer.refresh_from_db()
    assert "Ihre Daten bleiben gespeichert" in response.content.decode()
    assert volunteer.retention_notice_sent_at is None
    assert volunteer.last_activity_at > NOW
    assert run(now=timezone.now() + datetime.timedelta(days=31)).volunteers_deleted == 0


def test_a_forged_or_revoked_keep_link_is_not_found(client, volunteer):
    from bfe.volunteering.services.links import revoke_volunteer_link

    token = volunteer_token(volunteer)
    assert client.get(reverse("volunteering:retention_keep", args=["1.forged"])).status_code == 404
    revoke_volunteer_link(volunteer)
    assert client.get(reverse("volunteering:retention_keep", args=[token])).status_code == 404
    assert client.post(reverse("volunteering:retention_keep", args=[token])).status_code == 404
