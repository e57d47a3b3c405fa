"""A volunteer's own privacy rights over her records in every shelter: erasure (Art. 17 DSGVO)
and the withdrawal of her consent to the processing (Art. 7 Abs. 3).

Her records are those linked to her account and those with one of her confirmed addresses that
no other account holds (the same rule by which her pages find them). Both services end her
places in shifts still to come, so that nobody waits for her and the waiting list moves up, and
tell the coordinators of each shelter concerned by e-mail, after the commit, without her name:
erased records are gone, and a withdrawal shows in the shelter's own list.
"""

import functools
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bfe.accounts import selectors as account_selectors
from bfe.core.locking import lock_object
from bfe.core.queue import enqueue_on_commit
from bfe.places.models import CoordinatorPosition

from ..models import (
    Application,
    Attestation,
    ConsentRecord,
    Shift,
    ShiftSignup,
    Volunteer,
    VolunteerProfile,
)
from . import pipeline, records

SEND_PRIVACY_NOTICE = "bfe.volunteering.tasks.privacy.send_privacy_notice"
ERASED = "erased"
CONSENT_WITHDRAWN = "consent_withdrawn"
# What a record ended by a withdrawal says in the shelter's pipeline.
WITHDRAWAL_NOTE = "Einwilligung widerrufen"


def _address_q(user, field="email"):
    q = Q(pk__in=[])
    for address in account_selectors.verified_addresses(user):
        q |= Q(**{f"{field}__iexact": address})
    return q


def records_of(user):
    """Her records in every shelter: linked to her account, or unlinked with one of her
    confirmed addresses. Never a record that another account holds."""
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(Q(user=user) | (Q(user__isnull=True) & _address_q(user)))


def applications_of(user):
    """Her applications: by account, by a confirmed address (unlinked), or on her records."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(user=user)
        | (Q(user__isnull=True) & _address_q(user))
        | Q(volunteer__in=records_of(user).values("pk"))
    )


def consents_of(user):
    """Every consent she gave or withdrew: on her records, her applications or her account."""
    if not user.is_authenticated:
        return ConsentRecord.objects.none()
    return ConsentRecord.objects.filter(
        Q(user=user)
        | Q(volunteer__in=records_of(user).values("pk"))
        | Q(application__in=applications_of(user).values("pk"))
    )


@functools.cache
def _shift_services():
    """The shifts part's services where they exist (they promote the waiting list)."""
    name = f"{__package__}.shifts"
    return import_module(name) if find_spec(name) else None


def _release_places(volunteer, now):
    """Cancel her places in shifts still to come; a freed slot goes to the waiting list."""
    released = 0
    signups = ShiftSignup.objects.filter(
        volunteer=volunteer,
        status__in=[ShiftSignup.Status.CONFIRMED, ShiftSignup.Status.WAITLISTED],
        shift__starts_at__gt=now,
    ).select_related("shift")
    for signup in signups:
        shifts = _shift_services()
        if shifts is not None and hasattr(shifts, "cancel"):
            shifts.cancel(signup=signup)
        else:
            # Without the shifts part: the same lock, and the displayed count kept right.
            shift = lock_object(signup.shift)
            ShiftSignup.objects.filter(pk=signup.pk).update(
                status=ShiftSignup.Status.CANCELLED, cancelled_at=now
            )
            confirmed = ShiftSignup.objects.filter(
                shift=shift, status=ShiftSignup.Status.CONFIRMED
            ).count()
            Shift.objects.filter(pk=shift.pk).update(confirmed_count=confirmed)
        released += 1
    return released


def _tell_coordinators(shelter_ids, kind, *, person):
    """One e-mail per current coordinator of each shelter, after the commit; never to the
    person herself (a coordinator may volunteer elsewhere)."""
    positions = CoordinatorPosition.objects.current().filter(
        shelter_id__in=shelter_ids, person__isnull=False, person__is_active=True
    )
    if person is not None:
        positions = positions.exclude(person_id=person.pk)
    positions = positions.values_list("person_id", "shelter_id").distinct()
    for person_id, shelter_id in sorted(set(positions)):
        enqueue_on_commit(SEND_PRIVACY_NOTICE, user_id=person_id, shelter_id=shelter_id, kind=kind)


