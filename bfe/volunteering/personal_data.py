"""Volunteering's share of "Meine Daten" (see bfe/core/personal_data.py): her records in every
shelter with everything on them, her applications, consents and profile, and the access log of
her records (Art. 15 DSGVO: who looked at or changed them, when, and what was done).

Who: the role and shelter of the person who looked, not her name. Only the coordinators of a
shelter can open its records, and Art. 15 owes the recipients (or their categories), not the
names of the staff who acted for them (CJEU C-579/21); the shelter's coordination answers for
its staff. What a coordinator did on other people's records is theirs, not hers: it is not in
her own export.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from bfe.core.personal_data import consent, section
from bfe.places.models import LANGUAGE_CHOICES, CoordinatorPosition

from .models import (
    WEEKDAY_CHOICES,
    AccessLog,
    Attestation,
    ConsentRecord,
    HoursEntry,
    ShiftSignup,
    Volunteer,
    VolunteerProfile,
    mask_to_weekdays,
)
from .services import privacy

LANGUAGES = dict(LANGUAGE_CHOICES)
WEEKDAYS = dict(WEEKDAY_CHOICES)
PROCESSING_KEY = "volunteering.processing"


def _languages(codes):
    return [str(LANGUAGES.get(code, code)) for code in codes or []]


def _records(user, queryset=None):
    return (
        (privacy.records_of(user) if queryset is None else queryset)
        .select_related("shelter", "clearance")
        .prefetch_related(
            "notes",
            "messages",
            "checklist__item",
            Prefetch(
                "signups",
                queryset=ShiftSignup.objects.select_related("shift__opportunity").order_by(
                    "shift__starts_at", "pk"
                ),
            ),
            Prefetch("hours", queryset=HoursEntry.objects.order_by("date", "pk")),
            Prefetch("attestations", queryset=Attestation.objects.order_by("issued_at", "pk")),
            Prefetch("access_log", queryset=AccessLog.objects.order_by("at", "pk")),
        )
        .order_by("shelter__name", "pk")
    )


def _coordination(records):
    """{(person id, shelter id)} of everyone who ever held a post at her records' shelters."""
    return set(
        CoordinatorPosition.objects.filter(
            shelter_id__in={record.shelter_id for record in records}, person__isnull=False
        ).values_list("person_id", "shelter_id")
    )


def _who(entry, record, coordination):
    if entry.actor_id is None:
        return _("ein inzwischen gelöschtes Konto")
    if entry.actor_id == record.user_id:
        return _("Sie selbst")
    if (entry.actor_id, record.shelter_id) in coordination:
        return _("Ehrenamtskoordination von %(shelter)s") % {"shelter": record.shelter.name}
    return _("Verwaltung der Plattform")


def _clearance(record):
    clearance = getattr(record, "clearance", None)
    if clearance is None:
        return None
    return {
        _("eingesehen am"): clearance.inspected_on,
        _("ausgestellt am"): clearance.issued_on,
        _("Einschlägige Eintragung steht entgegen"): clearance.has_relevant_entry,
        _("erneut einsehen am"): clearance.reinspect_on,
    }


def _record(record, coordination):
    return {
        _("Unterkunft"): record.shelter.name,
        _("Name"): record.full_name,
        _("E-Mail-Adresse"): record.email,
        _("Telefon"): record.phone,
        _("Sprachen"): _languages(record.languages),
        _("Fähigkeiten und Interessen"): record.skills,
        _("Bevorzugter Kontakt"): record.get_contact_preference_display(),
        _("Sprache der E-Mails"): record.language,
        _("Stand"): record.get_stage_display(),
        _("Stand seit"): record.stage_changed_at,
        _("Grund"): record.get_end_reason_display() if record.end_reason else "",
        _("Anmerkung zum Ende"): record.end_note,
        _("Herkunft des Eintrags"): record.get_source_display(),
        _("angelegt am"): record.created_at,
        _("zuletzt aktiv"): record.last_activity_at,
        _("Erweitertes Führungszeugnis"): _clearance(record),
        _("Einarbeitung"): [
            {_("Schritt"): entry.item.display_label, _("erledigt am"): entry.done_on}
            for entry in record.checklist.all()
        ],
        _("Notizen der Koordination"): [
            {_("am"): note.created_at, _("Notiz"): note.text} for note in record.notes.all()
        ],
        _("Nachrichten an Sie"): [
            {
                _("am"): message.created_at,
                _("Betreff"): message.subject,
                _("Text"): message.body,
                _("Status"): message.get_status_display(),
            }
            for message in record.messages.all()
        ],
        _("Einsätze"): [
            {
                _("Angebot"): signup.shift.opportunity.title,
                _("Beginn"): signup.shift.starts_at,
                _("Ende"): signup.shift.ends_at,
                _("Status"): signup.get_status_display(),
            }
            for signup in record.signups.all()
        ],
        _("Stunden"): [
            {
                _("Datum"): entry.date,
                _("Stunden"): entry.hours,
                _("Tätigkeit"): entry.activity,
                _("Status"): entry.get_status_display(),
            }
            for entry in record.hours.all()
        ],
        _("Ehrenamtsnachweise"): [
            {
                _("von"): attestation.period_start,
                _("bis"): attestation.period_end,
                _("Stunden"): attestation.hours,
                _("ausgestellt am"): attestation.issued_at,
                _("Prüfnummer"): attestation.verification_code,
                _("widerrufen am"): attestation.revoked_at,
            }
            for attestation in record.attestations.all()
        ],
        _("Zugriffe"): [
            {
                _("wann"): entry.at,
                _("wer"): _who(entry, record, coordination),
                _("was"): entry.get_action_display(),
                _("Einzelheit"): entry.detail,
            }
            for entry in record.access_log.all()
        ],
    }


