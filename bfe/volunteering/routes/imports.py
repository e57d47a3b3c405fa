"""Routes of the imports part (see bfe/volunteering/urls.py)."""

from django.urls import path

from ..views import imports as views

patterns = [
    path("freiwillige/import/", views.upload, name="import_upload"),
    path("freiwillige/import/<int:pk>/", views.status, name="import_status"),
    path("freiwillige/import/<int:pk>/zuordnung/", views.mapping, name="import_mapping"),
    path("engagement/behalten/<str:token>/", views.keep_data, name="retention_keep"),
]
