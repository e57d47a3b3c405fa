"""Routes of the shifts part (see bfe/volunteering/urls.py)."""

from django.urls import path

from ..views import shifts as views

patterns = [
    path("freiwillige/angebote/<int:pk>/einsaetze/", views.shifts_list, name="shifts_list"),
    path("freiwillige/einsaetze/<int:pk>/", views.shift_detail, name="shift_detail"),
    path("mein-engagement/einsaetze/", views.shifts_mine, name="shifts_mine"),
    path("mein-engagement/link/<str:token>/", views.shifts_link, name="shifts_link"),
    path(
        "mein-engagement/link/<str:token>/einsaetze.ics",
        views.shifts_link_feed,
        name="shifts_link_feed",
    ),
]
