"""Volunteering: opportunities a coordinator publishes for her shelter, the people who apply and
engage (the shelter's pipeline), their onboarding, shifts, hours and Ehrenamtsnachweise.

A `Volunteer` is the shelter's record of one person: personal data belongs to the shelter(s) the
person engages with (DESIGN.md), so a person active in two shelters has two records, linked to
her account where she has one. Reads are scoped by the QuerySet methods here; coordinators see
the volunteers of their current shelters only; BfE staff and partners see counts, never names.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.choices import choice_label
from bfe.places.models import LANGUAGE_CHOICES

# Weekdays as bits, so that "which weekdays" is one integer column (filter with bitand).
WEEKDAY_BITS = {day: 1 << day for day in range(7)}  # 0 = Monday … 6 = Sunday
WEEKDAY_CHOICES = [
    (0, _("Montag")),
    (1, _("Dienstag")),
    (2, _("Mittwoch")),
    (3, _("Donnerstag")),
    (4, _("Freitag")),
    (5, _("Samstag")),
    (6, _("Sonntag")),
]


def weekdays_to_mask(days):
    mask = 0
    for day in days:
        mask |= WEEKDAY_BITS[int(day)]
    return mask


def mask_to_weekdays(mask):
    return [day for day, bit in WEEKDAY_BITS.items() if mask & bit]


class Area(models.Model):
    """A field of engagement (Kinderbetreuung, Sprachcafé …): data, edited by staff."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name"), max_length=100)
    name_en = models.CharField(_("Name (Englisch)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    needs_infection_briefing = models.BooleanField(
        _("Belehrung nach Infektionsschutzgesetz nötig"),
        default=False,
        help_text=_("Zum Beispiel beim Umgang mit Lebensmitteln."),
    )
    works_with_children = models.BooleanField(
        _("Arbeit mit Kindern"),
        default=False,
        help_text=_("Neue Angebote verlangen dann ein erweitertes Führungszeugnis."),
    )

    class Meta:
        verbose_name = _("Engagementbereich")
        verbose_name_plural = _("Engagementbereiche")
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.name_en and (get_language() or "de").startswith("en"):
            return self.name_en
        return self.name


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        """What the public board lists: open opportunities of open shelters."""
        today = timezone.localdate()
        return self.filter(status=Opportunity.Status.OPEN).filter(
            Q(shelter__closed_on__isnull=True) | Q(shelter__closed_on__gt=today)
        )

    def visible_to(self, user):
        """The published opportunities for everybody, and every status of her own shelters'
        for a coordinator (drafts included). Opportunities hold no personal data."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self.all()
        if roles.shelter_ids:
            return self.filter(
                Q(pk__in=self.published().values("pk")) | Q(shelter_id__in=roles.shelter_ids)
            )
        return self.published()

    def managed_by(self, user):
        """Opportunities a person may edit and whose applicants she sees: her shelters'."""
        roles = Roles.of(user)
        if not roles.shelter_ids:
            return self.none()
        return self.filter(shelter_id__in=roles.shelter_ids)


class Opportunity(models.Model):
    """An Engagementangebot a coordinator publishes for her shelter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("offen")
        FILLED = "filled", _("besetzt")
        PAUSED = "paused", _("pausiert")
        CLOSED = "closed", _("beendet")

    class Schedule(models.TextChoices):
        ONE_OFF = "one_off", _("einmalig")
        REGULAR = "regular", _("regelmäßig")

    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("Unterkunft"),
    )
    # The shelter's district, kept with the row so that the board filters without a join.
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("Bezirk")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("Bereich")
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"))
    schedule = models.CharField(
        _("Zeitlicher Rahmen"), max_length=16, choices=Schedule, default=Schedule.REGULAR
    )
    weekdays = models.PositiveSmallIntegerField(
        _("Wochentage"), default=0, help_text=_("Bitmaske, Montag = 1 … Sonntag = 64")
    )
    date = models.DateField(_("Datum"), null=True, blank=True)
    time_from = models.TimeField(_("von"), null=True, blank=True)
    time_until = models.TimeField(_("bis"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("Mindestalter"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    needs_clearance = models.BooleanField(
        _("Erweitertes Führungszeugnis nötig"),
        default=False,
        help_text=_("Bei Arbeit mit Kindern und Jugendlichen (§ 72a SGB VIII)."),
    )
    volunteers_wanted = models.PositiveSmallIntegerField(
        _("Gesuchte Freiwillige"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    # Where the public board and its map place the opportunity: the district's centre, or the
    # shelter itself where BfE marked its address public (shelters can be targets of attacks).
    public_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    public_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Engagementangebot")
        verbose_name_plural = _("Engagementangebote")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="opportunity_board"),
            models.Index(fields=["status", "district"], name="opportunity_district"),
            models.Index(fields=["status", "area"], name="opportunity_area"),
            models.Index(
                fields=["status", "public_latitude", "public_longitude"],
                name="opportunity_position",
            ),
            models.Index(fields=["shelter", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(schedule="regular") | Q(date__isnull=False),
                name="opportunity_one_off_has_date",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__lte=127), name="opportunity_weekdays_mask"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:opportunity", args=[self.pk])

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    @property
    def weekday_list(self):
        return mask_to_weekdays(self.weekdays)

    @property
    def weekday_labels(self):
        return [str(label) for day, label in WEEKDAY_CHOICES if self.weekdays & WEEKDAY_BITS[day]]

    @property
    def language_codes(self):
        return [row.language for row in self.languages.all()]


class OpportunityLanguage(models.Model):
    """A language an opportunity looks for (the shelter languages of DESIGN.md); a row per
    language, so that the board filters by an index on both databases."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("Sprache"), max_length=8, choices=LANGUAGE_CHOICES)

    class Meta:
        verbose_name = _("Gesuchte Sprache")
        verbose_name_plural = _("Gesuchte Sprachen")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "language"], name="one_row_per_opportunity_language"
            )
        ]
        indexes = [models.Index(fields=["language", "opportunity"])]

    def __str__(self):
        return self.get_language_display()


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records a person may read: her current shelters' for a coordinator, nothing for
        anyone else (BfE staff and partners see counts through the selectors, never names)."""
        roles = Roles.of(user)
        if not roles.shelter_ids:
            return self.none()
        return self.filter(shelter_id__in=roles.shelter_ids)

    def of(self, user):
        """A person's own records, in every shelter she engages with."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(stage=Volunteer.Stage.ACTIVE)


