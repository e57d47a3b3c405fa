"""Events (Jours fixes, Werkstätten, Netzwerktreffen, training modules) and the training series.

Seats are the scarce thing here: `Registration` and `Enrolment` rows are only created or changed
by the services, which lock the event's (or series') row first, so capacities hold under any
number of simultaneous requests and app servers.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.choices import choice_label


class Audience(models.TextChoices):
    COORDINATORS = "coordinators", _("nur Ehrenamtskoordinator:innen und BfE")
    GUESTS = "guests", _("offen für externe Gäste")


class Series(models.Model):
    """A recurring Jour fixe of one region, e.g. every 2nd Wednesday 10:00–12:00.

    `rrule` is an RFC 5545 recurrence rule (python-dateutil parses it); generated occurrences are
    ordinary events pointing here, each of which can be moved, edited or cancelled alone.
    """

    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        related_name="event_series",
        verbose_name=_("Region"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    rrule = models.CharField(_("Wiederholungsregel"), max_length=200)
    starts_on = models.DateField(_("erster Termin ab"))
    until = models.DateField(_("bis"))
    start_time = models.TimeField(_("Beginn"))
    end_time = models.TimeField(_("Ende"))
    venue_name = models.CharField(_("Ort"), max_length=200, blank=True)
    venue_address = models.CharField(_("Adresse"), max_length=300, blank=True)
    online_url = models.URLField(_("Online-Link"), blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_series", verbose_name=_("Organisation")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Terminreihe")
        verbose_name_plural = _("Terminreihen")
        ordering = ["region", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=F("starts_on")), name="series_until_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="series_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.region})"


class TrainingSeries(models.Model):
    """The yearly series "Freiwilligenkoordination BfE – Basis" or "– Aufbau".

    Its modules are events of kind training_module. People enrol in the whole series; a module
    missed may be caught up in a later year's series of the same level.
    """

    class Level(models.TextChoices):
        BASIS = "basis", _("Basis")
        AUFBAU = "aufbau", _("Aufbau")

    level = models.CharField(_("Stufe"), max_length=16, choices=Level)
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(2016), MaxValueValidator(2100)]
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    seats = models.PositiveIntegerField(_("Plätze"))
    enrolment_opens_at = models.DateTimeField(_("Anmeldung ab"))
    enrolment_closes_at = models.DateTimeField(_("Anmeldung bis"))
    completion_percent = models.PositiveSmallIntegerField(
        _("Abschluss ab (Prozent der Module)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_training_series",
        blank=True,
        verbose_name=_("Organisation"),
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=False)

    class Meta:
        verbose_name = _("Fortbildungsreihe")
        verbose_name_plural = _("Fortbildungsreihen")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "year"], name="one_training_series_per_year"),
            models.CheckConstraint(
                condition=Q(enrolment_closes_at__gt=F("enrolment_opens_at")),
                name="training_enrolment_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:training_detail", args=[self.pk])


class TrainingModule(models.Model):
    """A module of a level's curriculum (e.g. Basis 3 "Gewinnung"), the same across years, so
    that attendance in any year's event of that module counts towards completion."""

    level = models.CharField(_("Stufe"), max_length=16, choices=TrainingSeries.Level)
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (Englisch)"), max_length=200, blank=True)
    hours = models.DecimalField(_("Stunden"), max_digits=4, decimal_places=1, default=6)

    class Meta:
        verbose_name = _("Fortbildungsmodul")
        verbose_name_plural = _("Fortbildungsmodule")
        ordering = ["level", "number"]
        constraints = [
            models.UniqueConstraint(fields=["level", "number"], name="one_module_number_per_level")
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.number}: {self.title}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events a person may see.

        Published events open to guests: everyone. Published coordinator-only events: signed-in
        coordinators and BfE staff. Drafts: their organisers and BfE staff of the event's region
        (admins: all). Cancelled events stay visible, marked as cancelled.
        """
        roles = Roles.of(user)
        published = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        if roles.is_admin:
            return self
        visible = published & Q(audience=Audience.GUESTS)
        if roles.is_coordinator or roles.is_bfe_staff:
            visible = published
        if roles.is_authenticated:
            # A subquery, not a join: no duplicate rows, so no DISTINCT over every column.
            organised = Event.organisers.through.objects.filter(user=user).values("event_id")
            visible |= Q(pk__in=organised)
        if roles.region_ids:
            visible |= Q(region__in=roles.region_ids)
        return self.filter(visible)

    def managed_by(self, user):
        """Events a person may edit, check people in at, and see participants of: its organisers,
        BfE staff of its region (city-wide events: all regional coordinators), admins."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self
        if not roles.is_authenticated:
            return self.none()
        # A subquery, not a join: no duplicate rows, so no DISTINCT over every column.
        scope = Q(pk__in=Event.organisers.through.objects.filter(user=user).values("event_id"))
        if roles.region_ids:
            scope |= Q(region__in=roles.region_ids) | Q(region__isnull=True)
        return self.filter(scope)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def with_counts(self):
        """Annotates confirmed and waitlisted registrations (display only, never for decisions)."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status="confirmed"), distinct=True
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__status="waitlisted"), distinct=True
            ),
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        JOUR_FIXE = "jour_fixe", _("Jour fixe")
        WORKSHOP = "workshop", _("Werkstatt")
        NETWORK_MEETING = "network_meeting", _("Netzwerktreffen")
        TRAINING_MODULE = "training_module", _("Fortbildungsmodul")
        OTHER = "other", _("Sonstige")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")
        CANCELLED = "cancelled", _("abgesagt")

    kind = models.CharField(_("Art"), max_length=32, choices=Kind)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown: **fett**, *kursiv*, Listen, Links.")
    )
    programme = models.TextField(
        _("Programm"), blank=True, help_text=_("Ablauf der Werkstatt, Markdown.")
    )
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    venue_name = models.CharField(_("Ort"), max_length=200, blank=True)
    venue_address = models.CharField(_("Adresse"), max_length=300, blank=True)
    accessibility_notes = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    online_url = models.URLField(
        _("Online-Link"), blank=True, help_text=_("Sehen nur angemeldete Teilnehmende.")
    )
    audience = models.CharField(
        _("Zielgruppe"), max_length=16, choices=Audience, default=Audience.COORDINATORS
    )
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Region"),
        help_text=_("Für Jours fixes Pflicht; leer bei berlinweiten Veranstaltungen."),
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt.")
    )
    registration_opens_at = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_events",
        blank=True,
        verbose_name=_("Organisation"),
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Terminreihe"),
    )
    # The occurrence's slot in its series, kept when it is moved, so regenerating skips it.
    series_slot = models.DateField(null=True, blank=True)
    training_series = models.ForeignKey(
        TrainingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("Fortbildungsreihe"),
    )
    module = models.ForeignKey(
        TrainingModule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Modul"),
    )
    # iCalendar identity: UID never changes, SEQUENCE grows with every change people must see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="jour_fixe") | Q(region__isnull=False),
                name="jour_fixe_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(kind="training_module")
                | (Q(training_series__isnull=False) & Q(module__isnull=False)),
                name="training_module_belongs_to_series",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="registration_closes_after_opening",
            ),
            models.UniqueConstraint(
                fields=["series", "series_slot"],
                condition=Q(series__isnull=False),
                name="one_event_per_series_slot",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or self.starts_at <= now:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now > self.registration_closes_at)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(
            status__in=[Registration.Status.CANCELLED, Registration.Status.UNCONFIRMED]
        )

    def of(self, user):
        return self.filter(person=user) if user.is_authenticated else self.none()


class Registration(models.Model):
    """A person's (or an external guest's) place at an event, or on its waiting list."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-Mail noch nicht bestätigt")
        CONFIRMED = "confirmed", _("angemeldet")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    # External guests register without an account.
    guest_name = models.CharField(_("Name"), max_length=150, blank=True)
    guest_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    guest_organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    guest_language = models.CharField(max_length=5, default="de")
    # Hash of the guest's personal link (confirm, view, cancel).
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status, db_index=True)
    # Waiting-list order: the earliest waitlisted_at is promoted first.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("teilgenommen"), default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    is_walk_in = models.BooleanField(_("spontan dazugekommen"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="one_registration_per_person_and_event",
            ),
            models.UniqueConstraint(
                "event",
                Lower("guest_email"),
                condition=Q(person__isnull=True) & ~Q(guest_email=""),
                name="one_registration_per_guest_and_event",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name="") | Q(is_walk_in=True),
                name="registration_names_someone",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.display_name} – {self.event}"

    @property
    def display_name(self):
        if self.person_id:
            return self.person.get_full_name()
        return self.guest_name

    @property
    def email(self):
        return self.person.email if self.person_id else self.guest_email


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Enrolment.Status.CANCELLED)


