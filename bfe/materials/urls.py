"""URLs of the materials library under /materialien/. Each part keeps its routes in its own module
under routes/ (library pages, search, suggestions and moderation, text extraction)."""

from .routes import extraction, library, moderation, search

app_name = "materials"

urlpatterns = [
    *search.patterns,
    *moderation.patterns,
    *extraction.patterns,
    *library.patterns,
]