class Volunteer(models.Model):
    """A shelter's record of a person who applied or engages there (the pipeline)."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("beworben")
        CONTACTED = "contacted", _("kontaktiert")
        FIRST_MEETING = "first_meeting", _("Erstgespräch")
        ONBOARDING = "onboarding", _("Einarbeitung")
        ACTIVE = "active", _("aktiv")
        PAUSED = "paused", _("pausiert")
        ENDED = "ended", _("beendet")

    class EndReason(models.TextChoices):
        DID_NOT_START = "did_not_start", _("hat nicht angefangen")
        MOVED_AWAY = "moved_away", _("weggezogen")
        NO_TIME = "no_time", _("keine Zeit mehr")
        SHELTER_CLOSED = "shelter_closed", _("Unterkunft geschlossen")
        NOT_SUITABLE = "not_suitable", _("passte nicht")
        OTHER = "other", _("anderer Grund")

    class Source(models.TextChoices):
        APPLICATION = "application", _("Bewerbung über die Plattform")
        IMPORT = "import", _("Import")
        MANUAL = "manual", _("von der Koordination erfasst")

    class ContactPreference(models.TextChoices):
        EMAIL = "email", _("E-Mail")
        PHONE = "phone", _("Telefon")

    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("Unterkunft"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_records",
        verbose_name=_("Konto"),
    )
    full_name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    skills = models.TextField(_("Fähigkeiten und Interessen"), blank=True)
    contact_preference = models.CharField(
        _("Bevorzugter Kontakt"),
        max_length=8,
        choices=ContactPreference,
        default=ContactPreference.EMAIL,
    )
    language = models.CharField(_("Sprache der E-Mails"), max_length=5, default="de")
    stage = models.CharField(
        _("Stand"), max_length=16, choices=Stage, default=Stage.APPLIED, db_index=True
    )
    stage_changed_at = models.DateTimeField(default=timezone.now)
    end_reason = models.CharField(_("Grund"), max_length=16, choices=EndReason, blank=True)
    end_note = models.CharField(_("Anmerkung zum Ende"), max_length=300, blank=True)
    source = models.CharField(max_length=16, choices=Source, default=Source.APPLICATION)
    created_at = models.DateTimeField(default=timezone.now)
    # The last thing the person did here (stage change, shift, hours): retention counts from it.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    retention_notice_sent_at = models.DateTimeField(null=True, blank=True)
    # The personal link (shifts, iCal feed, own data) is derived from this salt and the
    # SECRET_KEY (services/links.py), so tasks can rebuild it; a new salt revokes it.
    link_salt = models.CharField(max_length=32, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Freiwillige:r")
        verbose_name_plural = _("Freiwillige")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "shelter",
                Lower("email"),
                condition=~Q(email=""),
                name="one_volunteer_per_shelter_and_email",
            ),
            models.CheckConstraint(
                condition=Q(stage="ended") | Q(end_reason=""),
                name="volunteer_end_reason_only_when_ended",
            ),
        ]
        indexes = [models.Index(fields=["shelter", "stage", "full_name"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("volunteering:volunteer", args=[self.pk])

    @property
    def stage_label(self):
        return choice_label(self.Stage, self.stage)


class ApplicationQuerySet(models.QuerySet):
    def managed_by(self, user):
        roles = Roles.of(user)
        if not roles.shelter_ids:
            return self.none()
        return self.filter(opportunity__shelter_id__in=roles.shelter_ids)


class Application(models.Model):
    """ "Ich möchte helfen": an application without an account, valid once its e-mail address
    is confirmed (double opt-in); confirming makes or finds the shelter's Volunteer record."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-Mail noch nicht bestätigt")
        CONFIRMED = "confirmed", _("bestätigt")
        EXPIRED = "expired", _("abgelaufen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, null=True, blank=True, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_applications",
    )
    full_name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    message = models.TextField(_("Nachricht"), blank=True)
    language = models.CharField(max_length=5, default="de")
    status = models.CharField(
        _("Status"), max_length=16, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    # The confirmation link is derived from this salt (services/links.py).
    link_salt = models.CharField(max_length=32)
    consent_version = models.CharField(_("Version der Einwilligung"), max_length=32)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.full_name} – {self.opportunity}"


