"""Events' share of "Meine Daten" (see bfe/core/personal_data.py): registrations (with an
account, or as a guest with one of her confirmed addresses), training enrolments,
Teilnahmebescheinigungen, the calendar subscription and the events she organises.

Erasure keeps the counts: a registration for an event still to come is cancelled through the
registration service (a freed seat goes to the waiting list); every registration then stays as
an anonymous row ("(gelöscht)", no address), so that attendance figures do not change.
Enrolments go (a cancelled place holds no figure); a certificate stays verifiable with the
name it was issued to, and keeps the account as an anonymous, inactive row.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bfe.accounts import selectors as account_selectors
from bfe.core.personal_data import section

from .models import (
    CalendarFeed,
    Certificate,
    Enrolment,
    Event,
    Registration,
    Series,
    TrainingSeries,
)
from .services import registration as registration_services
from .services import training as training_services

# What an erased registration shows in the organisers' lists instead of a name.
ERASED_NAME = "(gelöscht)"


def _registrations(user):
    addresses = Q(pk__in=[])
    for address in account_selectors.verified_addresses(user):
        addresses |= Q(guest_email__iexact=address)
    guest = Q(person__isnull=True) & addresses & ~Q(guest_name=ERASED_NAME)
    return Registration.objects.filter(Q(person=user) | guest).select_related("event")


def export(user):
    registrations = _registrations(user).order_by("event__starts_at", "pk")
    enrolments = Enrolment.objects.filter(person=user).select_related("series")
    certificates = Certificate.objects.filter(person=user).select_related("series")
    feed = CalendarFeed.objects.filter(person=user).first()
    organised = Event.objects.filter(organisers=user).order_by("starts_at", "pk")
    return [
        section(
            "events.registrations",
            _("Anmeldungen zu Veranstaltungen"),
            [
                {
                    _("Veranstaltung"): registration.event.title,
                    _("Beginn"): registration.event.starts_at,
                    _("Status"): registration.get_status_display(),
                    _("als Gast"): registration.person_id is None,
                    _("Name"): registration.guest_name,
                    _("E-Mail-Adresse"): registration.guest_email,
                    _("Organisation"): registration.guest_organisation,
                    _("angemeldet am"): registration.created_at,
                    _("bestätigt am"): registration.confirmed_at,
                    _("abgemeldet am"): registration.cancelled_at,
                    _("teilgenommen"): registration.attended,
                }
                for registration in registrations
            ],
        ),
        section(
            "events.enrolments",
            _("Fortbildungsreihen"),
            [
                {
                    _("Reihe"): enrolment.series.title,
                    _("Status"): enrolment.get_status_display(),
                    _("angemeldet am"): enrolment.created_at,
                    _("abgemeldet am"): enrolment.cancelled_at,
                }
                for enrolment in enrolments.order_by("created_at", "pk")
            ],
        ),
        section(
            "events.certificates",
            _("Teilnahmebescheinigungen"),
            [
                {
                    _("Reihe"): certificate.series.title,
                    _("Name auf der Bescheinigung"): certificate.holder_name,
                    _("Stunden"): certificate.hours,
                    _("ausgestellt am"): certificate.issued_at,
                    _("Prüfnummer"): certificate.verification_code,
                    _("widerrufen am"): certificate.revoked_at,
                }
                for certificate in certificates.order_by("issued_at", "pk")
            ],
            note=_(
                "Eine ausgestellte Bescheinigung bleibt auch nach dem Löschen Ihres Kontos "
                "prüfbar, mit dem Namen, auf den sie ausgestellt ist."
            ),
        ),
        section(
            "events.calendar_feed",
            _("Kalender-Abo"),
            [{_("eingerichtet am"): feed.created_at}] if feed else [],
        ),
        section(
            "events.organised",
            _("Veranstaltungen, die Sie organisieren"),
            [
                {_("Veranstaltung"): event.title, _("Beginn"): event.starts_at}
                for event in organised
            ],
        ),
    ]


def erase(user):
    now = timezone.now()
    cancelled = 0
    for registration in (
        _registrations(user)
        .filter(event__starts_at__gt=now)
        .exclude(status=Registration.Status.CANCELLED)
    ):
        # Under the event's lock, as the person's own cancellation: the waiting list moves up.
        event = registration_services._lock_event(registration.event)
        registration_services._cancel(Registration.objects.get(pk=registration.pk), event)
        cancelled += 1
    withdrawn = 0
    for enrolment in Enrolment.objects.active().filter(person=user).select_related("series"):
        if training_services.series_has_modules_ahead(enrolment.series, now):
            training_services.withdraw(enrolment=enrolment, by=user)
            withdrawn += 1
    anonymised = _registrations(user).update(
        person=None,
        guest_name=ERASED_NAME,
        guest_email="",
        guest_organisation="",
        token_hash="",
    )
    for model in (Event, Series, TrainingSeries):
        model.organisers.through.objects.filter(user=user).delete()
    return {
        "registrations_cancelled": cancelled,
        "registrations_anonymised": anonymised,
        "enrolments_withdrawn": withdrawn,
        "enrolments_deleted": Enrolment.objects.filter(person=user).delete()[0],
        "calendar_feeds": CalendarFeed.objects.filter(person=user).delete()[0],
        "certificates_kept": Certificate.objects.filter(person=user).count(),
    }
