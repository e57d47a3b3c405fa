"""Routes of the pipeline part (see bfe/volunteering/urls.py): the coordinators' table, board
and records under /freiwillige/."""

from django.urls import path

from ..views import pipeline as views

patterns = [
    path("freiwillige/", views.pipeline, name="pipeline"),
    path("freiwillige/board/", views.board, name="pipeline_board"),
    path("freiwillige/neu/", views.add, name="pipeline_add"),
    path("freiwillige/vorlagen/", views.templates, name="pipeline_templates"),
    path("freiwillige/vorlagen/<str:kind>/", views.template_edit, name="pipeline_template"),
    path("freiwillige/checkliste/", views.checklist, name="pipeline_checklist"),
    path(
        "freiwillige/checkliste/<int:item_pk>/",
        views.checklist_item,
        name="pipeline_checklist_item",
    ),
    path("freiwillige/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("freiwillige/<int:pk>/verschieben/", views.move, name="pipeline_move"),
    path("freiwillige/<int:pk>/kontakt/", views.contact, name="pipeline_contact"),
    path("freiwillige/<int:pk>/stand/", views.stage, name="pipeline_stage"),
    path("freiwillige/<int:pk>/notizen/", views.note, name="pipeline_note"),
    path("freiwillige/<int:pk>/nachricht/", views.message, name="pipeline_message"),
    path(
        "freiwillige/<int:pk>/checkliste/<int:item_pk>/",
        views.checklist_tick,
        name="pipeline_checklist_tick",
    ),
    path("freiwillige/<int:pk>/fuehrungszeugnis/", views.clearance, name="pipeline_clearance"),
]
