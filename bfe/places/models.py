import datetime
import functools
import operator

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.choices import choice_label


def today():
    return timezone.localdate()


class District(models.Model):
    """A Bezirk with its official number (01 Mitte … 12 Reinickendorf in Berlin)."""

    number = models.CharField(_("Bezirksnummer"), max_length=8, unique=True)
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("Bezirk")
        verbose_name_plural = _("Bezirke")
        ordering = ["number"]

    def __str__(self):
        return self.name


class RegionQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or today()
        return self.filter(
            Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )

    def of_district(self, district, on=None):
        """The region a district belongs to on `on` (default today), or None if none does.

        Regions are valid from a date, so a re-cut gives a district another region from then on.
        Should two valid regions hold the district (their validity overlapping by mistake), the
        newer cut wins: the latest `valid_from`, then the latest created.
        """
        district_id = getattr(district, "pk", district)
        return self.current(on).filter(districts=district_id).order_by("-valid_from", "-pk").first()


class Region(models.Model):
    """A BfE region: a set of districts, valid from a date (regions were re-cut in 2019)."""

    name = models.CharField(_("Name"), max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    districts = models.ManyToManyField(District, related_name="regions", verbose_name=_("Bezirke"))
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    valid_from = models.DateField(_("gültig ab"), default=datetime.date(2019, 1, 1))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="region_valid_until_after_valid_from",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:region_detail", args=[self.slug])


class Organisation(models.Model):
    """An operator (Betreiber/Träger) or another actor of migration work."""

    class Kind(models.TextChoices):
        OPERATOR = "operator", _("Betreiber / Träger")
        ALLIANCE = "alliance", _("Bündnis / Initiative")
        SELF_ORGANISATION = "self_organisation", _("Selbstorganisation")
        PROJECT = "project", _("Projekt")
        ADMINISTRATION = "administration", _("Verwaltung")
        FUNDER = "funder", _("Fördermittelgeber")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind, default=Kind.OPERATOR)
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Bezirk")
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")
        ]

    def __str__(self):
        return self.name


LANGUAGE_CHOICES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("uk", _("Ukrainisch")),
    ("ru", _("Russisch")),
    ("ar", _("Arabisch")),
    ("fa", _("Farsi/Dari")),
    ("ps", _("Paschtu")),
    ("tr", _("Türkisch")),
    ("kmr", _("Kurdisch (Kurmandschi)")),
    ("ckb", _("Kurdisch (Sorani)")),
    ("ti", _("Tigrinya")),
    ("vi", _("Vietnamesisch")),
    ("ka", _("Georgisch")),
    ("ro", _("Rumänisch")),
    ("ur", _("Urdu")),
    ("fr", _("Französisch")),
    ("so", _("Somali")),
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def _in_current_regions(region_ids, district_field="district_id"):
    """A shelter's district lies in one of these regions as they are cut today."""
    current = Region.objects.current().filter(pk__in=region_ids)
    return Exists(District.objects.filter(pk=OuterRef(district_field), regions__in=current))


