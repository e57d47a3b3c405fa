"""URLs of the materials library under /materialien/. Each part keeps its routes in its own module
under routes/ (library pages, search, suggestions and moderation)."""

from .routes import library, moderation, search

app_name = "materials"

urlpatterns = [
    *search.patterns,
    *moderation.patterns,
    *library.patterns,
]
