import base64
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

INVITATION_LINK_SALT = "bfe.accounts.invitation-link"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    class Language(models.TextChoices):
        GERMAN = "de", _("Deutsch")
        ENGLISH = "en", _("Englisch")

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    full_name = models.CharField(_("Name"), max_length=150, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=5, choices=Language, default=Language.GERMAN
    )
    is_staff = models.BooleanField(
        _("Zugang zur Verwaltung"),
        default=False,
        help_text=_("Darf die technische Verwaltungsoberfläche (Django-Admin) öffnen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self):
        """The person's roles and their scopes, read once per request."""
        return Roles.for_user(self)


class Role(models.Model):
    """A role held by a person. Coordinators are not listed here: their role follows from a
    current CoordinatorPosition, so that it ends when the position ends."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Projektleitung BfE")
        REGIONAL_COORDINATOR = "regional_coordinator", _("Regionalkoordinator:in")
        PARTNER = "partner", _("Partner")
        VOLUNTEER = "volunteer", _("Freiwillige:r")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_set"
    )
    kind = models.CharField(_("Rolle"), max_length=32, choices=Kind)
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("Region"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="regional_coordinator") & Q(region__isnull=False))
                | (~Q(kind="regional_coordinator") & Q(region__isnull=True)),
                name="role_region_only_for_regional_coordinators",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(region__isnull=True),
                name="role_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "region"],
                condition=Q(region__isnull=False),
                name="role_unique_per_region",
            ),
        ]

    def __str__(self):
        if self.region_id:
            return f"{self.get_kind_display()} ({self.region})"
        return str(self.get_kind_display())


@dataclass(frozen=True)
class Roles:
    """What a person may do, resolved in at most two queries."""

    # The apps whose data a person's roles are read from: what is cached per person must be
    # read again when they change (bfe/core/dashboard.py).
    SOURCE_APPS = ("accounts", "places")

    is_authenticated: bool = False
    is_admin: bool = False
    region_ids: frozenset = field(default_factory=frozenset)
    shelter_ids: frozenset = field(default_factory=frozenset)
    is_partner: bool = False
    is_volunteer: bool = False

    @classmethod
    def for_user(cls, user):
        if not user or not user.is_authenticated or not user.is_active:
            return cls()
        kinds = set()
        region_ids = set()
        for kind, region_id in user.role_set.values_list("kind", "region_id"):
            kinds.add(kind)
            if region_id:
                region_ids.add(region_id)
        # Through the reverse relation: accounts does not import places, which imports Roles.
        shelter_ids = frozenset(
            user.coordinator_positions.current().values_list("shelter_id", flat=True)
        )
        return cls(
            is_authenticated=True,
            is_admin=user.is_superuser or Role.Kind.ADMIN in kinds,
            region_ids=frozenset(region_ids),
            shelter_ids=shelter_ids,
            is_partner=Role.Kind.PARTNER in kinds,
            is_volunteer=Role.Kind.VOLUNTEER in kinds,
        )

    @classmethod
    def of(cls, user):
        """Roles of any user object, the anonymous one included."""
        if user is None or not user.is_authenticated:
            return cls()
        return user.roles

    @property
    def is_regional_coordinator(self):
        return bool(self.region_ids)

    @property
    def is_coordinator(self):
        return bool(self.shelter_ids)

    @property
    def is_bfe_staff(self):
        """BfE's own staff: the project lead and the regional coordinators."""
        return self.is_admin or self.is_regional_coordinator

    @property
    def sees_exact_addresses(self):
        return self.is_bfe_staff or self.is_coordinator

    def labels(self):
        labels = []
        if self.is_admin:
            labels.append(Role.Kind.ADMIN.label)
        if self.is_regional_coordinator:
            labels.append(Role.Kind.REGIONAL_COORDINATOR.label)
        if self.is_coordinator:
            labels.append(_("Ehrenamtskoordinator:in"))
        if self.is_partner:
            labels.append(Role.Kind.PARTNER.label)
        if self.is_volunteer:
            labels.append(Role.Kind.VOLUNTEER.label)
        return labels


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(token_salt):
    """The raw token of an invitation link, derived from the invitation's random salt and the
    SECRET_KEY: the e-mail task rebuilds the link when it runs, so neither the queue nor the
    database holds it (a copy of the database alone opens no invitation)."""
    digest = salted_hmac(INVITATION_LINK_SALT, token_salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def with_status(self, status):
        """Invitations in one status; the status is derived from timestamps, never stored."""
        if status == Invitation.Status.PENDING:
            return self.pending()
        if status == Invitation.Status.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == Invitation.Status.REVOKED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        if status == Invitation.Status.EXPIRED:
            return self.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()
            )
        return self

    def visible_to(self, user):
        if Roles.of(user).is_admin:
            return self
        return self.none()


class Invitation(models.Model):
    """An admin's invitation to take a role with a scope. Only the token's hash and the salt it
    is derived from are stored."""

    class Kind(models.TextChoices):
        REGIONAL_COORDINATOR = "regional_coordinator", _("Regionalkoordinator:in")
        COORDINATOR = "coordinator", _("Ehrenamtskoordinator:in")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        REVOKED = "revoked", _("zurückgezogen")
        EXPIRED = "expired", _("abgelaufen")

    email = models.EmailField(_("E-Mail-Adresse"))
    full_name = models.CharField(_("Name"), max_length=150, blank=True)
    language = models.CharField(
        _("Sprache der E-Mail"), max_length=5, choices=User.Language, default=User.Language.GERMAN
    )
    kind = models.CharField(_("Rolle"), max_length=32, choices=Kind)
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("Region"),
    )
    shelter = models.ForeignKey(
        "places.Shelter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("Unterkunft"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Not secret without the SECRET_KEY; see invitation_token().
    token_salt = models.CharField(max_length=32, editable=False, default="")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="regional_coordinator", region__isnull=False, shelter__isnull=True)
                    | Q(kind="coordinator", region__isnull=True, shelter__isnull=False)
                    | Q(kind="partner", region__isnull=True, shelter__isnull=True)
                ),
                name="invitation_scope_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_kind_display()}"

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def scope(self):
        return self.region or self.shelter or ""