def _profile(user):
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()
    if profile is None:
        return []
    return [
        {
            _("Telefon"): profile.phone,
            _("Sprachen"): _languages(profile.languages),
            _("Fähigkeiten und Interessen"): profile.skills,
            _("Verfügbar an"): [str(WEEKDAYS[day]) for day in mask_to_weekdays(profile.weekdays)],
            _("Verfügbarkeit"): profile.availability,
            _("Bezirke"): [district.name for district in profile.districts.all()],
            _("Bevorzugter Kontakt"): profile.get_contact_preference_display(),
            _("geändert am"): profile.updated_at,
        }
    ]


def record_export(volunteer):
    """One record as its personal link shows it (a person without an account): the same as
    in her export, access log included."""
    records = list(_records(None, queryset=Volunteer.objects.filter(pk=volunteer.pk)))
    coordination = _coordination(records)
    return section(
        "volunteering.records",
        _("Ihr Eintrag als Freiwillige:r"),
        [_record(record, coordination) for record in records],
    )


def export(user):
    records = list(_records(user))
    coordination = _coordination(records)
    applications = (
        privacy.applications_of(user)
        .select_related("opportunity__shelter")
        .order_by("created_at", "pk")
    )
    return [
        section(
            "volunteering.records",
            _("Ihre Einträge als Freiwillige:r"),
            [_record(record, coordination) for record in records],
            note=_(
                "Je Unterkunft ein Eintrag, mit allem, was die Koordination dort über Sie führt, "
                "und mit jedem Zugriff: wann, welche Rolle, was. Namen der Mitarbeitenden nennen "
                "wir nicht; für sie steht die Koordination der Unterkunft ein."
            ),
        ),
        section(
            "volunteering.applications",
            _("Bewerbungen"),
            [
                {
                    _("Angebot"): application.opportunity.title,
                    _("Unterkunft"): application.opportunity.shelter.name,
                    _("Name"): application.full_name,
                    _("E-Mail-Adresse"): application.email,
                    _("Telefon"): application.phone,
                    _("Sprachen"): _languages(application.languages),
                    _("Nachricht"): application.message,
                    _("Status"): application.get_status_display(),
                    _("Version der Einwilligung"): application.consent_version,
                    _("beworben am"): application.created_at,
                    _("bestätigt am"): application.confirmed_at,
                }
                for application in applications
            ],
        ),
        section(
            "volunteering.consents",
            _("Einwilligungen"),
            [
                {
                    _("Art"): row.get_kind_display(),
                    _("Unterkunft"): _consent_shelter(row),
                    _("erteilt"): row.given,
                    _("Version des Textes"): row.version,
                    _("am"): row.recorded_at,
                }
                for row in privacy.consents_of(user)
                .select_related("volunteer__shelter", "application__opportunity__shelter")
                .order_by("recorded_at", "pk")
            ],
        ),
        section("volunteering.profile", _("Profil als Freiwillige:r"), _profile(user)),
    ]


def _consent_shelter(row):
    if row.volunteer_id:
        return row.volunteer.shelter.name
    if row.application_id:
        return row.application.opportunity.shelter.name
    return ""


def consents(user):
    """Her consent to the processing of her volunteering data, with its history; offered for
    withdrawal while it stands or while a record of hers is not ended."""
    rows = list(
        privacy.consents_of(user)
        .select_related("volunteer__shelter", "application__opportunity__shelter")
        .order_by("recorded_at", "pk")
    )
    processing = [row for row in rows if row.kind == ConsentRecord.Kind.PROCESSING]
    has_open_records = privacy.records_of(user).exclude(stage=Volunteer.Stage.ENDED).exists()
    if not processing and not has_open_records:
        return []
    latest = processing[-1] if processing else None
    given = has_open_records or privacy.consent_is_given(processing)
    return [
        consent(
            PROCESSING_KEY,
            ConsentRecord.Kind.PROCESSING.label,
            given=given,
            version=latest.version if latest else "",
            at=latest.recorded_at if latest else None,
            withdrawable=True,
            history=[
                {
                    "given": row.given,
                    "version": row.version,
                    "at": row.recorded_at,
                    "shelter": _consent_shelter(row),
                }
                for row in processing
            ],
        )
    ]


def withdraw_consent(user, key):
    if key != PROCESSING_KEY:
        return False
    privacy.withdraw_processing_consent(user=user)
    return True


def erase(user):
    return privacy.erase_person(user=user)
