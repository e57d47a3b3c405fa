"""The materials library (Arbeitsmaterialien und Infos): files and links for coordinators and the
public, with earlier file versions, downloads per month, staff-curated collections and the
suggestions coordinators send in. Search reads the denormalised fields that
`services.indexing.reindex` keeps current."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.choices import choice_label
from bfe.places.models import LANGUAGE_CHOICES


class Labelled(models.Model):
    """Data with a German name and an optional English one (categories, collections)."""

    name = models.CharField(_("Name"), max_length=120)
    name_en = models.CharField(_("Name (Englisch)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.name_en and (get_language() or "de").startswith("en"):
            return self.name_en
        return self.name


class Category(Labelled):
    """A shelf of the library (Freiwilligenmanagement, Datenschutz …): data, edited by staff."""

    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["position", "name"]


class Tag(models.Model):
    name = models.CharField(_("Schlagwort"), max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


def sees_internal_materials(user):
    """Coordinators and BfE staff see internal materials; partners, volunteers and the public
    the public ones."""
    roles = Roles.of(user)
    return roles.is_bfe_staff or roles.is_coordinator


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published materials a person may find and open: public ones for everybody; internal
        ones too for coordinators and BfE staff (sees_internal_materials)."""
        published = self.filter(status=Material.Status.PUBLISHED)
        if sees_internal_materials(user):
            return published
        return published.filter(audience=Material.Audience.PUBLIC)

    def curated_by(self, user):
        """Materials a person may edit, archive and replace: all of them for BfE staff."""
        if Roles.of(user).is_bfe_staff:
            return self.all()
        return self.none()

    def due_for_review(self, *, today=None):
        """Published materials whose last review (or date of creation) is older than
        `settings.MATERIAL_REVIEW_AFTER_DAYS`."""
        today = today or timezone.localdate()
        cutoff = today - timezone.timedelta(days=settings.MATERIAL_REVIEW_AFTER_DAYS)
        return self.filter(status=Material.Status.PUBLISHED).filter(
            Q(reviewed_on__lt=cutoff) | Q(reviewed_on__isnull=True, created_at__date__lt=cutoff)
        )


