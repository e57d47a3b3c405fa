"""Technical management of consultations. Lists never show the confidential note."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Attachment, Consultation, ConsultationRequest, FollowUp, Topic
from .services.contacts import refresh_shelter_contacts


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics are retired, not deleted: old consultations keep them."""

    list_display = ["name", "name_en", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["retire", "reactivate"]

    @admin.action(description=_("Ausgewählte Themen ausmustern"), permissions=["change"])
    def retire(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d Thema ausgemustert; alte Beratungen behalten es.",
                "%(count)d Themen ausgemustert; alte Beratungen behalten sie.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ausgewählte Themen wieder aktivieren"), permissions=["change"])
    def reactivate(self, request, queryset):
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d Thema aktiviert.", "%(count)d Themen aktiviert.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Deleting a topic would silently strip it from every consultation that used it.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.consultations.exists() or obj.requests.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    list_display = ["shelter", "region", "status", "urgency", "preferred_format", "created_at"]
    list_filter = ["status", "urgency", "region", "preferred_format"]
    list_select_related = ["shelter", "region"]
    search_fields = ["shelter__name", "requested_by__email", "requested_by__full_name"]
    autocomplete_fields = ["shelter", "requested_by", "answered_by"]
    filter_horizontal = ["topics"]
    date_hierarchy = "created_at"
    show_facets = admin.ShowFacets.ALWAYS


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["title", "due_on", "owner", "done_at"]
    autocomplete_fields = ["owner"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    # No confidential_note here: a list is read over shoulders and screenshots.
    list_display = ["held_on", "shelter", "region", "format", "duration_minutes", "logged_by"]
    list_filter = ["region", "format", "topics"]
    list_select_related = ["shelter", "region", "logged_by"]
    search_fields = ["shelter__name"]
    autocomplete_fields = ["shelter", "participants", "logged_by", "request"]
    filter_horizontal = ["topics"]
    date_hierarchy = "held_on"
    # Counts on request: with half a million consultations, counting on every page costs seconds.
    show_facets = admin.ShowFacets.ALLOW
    inlines = [FollowUpInline, AttachmentInline]

    # The outreach list reads each shelter's maintained last consultation: keep it current.
    def save_model(self, request, obj, form, change):
        before = Consultation.objects.filter(pk=obj.pk).values_list("shelter_id", flat=True)
        shelter_ids = {obj.shelter_id, *before} if change else {obj.shelter_id}
        super().save_model(request, obj, form, change)
        refresh_shelter_contacts(shelter_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_shelter_contacts({obj.shelter_id})

    def delete_queryset(self, request, queryset):
        shelter_ids = set(queryset.values_list("shelter_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_shelter_contacts(shelter_ids)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "due_on", "owner", "region", "shelter", "done_at"]
    list_filter = ["region", ("done_at", admin.EmptyFieldListFilter), "due_on"]
    list_select_related = ["owner", "region", "shelter"]
    search_fields = ["title", "shelter__name", "owner__email", "owner__full_name"]
    autocomplete_fields = ["owner", "consultation", "shelter", "created_by"]
    date_hierarchy = "due_on"
    show_facets = admin.ShowFacets.ALWAYS
