"""The "reviewed on" duty: laws and forms change, so staff confirm a material is still current
at least every `settings.MATERIAL_REVIEW_AFTER_DAYS` days, and the admins are reminded of the
materials due."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .. import emails
from ..models import Material

logger = logging.getLogger(__name__)
# Materials listed in one reminder e-mail; the rest follow the next day.
MAX_PER_REMINDER = 200


def due(*, today=None):
    """Materials due for review, the longest unreviewed first."""
    return (
        Material.objects.due_for_review(today=today)
        .annotate(last_checked=Coalesce("reviewed_on", TruncDate("created_at")))
        .order_by(F("last_checked").asc(), "pk")
    )


@transaction.atomic
def mark_reviewed(*, material, by, today=None):
    """Staff confirm the material is still current: reviewed today."""
    if not Material.objects.curated_by(by).filter(pk=material.pk).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    Material.objects.filter(pk=material.pk).update(
        reviewed_on=today, review_reminded_at=None, updated_at=timezone.now()
    )
    material.reviewed_on = today
    return material


def send_reminders(*, now=None):
    """Enqueue one e-mail per admin listing the due materials not reminded of in the current
    period; each material is in a reminder at most once per MATERIAL_REVIEW_AFTER_DAYS. Run
    daily: a second run the same day enqueues nothing. Returns (e-mails, materials listed)."""
    now = now or timezone.now()
    period = datetime.timedelta(days=settings.MATERIAL_REVIEW_AFTER_DAYS)
    with transaction.atomic():
        # Locked, so that two runs at once do not both remind of the same materials.
        material_ids = list(
            due(today=timezone.localdate(now))
            .exclude(review_reminded_at__gt=now - period)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)[:MAX_PER_REMINDER]
        )
        person_ids = list(emails.moderators().values_list("pk", flat=True))
        if not material_ids or not person_ids:
            logger.info(
                "Review reminders: %d materials due, %d admins", len(material_ids), len(person_ids)
            )
            return 0, 0
        Material.objects.filter(pk__in=material_ids).update(review_reminded_at=now)
        for person_id in person_ids:
            transaction.on_commit(
                lambda person_id=person_id: emails.send_review_reminder.enqueue(
                    person_id=person_id, material_ids=material_ids
                )
            )
    logger.info("Review reminders: %d e-mails, %d materials", len(person_ids), len(material_ids))
    return len(person_ids), len(material_ids)
