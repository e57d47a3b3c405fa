from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CoordinatorPosition, District, Organisation, Region, Shelter


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    search_fields = ["name", "number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions are data: BfE re-cuts them by giving old ones an end date and adding new ones."""

    list_display = ["name", "slug", "valid_from", "valid_until", "contact_email"]
    list_filter = ["valid_until"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "website"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
    show_facets = admin.ShowFacets.ALWAYS


class CoordinatorPositionInline(admin.TabularInline):
    model = CoordinatorPosition
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "starts_on", "ends_on", "hours_per_week", "public_contact"]


class VacancyFilter(admin.SimpleListFilter):
    title = _("Koordination")
    parameter_name = "vacancy"

    def lookups(self, request, model_admin):
        return [("vacant", _("unbesetzt")), ("staffed", _("besetzt"))]

    def queryset(self, request, queryset):
        if self.value() in {"vacant", "staffed"}:
            return queryset.with_vacancy().filter(is_staffed=self.value() == "staffed")
        return queryset


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "operator", "residents", "capacity", "closed_on"]
    list_filter = ["kind", "district", VacancyFilter, "address_public", "closed_on"]
    list_select_related = ["district", "operator"]
    search_fields = ["name", "street", "postcode"]
    autocomplete_fields = ["operator"]
    inlines = [CoordinatorPositionInline]
    show_facets = admin.ShowFacets.ALWAYS


@admin.register(CoordinatorPosition)
class CoordinatorPositionAdmin(admin.ModelAdmin):
    list_display = ["shelter", "person", "starts_on", "ends_on", "hours_per_week", "public_contact"]
    list_filter = ["ends_on", "public_contact"]
    list_select_related = ["shelter", "person"]
    search_fields = ["shelter__name", "person__email", "person__full_name"]
    autocomplete_fields = ["shelter", "person"]
    date_hierarchy = "starts_on"
