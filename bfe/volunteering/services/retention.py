"""Retention: personal data is kept only as long as it is needed (DESIGN.md, privacy).

One daily, idempotent run (`manage.py apply_retention`), logged as a `RetentionRun` with its
counts and never with names:

(a) applications not confirmed within VOLUNTEER_APPLICATION_CONFIRM_HOURS expire, and their
    personal fields are blanked;
(b) records without activity for VOLUNTEER_RETENTION_MONTHS less VOLUNTEER_RETENTION_NOTICE_DAYS
    get a notice e-mail with a personal link that keeps them (it counts as activity);
(c) records without activity for VOLUNTEER_RETENTION_MONTHS, noticed at least NOTICE_DAYS ago
    (and not active since), are deleted through records.delete_volunteer: the shelter's figures
    count current records, so the person leaves them; the run keeps how many were deleted;
(d) clearances (§ 72a SGB VIII) of people who did not start, or whose last activity is older
    than VOLUNTEER_CLEARANCE_KEEP_MONTHS, are deleted.

Files of old imports and their reports (which quote cells) are deleted after IMPORT_KEEP_DAYS.
A second run on the same day finds nothing left to do.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bfe.core.queue import enqueue_on_commit

from ..models import Application, Clearance, ImportJob, RetentionRun, Volunteer
from . import records

NOTICE_TASK = "bfe.volunteering.tasks.imports.send_retention_notice"
CHUNK = 500
IMPORT_KEEP_DAYS = 7


def _retention():
    return relativedelta(months=settings.VOLUNTEER_RETENTION_MONTHS)


def _notice_days():
    return datetime.timedelta(days=settings.VOLUNTEER_RETENTION_NOTICE_DAYS)


def _notice_pending():
    """A notice was sent and the person has not been active since."""
    return Q(retention_notice_sent_at__isnull=False) & Q(
        retention_notice_sent_at__gte=F("last_activity_at")
    )


def apply_retention(*, now=None):
    """Run every step once and log the run; returns the RetentionRun."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    run.applications_expired = expire_applications(now=now)
    run.clearances_deleted = delete_clearances(now=now)
    run.volunteers_deleted = delete_inactive_volunteers(now=now)
    run.notices_sent = send_notices(now=now)
    purge_import_files(now=now)
    run.finished_at = timezone.now()
    run.save()
    return run


def expire_applications(*, now):
    """(a) Unconfirmed applications older than the confirmation window: expired, blanked."""
    cutoff = now - datetime.timedelta(hours=settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS)
    with transaction.atomic():
        return Application.objects.filter(
            status=Application.Status.UNCONFIRMED, created_at__lte=cutoff
        ).update(
            status=Application.Status.EXPIRED,
            full_name="",
            email="",
            phone="",
            languages=[],
            message="",
        )


def delete_clearances(*, now):
    """(d) Clearances of people who did not start, or inactive longer than allowed."""
    cutoff = now - relativedelta(months=settings.VOLUNTEER_CLEARANCE_KEEP_MONTHS)
    due = Clearance.objects.filter(
        Q(
            volunteer__stage=Volunteer.Stage.ENDED,
            volunteer__end_reason=Volunteer.EndReason.DID_NOT_START,
        )
        | Q(volunteer__last_activity_at__lt=cutoff)
    )
    with transaction.atomic():
        _total, per_model = due.delete()
    return per_model.get(Clearance._meta.label, 0)


def delete_inactive_volunteers(*, now):
    """(c) Records inactive for the retention period whose notice is old enough."""
    due = Volunteer.objects.filter(
        _notice_pending(),
        last_activity_at__lt=now - _retention(),
        retention_notice_sent_at__lte=now - _notice_days(),
    )
    deleted = 0
    # In chunks read ahead: SQLite does not isolate a running read from deletes on the table.
    while chunk := list(due.order_by("pk")[:CHUNK]):
        for volunteer in chunk:
            records.delete_volunteer(volunteer)
            deleted += 1
    return deleted


def send_notices(*, now):
    """(b) Records that will reach the retention period within the notice days and have no
    notice since their last activity: marked, and their e-mail enqueued. Returns the number
    of e-mails; records without an address are marked too, so that their deletion follows."""
    due = Volunteer.objects.filter(last_activity_at__lt=now - _retention() + _notice_days()).filter(
        Q(retention_notice_sent_at__isnull=True)
        | Q(retention_notice_sent_at__lt=F("last_activity_at"))
    )
    sent = 0
    while True:
        with transaction.atomic():
            chunk = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", "email", "user__email")
                .order_by("pk")[:CHUNK]
            )
            if not chunk:
                break
            Volunteer.objects.filter(pk__in=[pk for pk, *_rest in chunk]).update(
                retention_notice_sent_at=now
            )
            for pk, email, user_email in chunk:
                if email or user_email:
                    enqueue_on_commit(NOTICE_TASK, volunteer_id=pk)
                    sent += 1
    return sent


def purge_import_files(*, now):
    """Files of imports older than IMPORT_KEEP_DAYS, and their reports, deleted."""
    old = ImportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=IMPORT_KEEP_DAYS))
    purged = 0
    while chunk := list(old.exclude(file="", errors=[]).order_by("pk")[:CHUNK]):
        for job in chunk:
            if job.file:
                job.file.delete(save=False)
            ImportJob.objects.filter(pk=job.pk).update(file="", errors=[])
            purged += 1
    return purged


def deletion_date(volunteer):
    """The day from which the run deletes the record, unless she is active again."""
    due = volunteer.last_activity_at + _retention()
    sent = volunteer.retention_notice_sent_at
    if sent and sent >= volunteer.last_activity_at:
        due = max(due, sent + _notice_days())
    return timezone.localdate(due)


def volunteer_due_for_notice_mail(volunteer_id):
    """The record, if its notice is still pending (for the e-mail task)."""
    return (
        Volunteer.objects.filter(_notice_pending(), pk=volunteer_id)
        .select_related("shelter", "user")
        .first()
    )


def keep_data(*, volunteer):
    """The person asked to keep her record: it counts as activity, the notice is withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        Volunteer.objects.filter(pk=volunteer.pk).update(
            last_activity_at=now, retention_notice_sent_at=None
        )
    volunteer.last_activity_at = now
    volunteer.retention_notice_sent_at = None
    return volunteer
