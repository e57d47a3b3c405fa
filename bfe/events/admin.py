"""The technical admin of events. Seats and statuses change through the services on the site;
here registrations are read-only, so that nobody overbooks an event by hand."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Certificate,
    Document,
    Enrolment,
    Event,
    Registration,
    Series,
    TrainingModule,
    TrainingSeries,
)


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["display_name", "status", "waitlisted_at", "attended", "is_walk_in", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("Name"))
    def display_name(self, registration):
        return registration.display_name

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "region", "status", "capacity", "audience"]
    list_filter = ["kind", "status", "region", "audience"]
    list_select_related = ["region"]
    search_fields = ["title", "venue_name", "venue_address"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organisers"]
    raw_id_fields = ["series", "training_series", "created_by"]
    readonly_fields = ["uid", "sequence", "created_at", "updated_at"]
    inlines = [RegistrationInline, DocumentInline]
    show_facets = admin.ShowFacets.ALWAYS


class OccurrenceInline(admin.TabularInline):
    model = Event
    fk_name = "series"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["series_slot", "starts_at", "status"]
    readonly_fields = fields
    ordering = ["series_slot"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "rrule", "starts_on", "until"]
    list_filter = ["region"]
    search_fields = ["title"]
    autocomplete_fields = ["organisers"]
    inlines = [OccurrenceInline]


class ModuleEventInline(admin.TabularInline):
    model = Event
    fk_name = "training_series"
    extra = 0
    show_change_link = True
    fields = ["module", "title", "starts_at", "ends_at", "status"]
    readonly_fields = ["title", "starts_at", "ends_at", "status"]
    ordering = ["starts_at"]

    def has_add_permission(self, request, obj=None):
        # Module events need a kind, place and time: they are created as events.
        return False


@admin.register(TrainingSeries)
class TrainingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "year", "seats", "is_published", "enrolment_closes_at"]
    list_filter = ["level", "year", "is_published"]
    search_fields = ["title"]
    autocomplete_fields = ["organisers"]
    inlines = [ModuleEventInline]


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ["level", "number", "title", "hours"]
    list_filter = ["level"]
    ordering = ["level", "number"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "is_walk_in", "event__kind"]
    list_select_related = ["event", "person"]
    search_fields = ["person__email", "person__full_name", "guest_email", "guest_name"]
    raw_id_fields = ["event", "person"]
    # Seats are taken and freed by the registration services only (they lock the event).
    readonly_fields = ["status", "token_hash", "waitlisted_at", "confirmed_at", "cancelled_at"]
    show_facets = admin.ShowFacets.ALWAYS

    def has_add_permission(self, request):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "series", "status", "created_at"]
    list_filter = ["status", "series"]
    list_select_related = ["person", "series"]
    search_fields = ["person__email", "person__full_name"]
    raw_id_fields = ["person"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "series", "verification_code", "hours", "issued_at"]
    list_filter = ["series", "revoked_at"]
    list_select_related = ["series"]
    search_fields = ["holder_name", "verification_code", "person__email"]
    raw_id_fields = ["person"]
    readonly_fields = ["verification_code", "issued_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    raw_id_fields = ["event", "uploaded_by"]