class ShelterQuerySet(models.QuerySet):
    """Every read of shelters is scoped here, by the viewer's roles."""

    def visible_to(self, user):
        """Shelters a person may see, annotated with `shows_address`.

        Everyone sees open shelters; BfE staff see closed ones too. Exact addresses and map pins
        are for signed-in staff and coordinators, or where BfE marked the address public.
        """
        roles = Roles.of(user)
        qs = self if roles.is_bfe_staff else self.open()
        if roles.sees_exact_addresses:
            return qs.annotate(shows_address=Value(True))
        return qs.annotate(shows_address=F("address_public"))

    def editable_by(self, user):
        """Shelters a person may edit: all for the lead, her current posts' shelters, and the
        shelters of her regions as they are cut today (an ended region grants nothing)."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self
        if not (roles.shelter_ids or roles.region_ids):
            return self.none()
        scope = Q(pk__in=roles.shelter_ids)
        if roles.region_ids:
            scope |= Q(_in_current_regions(roles.region_ids))
        return self.filter(scope)

    def in_staff_care_of(self, user):
        """Shelters a person looks after as BfE staff: every shelter for the lead; for a
        regional coordinator those in the districts her regions cover today.

        Only they see a shelter's position history and weekly hours, move it to another
        district or close it, and change another person's public contact."""
        roles = Roles.of(user)
        if roles.is_admin:
            return self.all()
        if not roles.region_ids:
            return self.none()
        return self.filter(_in_current_regions(roles.region_ids))

    def with_position_access(self, user):
        """Annotates `shows_position_history`: the viewer looks after the shelter as BfE staff
        (see `in_staff_care_of`) and so sees its posts' history and weekly hours."""
        roles = Roles.of(user)
        if roles.is_admin:
            access = Value(True)
        elif roles.region_ids:
            access = _in_current_regions(roles.region_ids)
        else:
            access = Value(False)
        return self.annotate(shows_position_history=access)

    def positions_manageable_by(self, user):
        """Shelters whose coordinator posts a person may record changes of: BfE staff only."""
        if not Roles.of(user).is_bfe_staff:
            return self.none()
        return self.editable_by(user)

    def in_region(self, region):
        return self.filter(district__regions=region)

    def with_vacancy(self):
        staffed = CoordinatorPosition.objects.current().filter(
            shelter=OuterRef("pk"), person__isnull=False
        )
        return self.annotate(is_staffed=Exists(staffed))

    def open(self, on=None):
        """Shelters not yet closed (a closing date may lie in the future)."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on or today()))


class Shelter(models.Model):
    """An Unterkunft for refugees."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Aufnahmeeinrichtung (AE)")
        ARRIVAL_CENTRE = "arrival_centre", _("Ankunftszentrum")
        COMMUNITY = "community", _("Gemeinschaftsunterkunft (GU)")
        EMERGENCY = "emergency", _("Notunterkunft (NU)")
        MODULAR = "modular", _("Modulare Unterkunft (MUF)")
        TEMPOHOME = "tempohome", _("Tempohome")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind)
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shelters",
        limit_choices_to={"kind": Organisation.Kind.OPERATOR},
        verbose_name=_("Betreiber"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="shelters", verbose_name=_("Bezirk")
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100, default="Berlin")
    latitude = models.DecimalField(
        _("Breitengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("Längengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address_public = models.BooleanField(
        _("Adresse öffentlich"),
        default=False,
        help_text=_(
            "Nur wenn BfE zustimmt: sonst sieht die Öffentlichkeit die Unterkunft nur auf "
            "Bezirksebene."
        ),
    )
    capacity = models.PositiveIntegerField(_("Plätze"), default=0)
    residents = models.PositiveIntegerField(_("aktuelle Bewohner:innen"), default=0)
    opened_on = models.DateField(_("eröffnet am"), null=True, blank=True)
    closed_on = models.DateField(_("geschlossen am"), null=True, blank=True)
    description = models.TextField(_("Öffentliche Beschreibung"), blank=True)
    languages = models.JSONField(_("Sprachen der Bewohner:innen"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShelterQuerySet.as_manager()

    class Meta:
        verbose_name = _("Unterkunft")
        verbose_name_plural = _("Unterkünfte")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["district", "name"]),
            # The directory's page: the first rows in its order, without sorting every shelter.
            models.Index(fields=["name", "id"], name="shelter_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="shelter_closed_after_opened",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:shelter_detail", args=[self.pk])

    def current_region(self, on=None):
        """The region of the shelter's district on `on` (default today), or None: see
        `Region.objects.of_district`. One query."""
        return Region.objects.of_district(self.district_id, on)

    @property
    def is_closed(self):
        return self.closed_on is not None and self.closed_on <= today()

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    @property
    def language_names(self):
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages]

    @property
    def occupancy_percent(self):
        if not self.capacity:
            return None
        return round(100 * self.residents / self.capacity)


def _current_q(on=None):
    on = on or today()
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def _any(*conditions):
    """The OR of the given conditions (None stands for none); false when there are none."""
    present = [q for q in conditions if q is not None]
    return functools.reduce(operator.or_, present) if present else Q(pk__in=[])


def _flag(*conditions):
    return Case(
        When(_any(*conditions), then=True), default=False, output_field=models.BooleanField()
    )


class CoordinatorPositionQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(_current_q(on))

    def visible_to(self, user):
        """The posts a person may see, and how much of each.

        - BfE staff of the shelter (the lead; the regional coordinator of the region that covers
          its district today) see every post, past ones and vacancies included, with hours.
        - Other BfE staff and every current coordinator see the current holders (colleagues
          network with each other).
        - Everyone else, anonymous visitors included, sees only the holders who opted in to a
          public work contact.

        Annotates `shows_history` (the viewer sees the post as the shelter's BfE staff),
        `weekly_hours` (the hours, or None where the viewer may not see them) and
        `contact_editable` (the viewer may switch the post's public contact). The stored
        hours are not loaded: read `weekly_hours`.
        """
        roles = Roles.of(user)
        held = _current_q() & Q(person__isnull=False)
        if roles.is_admin:
            in_care = Q(pk__isnull=False)
        elif roles.region_ids:
            in_care = Q(_in_current_regions(roles.region_ids, "shelter__district_id"))
        else:
            in_care = None
        if roles.is_coordinator:
            colleague = held
        elif roles.region_ids:
            # A regional coordinator whose region has ended is staff no longer: public only.
            still_staff = Exists(Region.objects.current().filter(pk__in=roles.region_ids))
            colleague = held & (Q(still_staff) | Q(public_contact=True))
        else:
            colleague = held & Q(public_contact=True)
        own = held & Q(person=user.pk) if roles.is_coordinator else None
        hours = self.model._meta.get_field("hours_per_week")
        return (
            self.filter(_any(colleague, in_care))
            .defer("hours_per_week")
            .annotate(
                shows_history=_flag(in_care),
                weekly_hours=Case(
                    When(_any(in_care), then=F("hours_per_week")), default=None, output_field=hours
                ),
                contact_editable=_flag(in_care, own),
            )
        )

    def contact_editable_by(self, user):
        """Current staffed posts whose public contact a person may switch: her own, and those
        at the shelters she looks after as BfE staff."""
        own = Q(person=user.pk) if Roles.of(user).is_coordinator else None
        in_care = Q(shelter__in=Shelter.objects.in_staff_care_of(user).values("pk"))
        return self.current().filter(person__isnull=False).filter(_any(own, in_care))

    def past(self, on=None):
        return self.filter(ends_on__lt=on or today())


class CoordinatorPosition(models.Model):
    """A post of Ehrenamtskoordinator:in at a shelter. A post without a person is a vacancy;
    a shelter with no current staffed post is vacant."""

    shelter = models.ForeignKey(
        Shelter, on_delete=models.CASCADE, related_name="positions", verbose_name=_("Unterkunft")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator_positions",
        verbose_name=_("Person"),
    )
    starts_on = models.DateField(_("von"))
    ends_on = models.DateField(_("bis"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("Wochenstunden"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    public_contact = models.BooleanField(
        _("Öffentlicher Arbeitskontakt"),
        default=False,
        help_text=_(
            "Name und dienstliche E-Mail-Adresse erscheinen auf der Seite der Unterkunft für "
            "alle, auch ohne Anmeldung."
        ),
    )

    objects = CoordinatorPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Koordinationsstelle")
        verbose_name_plural = _("Koordinationsstellen")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["shelter", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self):
        holder = self.person or _("unbesetzt")
        return f"{self.shelter}: {holder}"

    @property
    def is_vacant(self):
        return self.person_id is None

    @property
    def is_current(self):
        on = today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)