class Enrolment(models.Model):
    """A place in a whole training series (or on its waiting list)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    series = models.ForeignKey(TrainingSeries, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status, db_index=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einschreibung")
        verbose_name_plural = _("Einschreibungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "person"], name="one_enrolment_per_person_and_series"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.series}"


class Certificate(models.Model):
    """A Teilnahmebescheinigung for a completed level; verifiable by its public code."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    series = models.ForeignKey(
        TrainingSeries, on_delete=models.PROTECT, related_name="certificates"
    )
    # Printed on the certificate: it stays what was certified even if the account changes.
    holder_name = models.CharField(_("Name"), max_length=150)
    verification_code = models.CharField(max_length=16, unique=True)
    hours = models.DecimalField(_("Stunden"), max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "series"], name="one_certificate_per_person_and_series"
            )
        ]

    def __str__(self):
        return f"{self.holder_name} – {self.series}"

    def get_absolute_url(self):
        return reverse("events:certificate_verify", args=[self.verification_code])


def document_path(instance, filename):
    return f"events/{instance.event_id}/{filename}"


class Document(models.Model):
    """Minutes (Protokoll) or another file of an event: for participants and BfE staff only."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Protokoll")
        FILE = "file", _("Datei")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("Art"), max_length=16, choices=Kind, default=Kind.FILE)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"), blank=True, help_text=_("Markdown"))
    file = models.FileField(_("Datei"), upload_to=document_path, blank=True, max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="document_has_text_or_file"
            )
        ]

    def __str__(self):
        return self.title


class CalendarFeed(models.Model):
    """A person's secret, revocable iCal subscription of her registrations."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")

    def __str__(self):
        return str(self.person)