class ConsentRecord(models.Model):
    """Every consent given or withdrawn, with the version of the text the person saw."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", _("Verarbeitung der Bewerbungsdaten")
        PRIVACY = "privacy", _("Datenschutzerklärung für Freiwillige")
        PHOTOS = "photos", _("Fotos")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volunteer_consents",
    )
    kind = models.CharField(_("Art"), max_length=16, choices=Kind)
    version = models.CharField(_("Version des Textes"), max_length=32)
    given = models.BooleanField(_("erteilt"), default=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"


class Note(models.Model):
    """A coordinator's note on a volunteer."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("Notiz"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Notiz")
        verbose_name_plural = _("Notizen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]


class MessageTemplate(models.Model):
    """A shelter's own wording of a standard e-mail; the defaults live in the templates."""

    class Kind(models.TextChoices):
        APPLICATION_THANKS = "application_thanks", _("Danke für die Bewerbung")
        FIRST_MEETING = "first_meeting", _("Einladung zum Erstgespräch")
        FREE = "free", _("Freie Nachricht")

    shelter = models.ForeignKey(
        "places.Shelter", on_delete=models.CASCADE, related_name="volunteer_message_templates"
    )
    kind = models.CharField(_("Art"), max_length=32, choices=Kind)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(
        _("Text"), help_text=_("Platzhalter: {name}, {angebot}, {unterkunft}, {koordination}")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("E-Mail-Vorlage")
        verbose_name_plural = _("E-Mail-Vorlagen")
        constraints = [
            models.UniqueConstraint(fields=["shelter", "kind"], name="one_template_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.shelter})"


class Message(models.Model):
    """An e-mail to a volunteer, logged on her record; sent by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("Art"), max_length=32, choices=MessageTemplate.Kind)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class ChecklistItem(models.Model):
    """A step of a shelter's onboarding checklist; each shelter starts with the defaults."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Ehrenamtsvereinbarung unterschrieben")
        PRIVACY_CONSENT = "privacy_consent", _("Einwilligung zum Datenschutz")
        CLEARANCE = "clearance", _("Erweitertes Führungszeugnis eingesehen")
        INSURANCE = "insurance", _("Informationen zur Versicherung erhalten")
        INFECTION_BRIEFING = "infection_briefing", _("Belehrung nach Infektionsschutzgesetz")
        CUSTOM = "custom", _("Eigener Schritt")

    shelter = models.ForeignKey(
        "places.Shelter", on_delete=models.CASCADE, related_name="volunteer_checklist"
    )
    kind = models.CharField(_("Art"), max_length=32, choices=Kind, default=Kind.CUSTOM)
    label = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Schritt der Einarbeitung")
        verbose_name_plural = _("Schritte der Einarbeitung")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shelter", "kind"],
                condition=~Q(kind="custom"),
                name="one_standard_checklist_item_per_shelter",
            ),
            models.CheckConstraint(
                condition=~Q(kind="custom") | ~Q(label=""), name="custom_checklist_item_has_label"
            ),
        ]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return self.label or str(choice_label(self.Kind, self.kind))


class ChecklistEntry(models.Model):
    """A step done for one volunteer."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="checklist")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="entries")
    done_on = models.DateField(_("erledigt am"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Erledigter Schritt")
        verbose_name_plural = _("Erledigte Schritte")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "item"], name="one_entry_per_item")
        ]

    def __str__(self):
        return f"{self.item} – {self.volunteer}"


class Clearance(models.Model):
    """The erweitertes Führungszeugnis, as § 72a Abs. 5 SGB VIII allows it to be kept: that it
    was inspected, the certificate's date of issue and whether a relevant entry stands in the
    way. Never the document, never its content."""

    volunteer = models.OneToOneField(Volunteer, on_delete=models.CASCADE, related_name="clearance")
    inspected_on = models.DateField(_("eingesehen am"))
    issued_on = models.DateField(_("ausgestellt am"))
    has_relevant_entry = models.BooleanField(
        _("Einschlägige Eintragung steht entgegen"),
        default=False,
        help_text=_(
            "Nur ob eine Eintragung nach § 72a Abs. 1 SGB VIII der Tätigkeit entgegensteht."
        ),
    )
    reinspect_on = models.DateField(_("erneut einsehen am"), db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Erweitertes Führungszeugnis")
        verbose_name_plural = _("Erweiterte Führungszeugnisse")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspected_on__gte=models.F("issued_on")),
                name="clearance_inspected_after_issue",
            )
        ]

    def __str__(self):
        return str(self.volunteer)


class ShiftSeries(models.Model):
    """Recurring shifts of an opportunity (an RRULE, python-dateutil); the shifts are rows of
    their own, so that one date can be edited or cancelled alone."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="shift_series"
    )
    rrule = models.CharField(_("Wiederholung"), max_length=300)
    starts_at = models.DateTimeField(_("erster Termin"))
    duration = models.DurationField(_("Dauer"))
    slots = models.PositiveSmallIntegerField(_("Plätze"), validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Terminreihe")
        verbose_name_plural = _("Terminreihen")

    def __str__(self):
        return f"{self.opportunity} ({self.rrule})"


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now(), is_cancelled=False)

    def managed_by(self, user):
        roles = Roles.of(user)
        if not roles.shelter_ids:
            return self.none()
        return self.filter(opportunity__shelter_id__in=roles.shelter_ids)


class Shift(models.Model):
    """An Einsatz: a date of an opportunity with a number of slots. Sign-ups are decided under
    a lock on this row, so that a shift is never overfilled."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="shifts")
    series = models.ForeignKey(
        ShiftSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    slots = models.PositiveSmallIntegerField(_("Plätze"), validators=[MinValueValidator(1)])
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    is_cancelled = models.BooleanField(_("abgesagt"), default=False)
    # Edited alone: "all following" edits of the series leave it as it is.
    is_detached = models.BooleanField(default=False)
    # For display only: the decision is taken by counting under the lock.
    confirmed_count = models.PositiveSmallIntegerField(default=0)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einsatz")
        verbose_name_plural = _("Einsätze")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["opportunity", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.opportunity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free_slots(self):
        return max(self.slots - self.confirmed_count, 0)

    @property
    def hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class ShiftSignup(models.Model):
    """A volunteer's place in a shift, or on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("eingetragen")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("abgesagt")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("Status"), max_length=16, choices=Status, db_index=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Eintragung")
        verbose_name_plural = _("Eintragungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"], name="one_signup_per_volunteer_and_shift"
            )
        ]
        indexes = [
            models.Index(fields=["shift", "status", "waitlisted_at"]),
            models.Index(fields=["volunteer", "status"]),
        ]

    def __str__(self):
        return f"{self.volunteer} – {self.shift}"


