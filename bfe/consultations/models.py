"""Consultations (Beratungen) of volunteer coordinators by BfE's regional coordinators.

Confidentiality is enforced here, in the QuerySet methods: the confidential note is read only by
the region's coordinators and BfE's lead; the consulted coordinator sees date, format, topics and
agreed next steps; partners see counts; other regions see nothing.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.choices import choice_label


class Format(models.TextChoices):
    ON_SITE = "on_site", _("vor Ort")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Topic(models.Model):
    """A topic of the consultation taxonomy. Retired topics keep their history."""

    name = models.CharField(_("Name (Deutsch)"), max_length=100, unique=True)
    name_en = models.CharField(_("Name (Englisch)"), max_length=100, blank=True)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("Ausgemusterte Themen bleiben in alten Beratungen.")
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The topic's name in the current language."""
        if self.name_en and (get_language() or "de").startswith("en"):
            return self.name_en
        return self.name


def _scope_by_region(qs, user, *, own_field):
    """Admins: all; regional coordinators: their regions; coordinators: rows they own."""
    roles = Roles.of(user)
    if roles.is_admin:
        return qs
    scope = Q(pk__in=[])
    if roles.region_ids:
        scope |= Q(region__in=roles.region_ids)
    if roles.is_authenticated and own_field:
        scope |= own_field
    return qs.filter(scope)


class ConsultationRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests a person may see: her own and her shelters'; her region's; all for admins."""
        roles = Roles.of(user)
        if not roles.is_authenticated:
            return self.none()
        own = Q(requested_by=user) | Q(shelter__in=roles.shelter_ids)
        return _scope_by_region(self, user, own_field=own)

    def answerable_by(self, user):
        """Requests a person may schedule, decline or answer with a consultation."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self
        return self.filter(region__in=roles.region_ids)

    def open(self):
        return self.filter(
            status__in=[ConsultationRequest.Status.OPEN, ConsultationRequest.Status.SCHEDULED]
        )


