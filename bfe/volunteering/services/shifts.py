"""Shifts (Einsätze) of an opportunity: one-off or recurring, sign-up with a waiting list,
cancellation with automatic promotion, reminders the day before.

Every slot decision is taken under a row lock on the shift (`bfe.core.locking`), counting the
confirmed sign-ups in the same transaction that writes the new one, at READ COMMITTED: so a
shift is never overfilled, whatever the number of simultaneous requests and app servers (the
same discipline as event registration). `Shift.confirmed_count` is kept for display only.

Recurring shifts are an RRULE (python-dateutil) on a `ShiftSeries`, materialised as Shift rows
up to a bounded horizon; `extend_series` (command `extend_shift_series`) tops them up. An RRULE
with COUNT is stored with the UNTIL of its last date, so that a series can be split when "this
and all following" shifts are edited.

Services send nothing themselves: each e-mail is a task enqueued when the transaction commits.

Lock order, for anyone adding locks: the shift row first, then its sign-ups.
"""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bfe.core.locking import lock_object
from bfe.core.queue import enqueue_on_commit

from ..models import Opportunity, Shift, ShiftSeries, ShiftSignup, Volunteer

SEND_SHIFT_EMAIL = "bfe.volunteering.tasks.shifts.send_shift_email"

Status = ShiftSignup.Status
# Sign-ups that hold a slot or a place on the waiting list.
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)
# Only records in these stages may take a shift (paused and ended ones may not).
MAY_SIGN_UP = (Volunteer.Stage.ONBOARDING, Volunteer.Stage.ACTIVE)
# Recurring shifts exist as rows this far ahead; `extend_shift_series` tops them up.
HORIZON = datetime.timedelta(days=183)
# Reminders go out once a shift starts within this time ("the day before").
REMINDER_WINDOW = datetime.timedelta(hours=24)
# Opportunities whose shifts volunteers may see and take.
TAKING_PART = (Opportunity.Status.OPEN, Opportunity.Status.FILLED)
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_SERIES_SHIFTS = 400


class Mail:
    """The e-mails about a sign-up; each has email/volunteering/shifts/<value>{_subject.txt,.txt,
    .html}."""

    PROMOTED = "promoted"
    ASSIGNED = "assigned"
    SHIFT_CANCELLED = "shift_cancelled"
    CHANGED = "changed"
    REMINDER = "reminder"


def _send_on_commit(signup, mail):
    enqueue_on_commit(SEND_SHIFT_EMAIL, signup_id=signup.pk, mail=mail)


def _when(shift):
    return formats.date_format(timezone.localtime(shift.starts_at), "SHORT_DATETIME_FORMAT")


# --- Slots under the shift's lock -------------------------------------------------------------


def _lock_shift(shift):
    """The shift's row, locked until the transaction ends: every slot decision starts here.
    A lock not granted in time raises LockTimeout ("please try again")."""
    return lock_object(shift)


def _confirmed_count(shift):
    return ShiftSignup.objects.filter(shift=shift, status=Status.CONFIRMED).count()


def _store_count(shift, confirmed):
    if shift.confirmed_count != confirmed:
        shift.confirmed_count = confirmed
        Shift.objects.filter(pk=shift.pk).update(confirmed_count=confirmed)


def sign_up_error(*, shift, volunteer, now=None):
    """Why this record cannot take this shift now (a ValidationError), or None."""
    now = now or timezone.now()
    if volunteer.shelter_id != shift.opportunity.shelter_id:
        return ValidationError(
            _("Dieser Einsatz gehört zu einer anderen Unterkunft."), code="other_shelter"
        )
    if volunteer.stage not in MAY_SIGN_UP:
        return ValidationError(
            _(
                "Eintragen können sich Freiwillige in der Einarbeitung oder im aktiven "
                "Engagement; %(name)s ist gerade „%(stage)s“."
            )
            % {"name": volunteer.full_name, "stage": volunteer.get_stage_display()},
            code="stage",
        )
    if shift.is_cancelled:
        return ValidationError(_("Dieser Einsatz ist abgesagt."), code="cancelled")
    if shift.starts_at <= now:
        return ValidationError(
            _("Dieser Einsatz hat bereits begonnen; eintragen ist nicht mehr möglich."),
            code="started",
        )
    if shift.opportunity.status not in TAKING_PART:
        return ValidationError(
            _("Für dieses Angebot werden gerade keine Einsätze vergeben."), code="opportunity"
        )
    return None


