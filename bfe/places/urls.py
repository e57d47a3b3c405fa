from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("regionen/", views.region_list, name="region_list"),
    path("regionen/<slug:slug>/", views.region_detail, name="region_detail"),
    path("unterkuenfte/", views.shelter_list, name="shelter_list"),
    path("unterkuenfte/karte.geojson", views.shelter_map, name="shelter_map"),
    path(
        "unterkuenfte/vorschlaege/<slug:field>/",
        views.filter_suggestions,
        name="filter_suggestions",
    ),
    path("unterkuenfte/<int:pk>/", views.shelter_detail, name="shelter_detail"),
    path("unterkuenfte/<int:pk>/bearbeiten/", views.shelter_edit, name="shelter_edit"),
    path(
        "unterkuenfte/<int:pk>/stellen/<int:position_pk>/beenden/",
        views.position_end,
        name="position_end",
    ),
    path(
        "unterkuenfte/<int:pk>/stellen/<int:position_pk>/kontakt/",
        views.position_contact,
        name="position_contact",
    ),
]
