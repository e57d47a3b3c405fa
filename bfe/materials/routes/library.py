"""Routes of the library part (see bfe/materials/urls.py)."""

from django.urls import path

from ..views import library as views

patterns = [
    path("", views.index, name="index"),
    path("neu/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/datei/", views.download, name="download"),
    path("<int:pk>/versionen/<int:number>/", views.version_download, name="version_download"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/datei-ersetzen/", views.replace, name="replace"),
    path("<int:pk>/archivieren/", views.archive, name="archive"),
    path("sammlungen/", views.collection_list, name="collection_list"),
    path("sammlungen/neu/", views.collection_create, name="collection_create"),
    path("sammlungen/<slug:slug>/", views.collection, name="collection"),
    path("sammlungen/<slug:slug>/bearbeiten/", views.collection_edit, name="collection_edit"),
    path("sammlungen/<slug:slug>/hinzufuegen/", views.collection_add, name="collection_add"),
    path(
        "sammlungen/<slug:slug>/eintraege/<int:item_pk>/",
        views.collection_item,
        name="collection_item",
    ),
]
