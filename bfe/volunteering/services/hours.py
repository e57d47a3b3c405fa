"""Hours of engagement and the Ehrenamtsnachweis: proposed from the shifts a volunteer worked,
entered by hand (by her, to be confirmed, or by her coordinator, confirmed at once), confirmed
or rejected by the coordinator, and certified for a period."""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AccessLog, Attestation, HoursEntry, ShiftSignup, Volunteer

MIN_HOURS = Decimal("0.25")
MAX_HOURS = Decimal("24")
# As the training certificates: no 0/O or 1/I to mix up when typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PROPOSAL_BATCH = 1000


def _shift_hours(shift):
    hours = Decimal(str((shift.ends_at - shift.starts_at).total_seconds() / 3600))
    hours = hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(max(hours, MIN_HOURS), MAX_HOURS)


def propose_hours_for_past_shifts(now=None):
    """An hours entry PROPOSED for each confirmed sign-up of a shift that has ended and has
    none yet (the length of the shift, the opportunity's title as activity). Idempotent, also
    when two runs overlap (the unique constraint decides); returns the number proposed."""
    now = now or timezone.now()
    has_entry = HoursEntry.objects.filter(
        volunteer_id=OuterRef("volunteer_id"), shift_id=OuterRef("shift_id")
    )
    signups = (
        ShiftSignup.objects.filter(
            status=ShiftSignup.Status.CONFIRMED,
            shift__ends_at__lte=now,
            shift__is_cancelled=False,
        )
        .filter(~Exists(has_entry))
        .select_related("shift__opportunity")
        .order_by("pk")
    )
    proposed = 0
    last_pk = 0
    while True:
        batch = list(signups.filter(pk__gt=last_pk)[:PROPOSAL_BATCH])
        if not batch:
            return proposed
        last_pk = batch[-1].pk
        entries = [
            HoursEntry(
                volunteer_id=signup.volunteer_id,
                shift=signup.shift,
                date=timezone.localdate(signup.shift.starts_at),
                hours=_shift_hours(signup.shift),
                activity=signup.shift.opportunity.title[:200],
                status=HoursEntry.Status.PROPOSED,
                created_at=now,
            )
            for signup in batch
        ]
        with transaction.atomic():
            # A run that overlaps this one may have proposed some of them meanwhile.
            HoursEntry.objects.bulk_create(entries, ignore_conflicts=True)
        proposed += len(entries)


def _check(*, date, hours, activity, today=None):
    today = today or timezone.localdate()
    errors = {}
    if date > today:
        errors["date"] = _(
            "Das Datum liegt in der Zukunft. Stunden lassen sich erst danach eintragen."
        )
    if hours is None or hours < MIN_HOURS or hours > MAX_HOURS:
        errors["hours"] = _("Bitte geben Sie zwischen 0,25 und 24 Stunden an.")
    if not (activity or "").strip():
        errors["activity"] = _("Bitte beschreiben Sie kurz, was Sie getan haben.")
    if errors:
        raise ValidationError(errors)


def enter_own_hours(*, user, volunteer_id, date, hours, activity):
    """She enters hours by hand for one of her own records: PROPOSED, for her coordinator to
    confirm. Raises Volunteer.DoesNotExist for a record that is not hers."""
    hours = Decimal(hours)
    _check(date=date, hours=hours, activity=activity)
    volunteer = Volunteer.objects.of(user).get(pk=volunteer_id)
    with transaction.atomic():
        return HoursEntry.objects.create(
            volunteer=volunteer,
            date=date,
            hours=hours,
            activity=activity.strip(),
            status=HoursEntry.Status.PROPOSED,
            created_by=user,
        )


def record_hours(*, coordinator, volunteer_id, date, hours, activity):
    """A coordinator enters hours for a volunteer of her shelter: confirmed at once. Raises
    Volunteer.DoesNotExist for a record she may not see."""
    hours = Decimal(hours)
    _check(date=date, hours=hours, activity=activity)
    now = timezone.now()
    with transaction.atomic():
        volunteer = Volunteer.objects.visible_to(coordinator).get(pk=volunteer_id)
        entry = HoursEntry.objects.create(
            volunteer=volunteer,
            date=date,
            hours=hours,
            activity=activity.strip(),
            status=HoursEntry.Status.CONFIRMED,
            created_by=coordinator,
            confirmed_at=now,
            confirmed_by=coordinator,
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=now)
        AccessLog.objects.create(
            volunteer=volunteer, actor=coordinator, action=AccessLog.Action.EDIT, detail="hours"
        )
    return entry


def reviewable_by(coordinator):
    """The hours entries a coordinator may confirm or reject: her shelters' records'."""
    return HoursEntry.objects.filter(
        volunteer__in=Volunteer.objects.visible_to(coordinator).values("pk")
    )


