"""A volunteer's own records: linked to her account by her verified address, her profile and
her applications."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Application, Volunteer, VolunteerProfile, weekdays_to_mask

WITHDRAWABLE = (Application.Status.UNCONFIRMED, Application.Status.CONFIRMED)


def verified_addresses(user):
    """The addresses allauth has verified for this person, lower-cased."""
    if not user.is_authenticated:
        return []
    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def _by_address(addresses):
    condition = Q()
    for address in addresses:
        condition |= Q(email__iexact=address)
    return condition


def link_records(user, addresses=None):
    """Give this person's account the shelters' records and the applications made with one of
    her verified addresses (case-insensitive) that belong to no account yet. Idempotent; returns
    (records linked, applications linked). Records of another account are never taken over.
    `addresses`: her verified addresses where the caller has read them already."""
    addresses = verified_addresses(user) if addresses is None else addresses
    if not addresses:
        return 0, 0
    by_address = _by_address(addresses)
    with transaction.atomic():
        records = Volunteer.objects.filter(by_address, user__isnull=True).update(user=user)
        applications = Application.objects.filter(by_address, user__isnull=True).update(user=user)
    return records, applications


def profile_of(user):
    """Her profile, unsaved and empty when she has none yet."""
    try:
        return VolunteerProfile.objects.prefetch_related("districts").get(user=user)
    except VolunteerProfile.DoesNotExist:
        return VolunteerProfile(user=user)


def save_profile(
    *,
    user,
    phone="",
    languages=(),
    skills="",
    weekdays=(),
    availability="",
    districts=(),
    contact_preference=Volunteer.ContactPreference.EMAIL,
):
    """Store what she says about herself; a phone number is needed to be contacted by phone.
    Her shelters' records take over the phone, languages and skills where they have none."""
    phone = (phone or "").strip()
    if contact_preference == Volunteer.ContactPreference.PHONE and not phone:
        raise ValidationError(
            {"phone": _("Für Kontakt per Telefon brauchen wir Ihre Telefonnummer.")},
            code="phone_missing",
        )
    with transaction.atomic():
        profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(user=user)
        profile.phone = phone
        profile.languages = list(languages)
        profile.skills = (skills or "").strip()
        profile.weekdays = weekdays_to_mask(weekdays)
        profile.availability = (availability or "").strip()
        profile.contact_preference = contact_preference
        profile.save()
        profile.districts.set(districts)
        records = Volunteer.objects.of(user)
        if phone:
            records.filter(phone="").update(phone=phone)
        if profile.languages:
            records.filter(languages=[]).update(languages=profile.languages)
        if profile.skills:
            records.filter(skills="").update(skills=profile.skills)
        records.update(contact_preference=contact_preference)
    return profile


def withdraw_application(*, user, application_id):
    """She withdraws one of her own applications that is still open (unconfirmed or
    confirmed). Raises Application.DoesNotExist for anything not hers; ValidationError when it
    is no longer open."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().filter(user=user).get(pk=application_id)
        )
        if application.status not in WITHDRAWABLE:
            raise ValidationError(
                _("Diese Bewerbung ist nicht mehr offen und kann nicht zurückgezogen werden."),
                code="not_open",
            )
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status"])
    return application
