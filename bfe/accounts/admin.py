from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Invitation, Role, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ["kind", "region", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People sign in with their e-mail address; there is no username."""

    form = UserEditForm
    add_form = UserCreationForm
    inlines = [RoleInline]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "role_set__kind", "language"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (
            _("Berechtigungen"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Invitation.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Invitation.Status.values:
            return queryset.with_status(self.value())
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the invitation page, so that the e-mail goes out; here they
    are looked up and revoked."""

    list_display = ["email", "full_name", "kind", "scope", "status_label", "expires_at"]
    list_filter = [InvitationStatusFilter, "kind", "language"]
    list_select_related = ["region", "shelter"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "created_at"
    actions = ["revoke"]
    fields = [
        "email",
        "full_name",
        "language",
        "kind",
        "region",
        "shelter",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Status"))
    def status_label(self, invitation):
        return invitation.status.label

    @admin.action(description=_("Ausgewählte Einladungen zurückziehen"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                services.revoke_invitation(invitation=invitation, by=request.user)
            except PermissionDenied:
                self.message_user(
                    request,
                    _("Nur die Projektleitung darf Einladungen zurückziehen."),
                    messages.ERROR,
                )
                return
            except ValidationError as error:
                self.message_user(
                    request, f"{invitation.email}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                revoked += 1
        if revoked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Einladung zurückgezogen.",
                    "%(count)d Einladungen zurückgezogen.",
                    revoked,
                )
                % {"count": revoked},
                messages.SUCCESS,
            )