class HoursEntry(models.Model):
    """Hours of engagement: proposed from a shift or entered by hand, counted once confirmed
    by the coordinator."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        CONFIRMED = "confirmed", _("bestätigt")
        REJECTED = "rejected", _("abgelehnt")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours"
    )
    date = models.DateField(_("Datum"))
    hours = models.DecimalField(
        _("Stunden"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
    )
    activity = models.CharField(_("Tätigkeit"), max_length=200)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status, default=Status.PROPOSED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Stunden")
        verbose_name_plural = _("Stunden")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "shift"],
                condition=Q(shift__isnull=False),
                name="one_hours_entry_per_shift",
            )
        ]
        indexes = [models.Index(fields=["volunteer", "status", "date"])]

    def __str__(self):
        return f"{self.volunteer} {self.date} {self.hours} h"


class Attestation(models.Model):
    """An Ehrenamtsnachweis for a period, verifiable by its public code. It keeps what it
    certified, so it stays true when the record changes or is deleted."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="attestations"
    )
    holder_name = models.CharField(_("Name"), max_length=150)
    shelter_name = models.CharField(_("Unterkunft"), max_length=200)
    period_start = models.DateField(_("von"))
    period_end = models.DateField(_("bis"))
    hours = models.DecimalField(_("Stunden"), max_digits=7, decimal_places=2)
    activities = models.JSONField(_("Tätigkeiten"), default=list)
    verification_code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Ehrenamtsnachweis")
        verbose_name_plural = _("Ehrenamtsnachweise")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="attestation_period_in_order",
            )
        ]

    def __str__(self):
        return f"{self.holder_name} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        return reverse("volunteering:attestation_verify", args=[self.verification_code])


