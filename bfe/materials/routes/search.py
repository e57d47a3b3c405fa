"""Routes of the search part (see bfe/materials/urls.py)."""

from django.urls import path

from ..views import search

patterns = [
    path("suche/", search.search, name="search"),
]