@transaction.atomic
def sign_up(*, shift, volunteer, assigned_by=None):
    """Put a volunteer's record on a shift: a confirmed slot while one is free, else the end of
    the waiting list (`waitlisted_at`). The slots are never exceeded.

    Signing up again returns the existing sign-up unchanged (a double click creates nothing
    twice); a cancelled one is re-activated. `assigned_by` is the coordinator who assigned the
    volunteer (she is e-mailed then). Raises ValidationError (codes "other_shelter", "stage",
    "cancelled", "started", "opportunity") when the record cannot take the shift.
    """
    shift = _lock_shift(shift)
    volunteer = Volunteer.objects.get(pk=volunteer.pk)
    now = timezone.now()
    error = sign_up_error(shift=shift, volunteer=volunteer, now=now)
    if error:
        raise error
    existing = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if existing is not None and existing.status in ACTIVE:
        return existing
    confirmed = _confirmed_count(shift)
    signup = existing or ShiftSignup(shift=shift, volunteer=volunteer)
    signup.created_at = now
    signup.cancelled_at = None
    signup.reminder_sent_at = None
    signup.assigned_by = assigned_by
    if confirmed < shift.slots:
        signup.status = Status.CONFIRMED
        signup.waitlisted_at = None
        confirmed += 1
    else:
        signup.status = Status.WAITLISTED
        signup.waitlisted_at = now
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        # Only reachable where the database has no row locks: the constraint kept it single.
        return ShiftSignup.objects.get(shift=shift, volunteer=volunteer)
    _store_count(shift, confirmed)
    Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=now)
    if assigned_by is not None:
        _send_on_commit(signup, Mail.ASSIGNED)
    return signup


def _promote(shift, now):
    """Give the shift's free slots to its waiting list, earliest first (the caller holds the
    shift's lock). Returns the promoted sign-ups; each is e-mailed after the commit."""
    confirmed = _confirmed_count(shift)
    promoted = []
    if not shift.is_cancelled and shift.starts_at > now and confirmed < shift.slots:
        waiting = ShiftSignup.objects.filter(shift=shift, status=Status.WAITLISTED).order_by(
            "waitlisted_at", "pk"
        )[: shift.slots - confirmed]
        for signup in waiting:
            signup.status = Status.CONFIRMED
            signup.save(update_fields=["status"])
            _send_on_commit(signup, Mail.PROMOTED)
            promoted.append(signup)
    _store_count(shift, confirmed + len(promoted))
    return promoted


@transaction.atomic
def cancel(*, signup):
    """Cancel a sign-up (by the volunteer or her coordinator). A freed slot goes at once to the
    first person on the waiting list, who is e-mailed. Cancelling twice changes nothing; raises
    ValidationError (code "started") once the shift has begun."""
    shift = _lock_shift(signup.shift)
    signup = ShiftSignup.objects.get(pk=signup.pk)
    if signup.status == Status.CANCELLED:
        return signup
    now = timezone.now()
    if shift.starts_at <= now:
        raise ValidationError(
            _("Der Einsatz hat bereits begonnen; absagen ist nicht mehr möglich."),
            code="started",
        )
    signup.status = Status.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at"])
    _promote(shift, now)
    return signup


# --- Creating and editing shifts --------------------------------------------------------------


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _check_times(starts_at, ends_at):
    if ends_at <= starts_at:
        raise ValidationError(_("Das Ende muss nach dem Beginn liegen."), code="order")


@transaction.atomic
def create_shift(*, opportunity, starts_at, ends_at, slots, note=""):
    """One shift on its own (no series)."""
    _check_times(starts_at, ends_at)
    return Shift.objects.create(
        opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, slots=slots, note=note
    )


