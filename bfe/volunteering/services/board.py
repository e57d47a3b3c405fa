"""Opportunities a coordinator publishes, and "Ich möchte helfen": the application without an
account, valid once its address is confirmed (double opt-in).

Every write here is one transaction; e-mails go out through tasks once it commits.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.core import fragments
from bfe.core.queue import enqueue_on_commit

from ..models import (
    WEEKDAY_BITS,
    Application,
    ConsentRecord,
    MessageTemplate,
    Opportunity,
    OpportunityLanguage,
    Volunteer,
    weekdays_to_mask,
)
from . import links, pipeline_messages, records

# The version of the consent text shown with the application form
# (templates/volunteering/board/_consent_text.html). Change both together.
CONSENT_VERSION = "2026-12"

TASKS = "bfe.volunteering.tasks.board"
EDITABLE_FIELDS = [
    "title",
    "description",
    "area",
    "schedule",
    "date",
    "time_from",
    "time_until",
    "min_age",
    "needs_clearance",
    "volunteers_wanted",
]


def public_position(shelter):
    """(district_id, latitude, longitude) where the board places the shelter's opportunities:
    the shelter itself only where BfE marked its address public, else its district's centre."""
    if shelter.address_public and shelter.latitude is not None and shelter.longitude is not None:
        return shelter.district_id, shelter.latitude, shelter.longitude
    district = shelter.district
    return district.pk, district.latitude, district.longitude


def refresh_public_position(*, shelter):
    """Move the shelter's opportunities to where the public may now see them, after its
    address, district or consent to a public address changed (call it from there: a shelter
    that withdrew its consent must not stay findable by distance). Returns the rows moved."""
    district_id, latitude, longitude = public_position(shelter)
    moved = (
        Opportunity.objects.filter(shelter=shelter)
        .exclude(district_id=district_id, public_latitude=latitude, public_longitude=longitude)
        .update(
            district_id=district_id,
            public_latitude=latitude,
            public_longitude=longitude,
            updated_at=timezone.now(),
        )
    )
    if moved:
        fragments.bump("volunteering")  # update() sends no signals
    return moved


def _weekday_mask(*, schedule, weekdays, date):
    # A one-off date counts as its weekday, so that the board's weekday filter finds it.
    if schedule == Opportunity.Schedule.ONE_OFF:
        return WEEKDAY_BITS[date.weekday()] if date else 0
    return weekdays_to_mask(weekdays or [])


def _check(fields):
    if fields.get("schedule") == Opportunity.Schedule.ONE_OFF and not fields.get("date"):
        raise ValidationError({"date": _("Ein einmaliges Angebot braucht ein Datum.")})
    start, end = fields.get("time_from"), fields.get("time_until")
    if start and end and end <= start:
        raise ValidationError({"time_until": _("Das Ende muss nach dem Beginn liegen.")})


def _set_languages(opportunity, languages):
    wanted = set(languages or [])
    existing = set(opportunity.languages.values_list("language", flat=True))
    opportunity.languages.filter(language__in=existing - wanted).delete()
    OpportunityLanguage.objects.bulk_create(
        [
            OpportunityLanguage(opportunity=opportunity, language=code)
            for code in sorted(wanted - existing)
        ]
    )


def create_opportunity(
    *, shelter, by, weekdays=(), languages=(), status=Opportunity.Status.DRAFT, **fields
):
    """A new opportunity of the shelter (a draft unless `status` says open), placed where the
    public may see it (see `public_position`)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _check(fields)
    district_id, latitude, longitude = public_position(shelter)
    with transaction.atomic():
        opportunity = Opportunity.objects.create(
            shelter=shelter,
            district_id=district_id,
            public_latitude=latitude,
            public_longitude=longitude,
            created_by=by,
            weekdays=_weekday_mask(
                schedule=fields.get("schedule", Opportunity.Schedule.REGULAR),
                weekdays=weekdays,
                date=fields.get("date"),
            ),
            status=Opportunity.Status.DRAFT,
            **fields,
        )
        _set_languages(opportunity, languages)
        records.opportunity_status_changed(
            shelter_id=shelter.pk, old_status=None, new_status=Opportunity.Status.DRAFT
        )
        if status != Opportunity.Status.DRAFT:
            set_status(opportunity=opportunity, status=status, by=by)
    return opportunity


def update_opportunity(*, opportunity, by, weekdays=(), languages=(), **fields):
    """Change what an opportunity says; its public position follows the shelter's current
    address and consent."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    merged = {name: getattr(opportunity, name) for name in EDITABLE_FIELDS} | fields
    _check(merged)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(opportunity, name, value)
        opportunity.weekdays = _weekday_mask(
            schedule=merged["schedule"], weekdays=weekdays, date=merged["date"]
        )
        if opportunity.schedule == Opportunity.Schedule.REGULAR:
            opportunity.date = None
        district_id, latitude, longitude = public_position(opportunity.shelter)
        opportunity.district_id = district_id
        opportunity.public_latitude, opportunity.public_longitude = latitude, longitude
        opportunity.save()
        _set_languages(opportunity, languages)
    return opportunity


