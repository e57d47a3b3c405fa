"""Routes of the extraction part (see bfe/materials/urls.py)."""

from django.urls import path

from ..views import extraction as views

patterns = [
    path("texterkennung/", views.extraction_list, name="extraction"),
    path(
        "texterkennung/<int:pk>/erneut/",
        views.extraction_retry,
        name="extraction_retry",
    ),
]