class Material(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Datei")
        LINK = "link", _("Link")
        EVENT_DOCUMENT = "event_document", _("Unterlage einer Veranstaltung")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Öffentlich")
        INTERNAL = "internal", _("Ehrenamtskoordinator:innen und BfE")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Veröffentlicht")
        ARCHIVED = "archived", _("Archiviert")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind, default=Kind.FILE)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=2000, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="materials", verbose_name=_("Kategorie")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="materials", verbose_name=_("Schlagwörter")
    )
    audience = models.CharField(
        _("Für wen"), max_length=16, choices=Audience, default=Audience.INTERNAL
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status, default=Status.PUBLISHED)
    source = models.CharField(_("Quelle / Autor:in"), max_length=200, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=100, blank=True)
    published_on = models.DateField(_("Stand"), null=True, blank=True)
    reviewed_on = models.DateField(_("Zuletzt geprüft am"), null=True, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    url = models.URLField(_("Link"), max_length=500, blank=True)
    # Slides and handouts of an event stay the event's documents; the library points at them.
    event_document = models.OneToOneField(
        "events.Document",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_material",
        editable=False,
    )
    current_version = models.OneToOneField(
        "MaterialVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The current file's type ("PDF", "DOCX" … or "LINK"), for the type filter.
    file_type = models.CharField(_("Dateityp"), max_length=10, blank=True, db_index=True)
    download_count = models.PositiveIntegerField(_("Downloads"), default=0, editable=False)

    # Kept by services.indexing.reindex: never written by hand.
    tags_text = models.TextField(blank=True, editable=False)
    file_text = models.TextField(blank=True, editable=False)
    search_terms = models.TextField(blank=True, editable=False)  # folded title and tags
    search_text = models.TextField(blank=True, editable=False)  # folded everything (SQLite)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Materialien")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "audience", "category"]),
            models.Index(fields=["status", "audience", "-published_on"]),
            # Staff's start page counts the materials due for review (due_for_review).
            models.Index(
                fields=["status", "reviewed_on", "created_at"], name="material_review_due"
            ),
            # The library's front page: the newest additions.
            models.Index(fields=["status", "-created_at", "-id"], name="material_recent"),
            models.Index(
                fields=["status", "audience", "-created_at", "-id"], name="material_recent_public"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="material_link_has_url"
            ),
            models.CheckConstraint(
                condition=~Q(kind="event_document") | Q(event_document__isnull=False),
                name="material_event_document_has_document",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("materials:detail", args=[self.pk])

    @property
    def is_public(self):
        return self.audience == self.Audience.PUBLIC

    @property
    def audience_label(self):
        return choice_label(self.Audience, self.audience)

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    @property
    def language_codes(self):
        return [row.language for row in self.languages.all()]


class MaterialLanguage(models.Model):
    """A language the material is written in; a row per language so that the filter uses an
    index on both databases."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("Sprache"), max_length=8, choices=LANGUAGE_CHOICES)

    class Meta:
        verbose_name = _("Sprache des Materials")
        verbose_name_plural = _("Sprachen des Materials")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "language"], name="one_row_per_material_language"
            )
        ]
        indexes = [models.Index(fields=["language", "material"])]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        # Not get_language_display(), which builds the choices anew on every call of a list.
        return _LANGUAGE_LABELS.get(self.language, self.language)


_LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


def version_path(instance, filename):
    return f"materials/{instance.material_id}/{instance.number}/{filename}"


class MaterialVersion(models.Model):
    """One uploaded file of a material. Replacing the file adds a version; earlier ones stay,
    listed and downloadable for staff."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Text wird gelesen")
        DONE = "done", _("Text gelesen")
        FAILED = "failed", _("Text nicht lesbar")
        NOT_APPLICABLE = "none", _("Kein Text (Bild)")

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(_("Datei"), upload_to=version_path, max_length=300)
    file_name = models.CharField(_("Dateiname"), max_length=200)
    file_type = models.CharField(_("Dateityp"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("Größe"), default=0)
    note = models.CharField(_("Was ist neu?"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    extraction_status = models.CharField(
        _("Texterkennung"), max_length=10, choices=Extraction, default=Extraction.PENDING
    )
    extraction_error = models.CharField(_("Fehler beim Lesen"), max_length=500, blank=True)
    extracted_text = models.TextField(blank=True, editable=False)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Dateiversion")
        verbose_name_plural = _("Dateiversionen")
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="one_version_number")
        ]
        indexes = [models.Index(fields=["extraction_status"])]

    def __str__(self):
        return f"{self.material} – v{self.number}"

    @property
    def extraction_label(self):
        return choice_label(self.Extraction, self.extraction_status)


class DownloadMonth(models.Model):
    """Downloads of a material in one month (its first day), counted by the download view."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="download_months")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Downloads im Monat")
        verbose_name_plural = _("Downloads im Monat")
        constraints = [
            models.UniqueConstraint(fields=["material", "month"], name="one_row_per_material_month")
        ]
        indexes = [models.Index(fields=["month", "material"])]

    def __str__(self):
        return f"{self.material_id} {self.month:%Y-%m}: {self.count}"


class Collection(Labelled):
    """A curated list of materials ("Erste Schritte als EAK"), built by staff and shown on the
    library's front page; a collection for a training level is linked from that series."""

    class TrainingLevel(models.TextChoices):
        NONE = "", _("—")
        BASIS = "basis", _("Basis")
        AUFBAU = "aufbau", _("Aufbau")

    slug = models.SlugField(unique=True)
    summary = models.TextField(_("Beschreibung"), blank=True)
    summary_en = models.TextField(_("Beschreibung (Englisch)"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_featured = models.BooleanField(_("Auf der Startseite der Bibliothek"), default=True)
    training_level = models.CharField(
        _("Verknüpft mit der Fortbildungsreihe"),
        max_length=10,
        choices=TrainingLevel,
        blank=True,
        default="",
    )
    materials = models.ManyToManyField(
        Material, through="CollectionItem", related_name="collections", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Sammlung")
        verbose_name_plural = _("Sammlungen")
        ordering = ["position", "name"]

    def get_absolute_url(self):
        return reverse("materials:collection", args=[self.slug])

    @property
    def summary_label(self):
        if self.summary_en and (get_language() or "de").startswith("en"):
            return self.summary_en
        return self.summary


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Eintrag einer Sammlung")
        verbose_name_plural = _("Einträge einer Sammlung")
        ordering = ["collection", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "material"], name="material_once_per_collection"
            )
        ]

    def __str__(self):
        return f"{self.collection_id}: {self.material_id}"


def suggestion_path(instance, filename):
    return f"materials/suggestions/{timezone.now():%Y/%m}/{filename}"


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)

    def visible_to(self, user):
        """All suggestions for BfE staff (the moderation queue); her own for anyone else."""
        roles = Roles.of(user)
        if roles.is_bfe_staff:
            return self.all()
        if not roles.is_authenticated:
            return self.none()
        return self.filter(suggested_by=user)


class Suggestion(models.Model):
    """A coordinator's proposal: a new material, or a correction of an existing one."""

    class Kind(models.TextChoices):
        NEW = "new", _("Neues Material")
        CORRECTION = "correction", _("Korrektur")

    class Status(models.TextChoices):
        PENDING = "pending", _("Offen")
        ACCEPTED = "accepted", _("Angenommen")
        REJECTED = "rejected", _("Abgelehnt")

    kind = models.CharField(_("Art"), max_length=12, choices=Kind, default=Kind.NEW)
    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("Material"),
    )
    title = models.CharField(_("Titel"), max_length=200, blank=True)
    url = models.URLField(_("Link"), max_length=500, blank=True)
    file = models.FileField(_("Datei"), upload_to=suggestion_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True)
    message = models.TextField(_("Nachricht"), max_length=4000)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status, default=Status.PENDING)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    created_material = models.ForeignKey(
        Material, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(material__isnull=False),
                name="correction_names_its_material",
            )
        ]

    def __str__(self):
        return self.title or str(self.material or self.pk)

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)
