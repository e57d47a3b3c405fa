"""Every change of training enrolments and certificates goes through these functions.

Seats of a series are counted under a lock on the series' row (`bfe.core.locking`), in the
same transaction that writes the enrolment, so a series is never overbooked whatever the number
of simultaneous requests and app servers. A confirmed enrolment reserves the person's seat at
every module event of the series: module events have as many seats as their series, and the
enrolled people get confirmed registrations there without the per-event capacity check.

Lock order, for anyone adding locks: the series row first, then enrolments, then registrations.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bfe.accounts.emails import absolute_url
from bfe.accounts.models import Roles
from bfe.core.locking import lock_object, lock_objects
from bfe.core.mail import deliver

from .. import ical
from ..models import Certificate, Enrolment, Event, Registration
from ..selectors.training import enrolment_state, progress, took_part, waitlist_position

# Verification codes: no 0/O and 1/I, which people misread when typing a code from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


# --- Enrolment --------------------------------------------------------------------------------


def _locked_series(series):
    """The series' row, locked until the transaction ends; LockTimeout if not granted in time."""
    return lock_object(series)


def _confirmed_count(series):
    return Enrolment.objects.filter(series=series, status=Enrolment.Status.CONFIRMED).count()


def _future_module_events(series, now):
    return Event.objects.filter(
        training_series=series, kind=Event.Kind.TRAINING_MODULE, starts_at__gt=now
    ).exclude(status=Event.Status.CANCELLED)


def _check_enrolment_open(series, now):
    state = enrolment_state(series, now)
    if state == "upcoming":
        opens = formats.date_format(
            timezone.localtime(series.enrolment_opens_at), "SHORT_DATETIME_FORMAT"
        )
        raise ValidationError(
            _("Die Anmeldung ist ab %(opens)s möglich.") % {"opens": opens}, code="not_yet_open"
        )
    if state == "closed":
        raise ValidationError(
            _("Die Anmeldung für diese Fortbildungsreihe ist geschlossen."), code="closed"
        )


def _confirm_registrations(*, event_ids, person_ids, now):
    """Confirmed registrations of these people at these events: created, or re-activated
    where someone had cancelled or was waiting there. No per-event capacity check: the
    seats are the series'."""
    Registration.objects.bulk_create(
        [
            Registration(
                event_id=event_id,
                person_id=person_id,
                status=Registration.Status.CONFIRMED,
                confirmed_at=now,
            )
            for event_id in event_ids
            for person_id in person_ids
        ],
        ignore_conflicts=True,
    )
    Registration.objects.filter(event_id__in=event_ids, person_id__in=person_ids).exclude(
        status=Registration.Status.CONFIRMED
    ).update(
        status=Registration.Status.CONFIRMED,
        confirmed_at=now,
        waitlisted_at=None,
        cancelled_at=None,
    )


def _reserve_module_seats(enrolment, now):
    """The person's seat at every module event of the series still to come."""
    _confirm_registrations(
        event_ids=list(
            _future_module_events(enrolment.series_id, now).values_list("pk", flat=True)
        ),
        person_ids=[enrolment.person_id],
        now=now,
    )


def _release_module_seats(enrolment, now):
    """Cancels the person's registrations at the series' module events still to come; past
    ones stay, with their attendance."""
    Registration.objects.filter(
        person_id=enrolment.person_id,
        event__in=_future_module_events(enrolment.series_id, now),
    ).exclude(status=Registration.Status.CANCELLED).update(
        status=Registration.Status.CANCELLED, cancelled_at=now
    )


def _send_on_commit(enrolment, kind):
    pk = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_email.enqueue(enrolment_id=pk, kind=kind))