class VolunteerProfile(models.Model):
    """What a volunteer with an account says about herself, for every shelter."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    skills = models.TextField(_("Fähigkeiten und Interessen"), blank=True)
    weekdays = models.PositiveSmallIntegerField(_("Verfügbar an"), default=0)
    availability = models.CharField(_("Verfügbarkeit"), max_length=300, blank=True)
    districts = models.ManyToManyField(
        "places.District", blank=True, related_name="+", verbose_name=_("Bezirke")
    )
    contact_preference = models.CharField(
        _("Bevorzugter Kontakt"),
        max_length=8,
        choices=Volunteer.ContactPreference,
        default=Volunteer.ContactPreference.EMAIL,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Profil als Freiwillige:r")
        verbose_name_plural = _("Profile als Freiwillige")

    def __str__(self):
        return str(self.user)


class AccessLog(models.Model):
    """Who looked at or exported a volunteer's record, and when: shown to the volunteer in her
    export (Art. 15 DSGVO)."""

    class Action(models.TextChoices):
        VIEW = "view", _("angesehen")
        EDIT = "edit", _("geändert")
        EXPORT = "export", _("exportiert")
        MESSAGE = "message", _("angeschrieben")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="access_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=16, choices=Action)
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("Zugriff")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "-at"])]

    def __str__(self):
        return f"{self.actor} {self.action} {self.volunteer} {self.at:%Y-%m-%d}"


def import_path(instance, filename):
    return f"volunteering/imports/{instance.shelter_id}/{filename}"


class ImportJob(models.Model):
    """An upload of an old volunteer list (XLSX or CSV): mapped, checked, then committed all
    or nothing by a task."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("hochgeladen")
        MAPPED = "mapped", _("Spalten zugeordnet")
        RUNNING = "running", _("läuft")
        FAILED = "failed", _("mit Fehlern abgebrochen")
        DONE = "done", _("importiert")

    shelter = models.ForeignKey(
        "places.Shelter", on_delete=models.CASCADE, related_name="volunteer_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to=import_path, max_length=300)
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status, default=Status.UPLOADED)
    mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name


class RetentionRun(models.Model):
    """One run of the scheduled deletion, with its counts (never names)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    notices_sent = models.PositiveIntegerField(default=0)
    volunteers_deleted = models.PositiveIntegerField(default=0)
    applications_expired = models.PositiveIntegerField(default=0)
    clearances_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Löschlauf")
        verbose_name_plural = _("Löschläufe")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class ShelterVolunteerFigures(models.Model):
    """A shelter's volunteer counts, kept current by the services that change them, so that
    start pages and reports read counts in one indexed query instead of counting records."""

    shelter = models.OneToOneField(
        "places.Shelter", on_delete=models.CASCADE, related_name="volunteer_figures"
    )
    applied = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField(default=0)
    first_meeting = models.PositiveIntegerField(default=0)
    onboarding = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    paused = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    open_opportunities = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kennzahlen Freiwillige")
        verbose_name_plural = _("Kennzahlen Freiwillige")

    def __str__(self):
        return str(self.shelter)
