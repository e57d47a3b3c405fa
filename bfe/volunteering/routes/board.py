"""Routes of the board part (see bfe/volunteering/urls.py): the coordinators' opportunities
under /freiwillige/angebote/, the public board and "Ich möchte helfen" under /engagement/."""

from django.urls import path

from ..views import board as views

patterns = [
    path("freiwillige/angebote/", views.manage_list, name="board_manage"),
    path("freiwillige/angebote/neu/", views.manage_create, name="board_create"),
    path("freiwillige/angebote/<int:pk>/bearbeiten/", views.manage_edit, name="board_edit"),
    path("freiwillige/angebote/<int:pk>/status/", views.manage_status, name="board_status"),
    path("engagement/", views.board, name="board"),
    path("engagement/karte.geojson", views.board_map, name="board_map"),
    path("engagement/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("engagement/<int:pk>/helfen/", views.apply, name="board_apply"),
    path("engagement/<int:pk>/helfen/gesendet/", views.apply_sent, name="board_apply_sent"),
    path("engagement/bestaetigen/<str:token>/", views.confirm, name="board_confirm"),
]