@transaction.atomic
def enrol(*, series, person):
    """Enrol a coordinator in a whole training series, or put her on its waiting list.

    Only coordinators, only while enrolment is open (opening and closing instant included)
    and only for a published series; otherwise PermissionDenied or ValidationError (codes
    "not_yet_open", "closed"). Seats are counted under a lock on the series' row: the person
    is confirmed while seats are free, else waitlisted behind everyone already waiting. A
    confirmed enrolment reserves her seat at every module event still to come. A cancelled
    enrolment is re-activated; an active one is returned unchanged, so double clicks create
    nothing twice. An e-mail (confirmation or waiting-list place) goes out after commit.
    """
    if not Roles.of(person).is_coordinator:
        raise PermissionDenied
    series = _locked_series(series)
    # Read the clock under the lock, so the waiting list's order is the order of decisions.
    now = timezone.now()
    enrolment = Enrolment.objects.filter(series=series, person=person).first()
    if enrolment and enrolment.status != Enrolment.Status.CANCELLED:
        return enrolment
    _check_enrolment_open(series, now)
    confirmed = _confirmed_count(series) < series.seats
    status = Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITLISTED
    waitlisted_at = None if confirmed else now
    if enrolment:
        enrolment.status, enrolment.waitlisted_at = status, waitlisted_at
        enrolment.cancelled_at = None
        enrolment.save(update_fields=["status", "waitlisted_at", "cancelled_at"])
    else:
        try:
            # Everyone writing enrolments holds the series lock; the savepoint is a safety net.
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    series=series, person=person, status=status, waitlisted_at=waitlisted_at
                )
        except IntegrityError:
            return Enrolment.objects.get(series=series, person=person)
    if confirmed:
        _reserve_module_seats(enrolment, now)
    _send_on_commit(enrolment, "confirmed" if confirmed else "waitlisted")
    return enrolment


def _promote(series, now):
    """Confirms waitlisted enrolments, first come first served, while seats are free; the
    caller holds the series lock."""
    if not series_has_modules_ahead(series, now):
        return []
    free = series.seats - _confirmed_count(series)
    if free <= 0:
        return []
    first_waiting = Enrolment.objects.filter(
        series=series, status=Enrolment.Status.WAITLISTED
    ).order_by("waitlisted_at", "pk")[:free]
    # Under the series lock nobody else changes its waiting list; locked in pk order all the same.
    promoted = lock_objects(first_waiting)
    for enrolment in promoted:
        enrolment.status, enrolment.waitlisted_at = Enrolment.Status.CONFIRMED, None
        enrolment.save(update_fields=["status", "waitlisted_at"])
        _reserve_module_seats(enrolment, now)
        _send_on_commit(enrolment, "promoted")
    return promoted


def series_has_modules_ahead(series, now):
    """False once every module event of the series has begun: a seat is of no use then."""
    events = Event.objects.filter(training_series=series, kind=Event.Kind.TRAINING_MODULE)
    return not events.exists() or _future_module_events(series, now).exists()


@transaction.atomic
def promote_from_waitlist(*, series):
    """Fill free seats of a series from its waiting list (e.g. after seats were added);
    returns the promoted enrolments, each of whom is told by e-mail."""
    return _promote(_locked_series(series), timezone.now())


@transaction.atomic
def withdraw(*, enrolment, by):
    """Cancel an enrolment (by its person or BfE staff) and her registrations at the series'
    module events still to come. A freed seat goes to the first person on the waiting list,
    who gets her module registrations and an e-mail. Withdrawing twice changes nothing."""
    if by.pk != enrolment.person_id and not Roles.of(by).is_bfe_staff:
        raise PermissionDenied
    series = _locked_series(enrolment.series)
    now = timezone.now()
    enrolment = lock_object(enrolment)
    if enrolment.status == Enrolment.Status.CANCELLED:
        return enrolment
    was_confirmed = enrolment.status == Enrolment.Status.CONFIRMED
    enrolment.status, enrolment.cancelled_at = Enrolment.Status.CANCELLED, now
    enrolment.save(update_fields=["status", "cancelled_at"])
    _release_module_seats(enrolment, now)
    if was_confirmed:
        _promote(series, now)
    return enrolment