def build_rrule(*, weekdays, interval=1, until=None):
    """The RRULE text of "every `interval` weeks on `weekdays` (0 = Monday)", until a date."""
    parts = ["FREQ=WEEKLY"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    parts.append("BYDAY=" + ",".join(RRULE_DAYS[day] for day in sorted(set(weekdays))))
    if until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def _with_until(rule, until):
    parts = [part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    if until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def _local_start(series):
    return timezone.localtime(series.starts_at).replace(tzinfo=None)


def occurrences(series, *, after=None, before):
    """Start times (aware, local wall-clock time kept across daylight saving) of the series'
    dates after `after` (a date, exclusive) up to `before` (a datetime)."""
    start = _local_start(series)
    rule = rrulestr(series.rrule, dtstart=start)
    limit = timezone.localtime(before).replace(tzinfo=None)
    result = []
    for moment in rule.between(start, limit, inc=True):
        if after is not None and moment.date() <= after:
            continue
        result.append(timezone.make_aware(moment))
        if len(result) >= MAX_SERIES_SHIFTS:
            break
    return result


@transaction.atomic
def create_series(
    *,
    opportunity,
    first_day,
    time_from,
    time_until,
    slots,
    weekdays,
    interval=1,
    until=None,
    count=None,
    note="",
    now=None,
):
    """Recurring shifts: weekly on `weekdays`, every `interval` weeks, from `first_day` until a
    date, for `count` dates, or open-ended; materialised up to the horizon. Returns the series.
    Raises ValidationError when the rule yields no date."""
    starts_at = _aware(first_day, time_from)
    duration = _aware(first_day, time_until) - starts_at
    if duration <= datetime.timedelta(0):
        raise ValidationError(_("Das Ende muss nach dem Beginn liegen."), code="order")
    rule = build_rrule(weekdays=weekdays, interval=interval, until=until)
    series = ShiftSeries(
        opportunity=opportunity, rrule=rule, starts_at=starts_at, duration=duration, slots=slots
    )
    if count:
        dates = list(rrulestr(f"{rule};COUNT={count}", dtstart=_local_start(series)))
        if dates:
            series.rrule = _with_until(rule, dates[-1].date())
    series.save()
    created = extend_series(series, note=note, now=now)
    if not created:
        raise ValidationError(
            _("Diese Wiederholung ergibt keinen einzigen Termin. Bitte prüfen Sie die Angaben."),
            code="empty",
        )
    return series


def extend_series(series, *, note=None, now=None):
    """Create the series' shifts up to the horizon that do not exist yet; returns how many.
    Idempotent: dates that have a shift of the series (edited, moved or cancelled) are left
    alone, and nothing before the latest generated date is made again."""
    now = now or timezone.now()
    shifts = Shift.objects.filter(series=series)
    latest = shifts.filter(is_detached=False).aggregate(last=Max("starts_at"))["last"]
    latest = latest or shifts.aggregate(last=Max("starts_at"))["last"]
    after = timezone.localtime(latest).date() if latest else None
    taken = {
        timezone.localtime(value).date() for value in shifts.values_list("starts_at", flat=True)
    }
    if note is None:
        last = shifts.filter(is_detached=False).order_by("-starts_at").first()
        note = last.note if last else ""
    rows = [
        Shift(
            opportunity_id=series.opportunity_id,
            series=series,
            starts_at=moment,
            ends_at=moment + series.duration,
            slots=series.slots,
            note=note,
        )
        for moment in occurrences(series, after=after, before=now + HORIZON)
        if moment.date() not in taken and moment > now - datetime.timedelta(days=1)
    ]
    Shift.objects.bulk_create(rows)
    return len(rows)


def extend_all_series(now=None):
    """Top up every series whose dates reach beyond its last shift; returns shifts created."""
    now = now or timezone.now()
    total = 0
    for series in ShiftSeries.objects.select_related("opportunity").exclude(
        opportunity__status=Opportunity.Status.CLOSED
    ):
        with transaction.atomic():
            total += extend_series(series, now=now)
    return total


def _slots_error(shifts, slots):
    """A ValidationError if `slots` is less than any shift's confirmed sign-ups."""
    for shift in shifts:
        confirmed = _confirmed_count(shift)
        if slots < confirmed:
            return ValidationError(
                _(
                    "Am %(when)s sind schon %(count)d Personen eingetragen; weniger Plätze "
                    "gehen erst, wenn jemand absagt."
                )
                % {"when": _when(shift), "count": confirmed},
                code="slots_below_confirmed",
            )
    return None


@transaction.atomic
def edit_shift(*, shift, starts_at, ends_at, slots, note=""):
    """Change one shift alone: it is detached from its series, so that later "all following"
    edits leave it as it is. Fewer slots than confirmed sign-ups are refused (code
    "slots_below_confirmed"); more slots go to the waiting list at once."""
    _check_times(starts_at, ends_at)
    shift = _lock_shift(shift)
    error = _slots_error([shift], slots)
    if error:
        raise error
    moved = (shift.starts_at, shift.ends_at) != (starts_at, ends_at)
    shift.starts_at, shift.ends_at, shift.slots, shift.note = starts_at, ends_at, slots, note
    shift.is_detached = shift.series_id is not None
    shift.save(update_fields=["starts_at", "ends_at", "slots", "note", "is_detached"])
    promoted = _promote(shift, timezone.now())
    if moved:
        _tell_about_the_change(shift, promoted)
    return shift


def _tell_about_the_change(shift, promoted):
    """Everyone signed up or waiting hears of a new time (the newly promoted have just had
    their own e-mail)."""
    skip = {signup.pk for signup in promoted}
    for signup in ShiftSignup.objects.filter(shift=shift, status__in=ACTIVE).exclude(pk__in=skip):
        _send_on_commit(signup, Mail.CHANGED)


@transaction.atomic
def edit_following(*, shift, time_from, time_until, slots, note=""):
    """Change this shift and every later one of its series (time of day, slots, note); shifts
    edited alone keep their edits. The series is split here, so that the shifts made later
    follow the new values. Returns the shifts changed. Refuses fewer slots than any of them
    has confirmed sign-ups (code "slots_below_confirmed"), changing nothing."""
    if shift.series_id is None:
        day = timezone.localtime(shift.starts_at).date()
        return [
            edit_shift(
                shift=shift,
                starts_at=_aware(day, time_from),
                ends_at=_aware(day, time_until),
                slots=slots,
                note=note,
            )
        ]
    old_series = ShiftSeries.objects.select_for_update().get(pk=shift.series_id)
    day = timezone.localtime(shift.starts_at).date()
    duration = _aware(day, time_until) - _aware(day, time_from)
    if duration <= datetime.timedelta(0):
        raise ValidationError(_("Das Ende muss nach dem Beginn liegen."), code="order")
    following = list(
        Shift.objects.filter(series=old_series, starts_at__gte=shift.starts_at)
        .filter(Q(is_detached=False) | Q(pk=shift.pk))
        .order_by("starts_at", "pk")
    )
    locked = [lock_object(item) for item in following]
    error = _slots_error(locked, slots)
    if error:
        raise error
    # A new series from this date on; the old one ends the day before.
    new_series = ShiftSeries.objects.create(
        opportunity_id=old_series.opportunity_id,
        rrule=old_series.rrule,
        starts_at=_aware(day, time_from),
        duration=duration,
        slots=slots,
    )
    earlier = Shift.objects.filter(series=old_series, starts_at__lt=shift.starts_at).exists()
    if earlier:
        old_series.rrule = _with_until(old_series.rrule, day - datetime.timedelta(days=1))
        old_series.save(update_fields=["rrule"])
    later_detached = Shift.objects.filter(
        series=old_series, starts_at__gte=shift.starts_at, is_detached=True
    ).exclude(pk=shift.pk)
    later_detached.update(series=new_series)
    now = timezone.now()
    for item in locked:
        item_day = timezone.localtime(item.starts_at).date()
        before = (item.starts_at, item.ends_at)
        item.starts_at = _aware(item_day, time_from)
        item.ends_at = item.starts_at + duration
        item.slots, item.note, item.series, item.is_detached = slots, note, new_series, False
        item.save(update_fields=["starts_at", "ends_at", "slots", "note", "series", "is_detached"])
        promoted = _promote(item, now)
        if before != (item.starts_at, item.ends_at):
            _tell_about_the_change(item, promoted)
    if not earlier:
        old_series.delete()
    return locked


@transaction.atomic
def cancel_shift(*, shift):
    """Call a shift off: everyone signed up or waiting is told by e-mail. Twice changes
    nothing."""
    shift = _lock_shift(shift)
    if shift.is_cancelled:
        return shift
    shift.is_cancelled = True
    shift.save(update_fields=["is_cancelled"])
    for signup in ShiftSignup.objects.filter(shift=shift, status__in=ACTIVE):
        _send_on_commit(signup, Mail.SHIFT_CANCELLED)
    return shift


# --- Reminders --------------------------------------------------------------------------------


def send_due_reminders(now=None):
    """Remind confirmed volunteers the day before: once each (claimed by `reminder_sent_at`
    in a conditional update before the e-mail is enqueued, so running the command often or on
    several machines at once sends none twice). Returns the number enqueued."""
    now = now or timezone.now()
    due = ShiftSignup.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        shift__is_cancelled=False,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + REMINDER_WINDOW,
    ).exclude(volunteer__email="")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = ShiftSignup.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                enqueue_on_commit(SEND_SHIFT_EMAIL, signup_id=pk, mail=Mail.REMINDER)
                sent += 1
    return sent


# --- Reads for the pages, feeds and e-mails ---------------------------------------------------


def open_shifts_for(volunteers, now=None):
    """Upcoming, not cancelled shifts of the records' shelters' opportunities, which they may
    take part in, soonest first."""
    now = now or timezone.now()
    shelter_ids = {volunteer.shelter_id for volunteer in volunteers}
    return (
        Shift.objects.upcoming(now)
        .filter(
            starts_at__gt=now,
            opportunity__shelter_id__in=shelter_ids,
            opportunity__status__in=TAKING_PART,
        )
        .select_related("opportunity", "opportunity__shelter", "opportunity__district")
        .order_by("starts_at", "pk")
    )


def signups_of(volunteers, now=None):
    """The records' upcoming sign-ups (confirmed, waiting, or of a cancelled shift)."""
    now = now or timezone.now()
    return (
        ShiftSignup.objects.filter(
            volunteer__in=volunteers, status__in=ACTIVE, shift__ends_at__gte=now
        )
        .select_related("shift", "shift__opportunity", "shift__opportunity__shelter")
        .select_related("shift__opportunity__district", "volunteer")
        .order_by("shift__starts_at", "pk")
    )


def feed_signups(volunteer, now=None):
    """What her iCal feed shows: sign-ups of the last 60 days and ahead, cancelled ones too
    (so that calendars remove them)."""
    now = now or timezone.now()
    return (
        ShiftSignup.objects.filter(
            volunteer=volunteer, shift__ends_at__gte=now - datetime.timedelta(days=60)
        )
        .select_related("shift", "shift__opportunity", "shift__opportunity__shelter")
        .select_related("shift__opportunity__district")
        .order_by("shift__starts_at", "pk")
    )


def open_this_week(user, now=None):
    """For a coordinator's start page: her shelters' shifts of the coming 7 days that still
    have free slots, soonest first."""
    now = now or timezone.now()
    return (
        Shift.objects.managed_by(user)
        .upcoming(now)
        .filter(starts_at__lte=now + datetime.timedelta(days=7), confirmed_count__lt=F("slots"))
        .select_related("opportunity")
        .order_by("starts_at", "pk")
    )


def next_shifts_of(user, now=None):
    """For a volunteer's start page: her coming confirmed or waiting sign-ups, in every
    shelter she engages with."""
    return signups_of(Volunteer.objects.of(user), now).filter(shift__is_cancelled=False)


def waitlist_position(signup):
    if signup.status != Status.WAITLISTED:
        return None
    return (
        ShiftSignup.objects.filter(shift_id=signup.shift_id, status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=signup.waitlisted_at)
            | Q(waitlisted_at=signup.waitlisted_at, pk__lt=signup.pk)
        )
        .count()
        + 1
    )


def place_of(shift):
    """Where the shift takes place, as far as a volunteer's e-mail or feed may say: the
    shelter's address only where BfE marked it public, else its district."""
    shelter = shift.opportunity.shelter
    if shelter.address_public:
        return f"{shelter.name}, {shelter.street}, {shelter.postcode} {shelter.city}"
    return _("Bezirk %(district)s (die genaue Adresse erfahren Sie von der Koordination)") % {
        "district": shift.opportunity.district.name
    }


def touch(volunteer):
    """Her record was active now (retention counts from the last activity)."""
    Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=timezone.now())