class ConsultationRequest(models.Model):
    """A coordinator's request for a consultation, answered by her region's coordinators."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        SCHEDULED = "scheduled", _("Termin vereinbart")
        DONE = "done", _("erledigt")
        DECLINED = "declined", _("abgelehnt")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        SOON = "soon", _("bald")
        URGENT = "urgent", _("dringend")

    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("Unterkunft"),
    )
    # The region at the time of the request: regions may be re-cut, the request stays put.
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("Region"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_requests",
        verbose_name=_("angefragt von"),
    )
    topics = models.ManyToManyField(Topic, related_name="requests", verbose_name=_("Themen"))
    preferred_format = models.CharField(
        _("gewünschte Form"), max_length=16, choices=Format, default=Format.ON_SITE
    )
    urgency = models.CharField(
        _("Dringlichkeit"), max_length=16, choices=Urgency, default=Urgency.NORMAL
    )
    message = models.TextField(_("Nachricht"), max_length=4000, blank=True)
    preferred_times = models.CharField(_("passende Zeiten"), max_length=300, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status, default=Status.OPEN, db_index=True
    )
    scheduled_for = models.DateTimeField(_("Termin"), null=True, blank=True)
    decline_reason = models.TextField(_("Begründung der Absage"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bearbeitet von"),
    )
    created_at = models.DateTimeField(_("angefragt am"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beratungsanfrage")
        verbose_name_plural = _("Beratungsanfragen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_request_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="scheduled_request_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.shelter} – {self.created_at:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("consultations:request_detail", args=[self.pk])


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Consultations a person may see, with `visible_note` holding the confidential note
        only where she may read it (her region's, or all for admins) and "" otherwise.

        Coordinators see the consultations they took part in; partners and other regions none.
        """
        roles = Roles.of(user)
        if not roles.is_authenticated:
            return self.none()
        took_part = Consultation.participants.through.objects.filter(user=user)
        if roles.region_ids and not roles.is_admin:
            # "her region OR EXISTS(…)" makes PostgreSQL scan every consultation; the few she
            # took part in are read first, so that both sides of the OR use an index.
            own = Q(pk__in=list(took_part.values_list("consultation_id", flat=True)))
        else:
            own = Q(Exists(took_part.filter(consultation=OuterRef("pk"))))
        qs = _scope_by_region(self, user, own_field=own)
        if roles.is_admin:
            note = F("confidential_note")
        elif roles.region_ids:
            note = Case(
                When(region__in=roles.region_ids, then=F("confidential_note")),
                default=Value(""),
                output_field=models.TextField(),
            )
        else:
            note = Value("", output_field=models.TextField())
        # The note is never loaded for rows the viewer may not read: only the annotation is.
        return qs.defer("confidential_note").annotate(visible_note=note)

    def editable_by(self, user):
        """Consultations a person may change: her region's (admins: all)."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self
        return self.filter(region__in=roles.region_ids)

    def in_period(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(held_on__gte=start)
        if end:
            qs = qs.filter(held_on__lte=end)
        return qs


class Consultation(models.Model):
    """One logged consultation, requested or not."""

    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("Region"),
    )
    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("Unterkunft"),
    )
    held_on = models.DateField(_("Datum"), default=timezone.localdate, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer (Minuten)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    format = models.CharField(_("Form"), max_length=16, choices=Format, default=Format.ON_SITE)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="consultations_received",
        blank=True,
        verbose_name=_("beratene Personen"),
    )
    other_participants = models.CharField(
        _("weitere Beteiligte"),
        max_length=300,
        blank=True,
        help_text=_("z. B. Einrichtungsleitung des Betreibers"),
    )
    topics = models.ManyToManyField(Topic, related_name="consultations", verbose_name=_("Themen"))
    confidential_note = models.TextField(
        _("Vertrauliche Notiz"),
        max_length=10000,
        blank=True,
        help_text=_("Lesen nur die Regionalkoordination und die Projektleitung."),
    )
    next_steps = models.TextField(
        _("Vereinbarte nächste Schritte"),
        max_length=4000,
        blank=True,
        help_text=_("Sieht auch die beratene Person."),
    )
    request = models.OneToOneField(
        ConsultationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation",
        verbose_name=_("Anfrage"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultations_logged",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "held_on"]),
            models.Index(fields=["shelter", "held_on"]),
        ]

    def __str__(self):
        return f"{self.shelter} – {self.held_on:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    @property
    def format_label(self):
        return choice_label(Format, self.format)


class ShelterContact(models.Model):
    """Maintained figures of a shelter's consultations, so that the outreach list reads one
    row per shelter instead of every consultation: kept current by the log's services in the
    same transaction, recomputed by `manage.py recompute_shelter_contacts`."""

    shelter = models.OneToOneField(
        "places.Shelter",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="consultation_contact",
    )
    last_consultation_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("letzte Beratung einer Unterkunft")
        verbose_name_plural = _("letzte Beratungen der Unterkünfte")

    def __str__(self):
        return f"{self.shelter_id}: {self.last_consultation_on}"


def attachment_path(instance, filename):
    return f"consultations/{instance.consultation_id}/{filename}"


class Attachment(models.Model):
    """A file attached to a consultation; as confidential as its note."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("Datei"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("Dateiname"), max_length=200)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Follow-ups of the viewer's regions (admins: all), and those she owns."""
        roles = Roles.of(user)
        if not roles.is_authenticated:
            return self.none()
        return _scope_by_region(self, user, own_field=Q(owner=user))

    def open(self):
        return self.filter(done_at__isnull=True)

    def due(self, on=None):
        return self.open().filter(due_on__lte=on or timezone.localdate())


class FollowUp(models.Model):
    """A task with a due date and an owner, attached to a consultation or a shelter."""

    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("Region"),
    )
    title = models.CharField(_("Aufgabe"), max_length=200)
    due_on = models.DateField(_("fällig am"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("zuständig"),
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("Beratung"),
    )
    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("Unterkunft"),
    )
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False) | Q(shelter__isnull=False),
                name="follow_up_belongs_to_consultation_or_shelter",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_on < timezone.localdate()
