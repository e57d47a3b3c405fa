from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Areas are data that BfE staff edit; the people's records stay out of the admin, where
    nothing would scope them to their shelter."""

    list_display = [
        "name",
        "name_en",
        "position",
        "needs_infection_briefing",
        "works_with_children",
    ]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