def decide_hours(*, coordinator, entry_ids, confirm):
    """Confirm (confirm=True) or reject the proposed entries among `entry_ids`; entries
    decided already stay as they are. Raises HoursEntry.DoesNotExist when any id is not one of
    her shelters' (nothing is changed then). Confirming counts as the volunteer's activity.
    Returns the number decided."""
    entry_ids = {int(pk) for pk in entry_ids}
    now = timezone.now()
    with transaction.atomic():
        entries = list(
            reviewable_by(coordinator).select_for_update().filter(pk__in=entry_ids).order_by("pk")
        )
        if len(entries) != len(entry_ids):
            raise HoursEntry.DoesNotExist
        open_entries = [e for e in entries if e.status == HoursEntry.Status.PROPOSED]
        if not open_entries:
            return 0
        ids = [entry.pk for entry in open_entries]
        AccessLog.objects.bulk_create(
            AccessLog(
                volunteer_id=volunteer_id,
                actor=coordinator,
                action=AccessLog.Action.EDIT,
                detail="hours confirmed" if confirm else "hours rejected",
            )
            for volunteer_id in sorted({e.volunteer_id for e in open_entries})
        )
        if confirm:
            HoursEntry.objects.filter(pk__in=ids).update(
                status=HoursEntry.Status.CONFIRMED, confirmed_at=now, confirmed_by=coordinator
            )
            Volunteer.objects.filter(pk__in={e.volunteer_id for e in open_entries}).update(
                last_activity_at=now
            )
        else:
            HoursEntry.objects.filter(pk__in=ids).update(
                status=HoursEntry.Status.REJECTED, confirmed_at=None, confirmed_by=coordinator
            )
    return len(ids)


# --- Ehrenamtsnachweis ------------------------------------------------------------------------


def new_verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certified_activities(volunteer, period_start, period_end):
    """Her confirmed hours in the period, summed per activity (largest first), and the total."""
    rows = (
        HoursEntry.objects.filter(
            volunteer=volunteer,
            status=HoursEntry.Status.CONFIRMED,
            date__gte=period_start,
            date__lte=period_end,
        )
        .values("activity")
        .annotate(total=Sum("hours"))
        .order_by("-total", "activity")
    )
    activities = [{"activity": row["activity"], "hours": str(row["total"])} for row in rows]
    total = sum((Decimal(row["hours"]) for row in activities), Decimal("0"))
    return activities, total


def issue_attestation(*, volunteer, period_start, period_end, issued_by):
    """An Ehrenamtsnachweis of the volunteer's confirmed hours in the period, keeping what it
    certifies (name, shelter, activities, hours) with its verification code. ValidationError
    for a period in the wrong order, reaching into the future, or without confirmed hours."""
    today = timezone.localdate()
    if period_end < period_start:
        raise ValidationError(
            {"period_end": _("Das Ende des Zeitraums liegt vor seinem Beginn.")},
            code="order",
        )
    if period_end > today:
        raise ValidationError(
            {"period_end": _("Der Zeitraum darf höchstens bis heute reichen.")}, code="future"
        )
    activities, total = certified_activities(volunteer, period_start, period_end)
    if not activities:
        raise ValidationError(
            _("In diesem Zeitraum sind keine bestätigten Stunden erfasst."), code="no_hours"
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if issued_by is not None and volunteer.user_id != issued_by.pk:
                    AccessLog.objects.create(
                        volunteer=volunteer,
                        actor=issued_by,
                        action=AccessLog.Action.EXPORT,
                        detail="Ehrenamtsnachweis",
                    )
                return Attestation.objects.create(
                    volunteer=volunteer,
                    holder_name=volunteer.full_name,
                    shelter_name=volunteer.shelter.name,
                    period_start=period_start,
                    period_end=period_end,
                    hours=total,
                    activities=activities,
                    verification_code=new_verification_code(),
                    issued_by=issued_by,
                )
        except IntegrityError:  # the rare code issued before: draw again
            continue
    raise RuntimeError("no free verification code")


def revoke_attestation(*, coordinator, attestation_id):
    """A coordinator revokes a Nachweis of her shelters' volunteers (issued in error): its
    check page says so from now on. Raises Attestation.DoesNotExist for any other; revoking
    twice keeps the first date."""
    with transaction.atomic():
        attestation = (
            Attestation.objects.select_for_update()
            .filter(volunteer__in=Volunteer.objects.visible_to(coordinator).values("pk"))
            .get(pk=attestation_id)
        )
        if attestation.revoked_at is None:
            attestation.revoked_at = timezone.now()
            attestation.save(update_fields=["revoked_at"])
            AccessLog.objects.create(
                volunteer_id=attestation.volunteer_id,
                actor=coordinator,
                action=AccessLog.Action.EDIT,
                detail="Ehrenamtsnachweis widerrufen",
            )
    return attestation


def default_period(today=None):
    """The period offered first: the current calendar year up to today."""
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), today
