"""Routes of the privacy part (see bfe/volunteering/urls.py). Her account's pages ("Meine
Daten", export, deletion) are under /konto/ (bfe/accounts/urls.py); these serve a person
without an account through her record's personal link."""

from django.urls import path

from ..views import privacy as views

patterns = [
    path("mein-engagement/daten/<str:token>/", views.record_data, name="privacy_record"),
    path(
        "mein-engagement/daten/<str:token>/export.json",
        views.record_data_json,
        name="privacy_record_json",
    ),
    path(
        "mein-engagement/daten/<str:token>/loeschen/",
        views.record_delete,
        name="privacy_record_delete",
    ),
]