@transaction.atomic
def erase_person(*, user):
    """Delete her records (through records.delete_volunteer, so the shelters' counts stay
    exact), applications, consents and profile. An Ehrenamtsnachweis already issued stays
    verifiable: it keeps the name and hours it certified and loses the link to her record.
    Returns the counts; the coordinators are told after the commit."""
    now = timezone.now()
    own = list(records_of(user).select_for_update().order_by("pk"))
    counts = {
        "records": len(own),
        "shift_places_released": sum(_release_places(volunteer, now) for volunteer in own),
        "attestations_kept": Attestation.objects.filter(volunteer__in=own).count(),
    }
    # Applications and consents on her records go with them; the rest here.
    applications = list(
        applications_of(user).exclude(volunteer__in=own).values_list("pk", flat=True)
    )
    consents = consents_of(user).exclude(volunteer__in=own)
    counts["consents"] = consents.filter(application__isnull=True).delete()[0]
    for volunteer in own:
        records.delete_volunteer(volunteer)
    counts["applications"] = Application.objects.filter(pk__in=applications).delete()[0]
    counts["profile"] = VolunteerProfile.objects.filter(user=user).delete()[0]
    _tell_coordinators({volunteer.shelter_id for volunteer in own}, ERASED, person=user)
    return counts


def _last_version(consents, volunteer_id=None):
    rows = [
        c
        for c in consents
        if c.kind == ConsentRecord.Kind.PROCESSING
        and (volunteer_id is None or c.volunteer_id == volunteer_id)
    ]
    given = [c for c in rows if c.given]
    return (given or rows)[-1].version if rows else ""


@transaction.atomic
def withdraw_processing_consent(*, user):
    """She withdraws her consent to the processing of her volunteering data: every record not
    yet ended is ended (reason "other", noted as a withdrawal, through the pipeline's
    change_stage: counted, logged), her places in shifts still to come are released, her open
    applications withdrawn, and the withdrawal is recorded per record (ConsentRecord, given
    False, with the version she had agreed to). Nothing is deleted: the hours and any
    Ehrenamtsnachweis stay hers until she deletes her data or the retention period ends.
    Returns the number of records ended; withdrawing twice changes nothing."""
    now = timezone.now()
    consents = list(consents_of(user).order_by("recorded_at", "pk"))
    open_records = list(
        records_of(user).select_for_update().exclude(stage=Volunteer.Stage.ENDED).order_by("pk")
    )
    for volunteer in open_records:
        _release_places(volunteer, now)
        # The pipeline's own stage change: figures, timestamps and the access log (by her).
        pipeline.change_stage(
            volunteer=volunteer,
            stage=Volunteer.Stage.ENDED,
            actor=user,
            end_reason=Volunteer.EndReason.OTHER,
            end_note=WITHDRAWAL_NOTE,
        )
    applications = applications_of(user).filter(
        status__in=[Application.Status.UNCONFIRMED, Application.Status.CONFIRMED]
    )
    withdrawn_applications = applications.update(status=Application.Status.WITHDRAWN)
    still_given = consent_is_given(consents)
    if open_records or withdrawn_applications or still_given:
        for volunteer in open_records or [None]:
            ConsentRecord.objects.create(
                volunteer=volunteer,
                user=user,
                kind=ConsentRecord.Kind.PROCESSING,
                version=_last_version(consents, volunteer.pk if volunteer else None),
                given=False,
                recorded_at=now,
                recorded_by=user,
            )
    _tell_coordinators(
        {volunteer.shelter_id for volunteer in open_records}, CONSENT_WITHDRAWN, person=user
    )
    return len(open_records)


def consent_is_given(consents):
    """Whether the latest processing consent among these rows is a given one."""
    rows = [c for c in consents if c.kind == ConsentRecord.Kind.PROCESSING]
    return bool(rows) and rows[-1].given


@transaction.atomic
def erase_record(*, volunteer):
    """Delete one record on its personal link (a person without an account): the record with
    everything on it, and her unlinked applications with its address at its shelter. The
    shelter's coordinators are told after the commit. Returns the counts."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    now = timezone.now()
    counts = {
        "records": 1,
        "shift_places_released": _release_places(volunteer, now),
        "attestations_kept": Attestation.objects.filter(volunteer=volunteer).count(),
    }
    applications = Application.objects.filter(
        user__isnull=True, volunteer__isnull=True, opportunity__shelter_id=volunteer.shelter_id
    )
    if volunteer.email:
        counts["applications"] = applications.filter(email__iexact=volunteer.email).delete()[0]
    records.delete_volunteer(volunteer)
    _tell_coordinators({volunteer.shelter_id}, ERASED, person=volunteer.user)
    return counts
