"""A volunteer with an account and records in two shelters, with something of every kind on
them: what the privacy tests export and erase."""

import datetime
from decimal import Decimal

from django.utils import timezone

from bfe.volunteering.models import (
    AccessLog,
    Attestation,
    ChecklistEntry,
    ChecklistItem,
    Clearance,
    ConsentRecord,
    HoursEntry,
    Message,
    Note,
    VolunteerProfile,
)
from bfe.volunteering.services import records

from .factories import ApplicationFactory, OpportunityFactory, ShiftFactory, ShiftSignupFactory


def record_for(user, shelter, *, full_name="Mira Sommer", stage="active", **fields):
    """Her record at the shelter, made through the record service (so the figures count it)."""
    volunteer, _created = records.find_or_create_volunteer(
        shelter=shelter,
        full_name=full_name,
        email=user.email if user else fields.pop("email"),
        source="application",
        user=user,
    )
    if stage != volunteer.stage:
        records.stage_changed(shelter_id=shelter.pk, old_stage=volunteer.stage, new_stage=stage)
        volunteer.stage = stage
        volunteer.save(update_fields=["stage"])
    return volunteer


def fill(volunteer, *, coordinator, consent_version="2026-12"):
    """Everything a record can carry: application and consent, a note, a message, a step of
    the checklist, a clearance, a shift place, hours, an attestation and two accesses."""
    opportunity = OpportunityFactory(shelter=volunteer.shelter, title="Hausaufgabenhilfe")
    application = ApplicationFactory(
        opportunity=opportunity,
        volunteer=volunteer,
        user=volunteer.user,
        full_name=volunteer.full_name,
        email=volunteer.email,
        status="confirmed",
        consent_version=consent_version,
    )
    ConsentRecord.objects.create(
        volunteer=volunteer,
        application=application,
        user=volunteer.user,
        kind=ConsentRecord.Kind.PROCESSING,
        version=consent_version,
    )
    Note.objects.create(volunteer=volunteer, author=coordinator, text="Spricht Arabisch.")
    Message.objects.create(
        volunteer=volunteer, kind="free", subject="Willkommen", body="Schön, dass Sie da sind."
    )
    item, _new = ChecklistItem.objects.get_or_create(
        shelter=volunteer.shelter, kind=ChecklistItem.Kind.AGREEMENT
    )
    ChecklistEntry.objects.create(volunteer=volunteer, item=item, done_on=timezone.localdate())
    Clearance.objects.create(
        volunteer=volunteer,
        inspected_on=datetime.date(2026, 3, 2),
        issued_on=datetime.date(2026, 2, 1),
        reinspect_on=datetime.date(2031, 3, 2),
        inspected_by=coordinator,
    )
    shift = ShiftFactory(opportunity=opportunity, slots=1, confirmed_count=1)
    signup = ShiftSignupFactory(shift=shift, volunteer=volunteer)
    HoursEntry.objects.create(
        volunteer=volunteer,
        date=datetime.date(2026, 11, 3),
        hours=Decimal("2.5"),
        activity="Hausaufgabenhilfe",
        status="confirmed",
    )
    attestation = Attestation.objects.create(
        volunteer=volunteer,
        holder_name=volunteer.full_name,
        shelter_name=volunteer.shelter.name,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 11, 30),
        hours=Decimal("2.5"),
        activities=["Hausaufgabenhilfe"],
        verification_code=f"NW{volunteer.pk:06d}",
    )
    AccessLog.objects.create(volunteer=volunteer, actor=coordinator, action="view")
    AccessLog.objects.create(volunteer=volunteer, actor=coordinator, action="export")
    return {"application": application, "signup": signup, "attestation": attestation}


def profile_for(user):
    return VolunteerProfile.objects.create(
        user=user, phone="030 1234567", languages=["ar"], skills="Mathe", availability="abends"
    )