@transaction.atomic
def register_enrolled_people(*, event):
    """Reserve seats at a module event added to a series after people enrolled: every
    confirmed enrolee gets a confirmed registration there (for the organisers' event form).
    Returns the number of enrolees."""
    if event.kind != Event.Kind.TRAINING_MODULE or not event.training_series_id:
        return 0
    _locked_series(event.training_series)
    people = list(
        Enrolment.objects.filter(
            series_id=event.training_series_id, status=Enrolment.Status.CONFIRMED
        ).values_list("person_id", flat=True)
    )
    _confirm_registrations(event_ids=[event.pk], person_ids=people, now=timezone.now())
    return len(people)


# --- Certificates -----------------------------------------------------------------------------


def new_verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def issue_certificate(*, person, series):
    """Issue the Teilnahmebescheinigung of a series to a person who took part in it and has
    met its completion rule (modules attended in any year count); ValidationError otherwise
    (codes "incomplete", "not_participant"). One per person and series: asking again returns
    the certificate already issued. The name and hours printed on it are fixed at issuing."""
    existing = Certificate.objects.filter(person=person, series=series).first()
    if existing:
        return existing
    level_progress = progress(person, series.level, series=series)
    if not level_progress.is_complete:
        raise ValidationError(
            _(
                "Für die Bescheinigung fehlen noch Module: %(attended)s von %(total)s besucht, "
                "nötig sind %(required)s %%."
            )
            % {
                "attended": level_progress.attended_count,
                "total": level_progress.total,
                "required": level_progress.required_percent,
            },
            code="incomplete",
        )
    if not took_part(person, series):
        raise ValidationError(
            _("%(name)s hat nicht an dieser Fortbildungsreihe teilgenommen.")
            % {"name": person.get_full_name()},
            code="not_participant",
        )
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    person=person,
                    series=series,
                    holder_name=person.get_full_name(),
                    verification_code=new_verification_code(),
                    hours=level_progress.hours,
                )
        except IntegrityError:
            # Issued meanwhile by a second request, or (rarely) the code was taken: retry.
            existing = Certificate.objects.filter(person=person, series=series).first()
            if existing:
                return existing
    raise RuntimeError("No free verification code after 10 attempts.")


# --- E-mails ----------------------------------------------------------------------------------

EMAIL_STATUS = {
    "confirmed": Enrolment.Status.CONFIRMED,
    "promoted": Enrolment.Status.CONFIRMED,
    "waitlisted": Enrolment.Status.WAITLISTED,
}


def enrolment_message(enrolment, kind):
    """The e-mail about an enrolment (`kind`: confirmed, waitlisted, promoted), in the
    recipient's language; confirmations carry the module dates as an .ics attachment."""
    person, series = enrolment.person, enrolment.series
    now = timezone.now()
    events = list(_future_module_events(series, now).select_related("module").order_by("starts_at"))
    with translation.override(person.language):
        context = {
            "person": person,
            "series": series,
            "kind": kind,
            "events": events,
            "position": waitlist_position(enrolment) if kind == "waitlisted" else None,
            "series_url": absolute_url(series.get_absolute_url()),
            "list_url": absolute_url(reverse("events:training_list")),
        }
        subject = render_to_string("email/training_enrolment_subject.txt", context)
        text = render_to_string("email/training_enrolment.txt", context)
        html = render_to_string("email/training_enrolment.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[person.email],
    )
    message.attach_alternative(html, "text/html")
    if kind != "waitlisted" and events:
        calendar = ical.calendar(events, name=series.title)
        message.attach("fortbildung.ics", ical.to_bytes(calendar), "text/calendar")
    return message


@task()
def send_enrolment_email(*, enrolment_id, kind, attempt=1):
    """E-mail the person about her enrolment, unless it has changed meanwhile (a later change
    sends its own e-mail) or her account is inactive. A failed delivery is retried later."""
    enrolment = Enrolment.objects.select_related("series", "person").filter(pk=enrolment_id).first()
    if enrolment is None or enrolment.status != EMAIL_STATUS[kind]:
        return False
    if not enrolment.person.is_active:
        return False
    return deliver(
        enrolment_message(enrolment, kind),
        retry_task=send_enrolment_email,
        attempt=attempt,
        enrolment_id=enrolment_id,
        kind=kind,
    )