def set_status(*, opportunity, status, by):
    """Move an opportunity to `status` (draft, open, filled, paused, closed). The first
    opening publishes it (`published_at`); the shelter's count of open ones follows."""
    status = Opportunity.Status(status)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        old_status = locked.status
        if old_status == status:
            return opportunity
        locked.status = status
        fields = ["status", "updated_at"]
        if status == Opportunity.Status.OPEN and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        records.opportunity_status_changed(
            shelter_id=locked.shelter_id, old_status=old_status, new_status=status
        )
    opportunity.status, opportunity.published_at = locked.status, locked.published_at
    return opportunity


# --- Applications ----------------------------------------------------------------------------


def apply(
    *, opportunity, full_name, email, phone="", languages=(), message="", language="de", user=None
):
    """Store an application as unconfirmed and send the confirmation link to its address.
    Only open opportunities take applications. A signed-in person applying with her own
    address gets the application (and, once confirmed, the shelter's record) linked to her
    account."""
    if opportunity.status != Opportunity.Status.OPEN:
        raise ValidationError(_("Dieses Angebot nimmt gerade keine Bewerbungen an."))
    with transaction.atomic():
        application = Application.objects.create(
            opportunity=opportunity,
            full_name=full_name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            languages=list(languages),
            message=message.strip(),
            language=language,
            link_salt=links.new_salt(),
            consent_version=CONSENT_VERSION,
            user=user if _owns_address(user, email) else None,
        )
        enqueue_on_commit(f"{TASKS}.send_application_confirmation", application_id=application.pk)
    return application


def _owns_address(user, email):
    return bool(
        user is not None
        and user.is_authenticated
        and user.email.strip().lower() == email.strip().lower()
    )


def confirmation_expires_at(application):
    return application.created_at + datetime.timedelta(
        hours=settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS
    )


def is_expired(application, now=None):
    """An unconfirmed application whose link is older than the confirmation window."""
    if application.status == Application.Status.EXPIRED:
        return True
    return application.status == Application.Status.UNCONFIRMED and confirmation_expires_at(
        application
    ) < (now or timezone.now())


def confirm_application(*, application):
    """Confirm the address (the button behind the e-mailed link): the shelter's record of the
    person is found or made (source: application), the consent is recorded with the version
    she saw, the coordinators are told and she is thanked. Confirming twice changes nothing.
    Returns (application, newly_confirmed)."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("opportunity__shelter")
            .get(pk=application.pk)
        )
        if locked.status == Application.Status.CONFIRMED:
            return locked, False
        if is_expired(locked):
            raise ValidationError(_("Der Bestätigungslink ist abgelaufen."))
        if locked.status != Application.Status.UNCONFIRMED:
            raise ValidationError(_("Diese Bewerbung ist nicht mehr offen."))
        volunteer, _created = records.find_or_create_volunteer(
            shelter=locked.opportunity.shelter,
            full_name=locked.full_name,
            email=locked.email,
            source=Volunteer.Source.APPLICATION,
            phone=locked.phone,
            languages=locked.languages,
            language=locked.language,
            user=locked.user,
        )
        locked.status = Application.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.volunteer = volunteer
        locked.save(update_fields=["status", "confirmed_at", "volunteer"])
        ConsentRecord.objects.create(
            volunteer=volunteer,
            application=locked,
            kind=ConsentRecord.Kind.PROCESSING,
            version=locked.consent_version,
            given=True,
        )
        enqueue_on_commit(f"{TASKS}.notify_coordinators", application_id=locked.pk)
        # The thanks come from the shelter's own template, logged on the person like every
        # message the coordinator sends.
        pipeline_messages.send_template_message(
            volunteer=volunteer, kind=MessageTemplate.Kind.APPLICATION_THANKS
        )
    return locked, True
