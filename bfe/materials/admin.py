from django.contrib import admin

from .models import Category, Collection, CollectionItem, Material, MaterialVersion, Suggestion, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class VersionInline(admin.TabularInline):
    model = MaterialVersion
    extra = 0
    fields = ["number", "file_name", "file_type", "size", "uploaded_at", "extraction_status"]
    readonly_fields = fields
    can_delete = False


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "audience", "status", "file_type", "reviewed_on"]
    list_filter = ["status", "audience", "category", "file_type"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["created_by"]
    inlines = [VersionInline]


class ItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ["material"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "is_featured", "training_level", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ItemInline]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["material", "suggested_by", "decided_by", "created_material"]
