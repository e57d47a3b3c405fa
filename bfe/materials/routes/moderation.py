"""Routes of the moderation part (see bfe/materials/urls.py): suggestions, the moderation queue
and the review of materials due."""

from django.urls import path

from ..views import moderation as views

patterns = [
    path("vorschlagen/", views.suggest, name="suggest"),
    path("meine-vorschlaege/", views.my_suggestions, name="my_suggestions"),
    path("vorschlaege/", views.queue, name="moderation"),
    path("vorschlaege/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("vorschlaege/<int:pk>/datei/", views.suggestion_file, name="suggestion_file"),
    path("vorschlaege/<int:pk>/annehmen/", views.suggestion_accept, name="suggestion_accept"),
    path("vorschlaege/<int:pk>/ablehnen/", views.suggestion_reject, name="suggestion_reject"),
    path("pruefen/", views.review, name="review"),
    path("pruefen/<int:pk>/", views.mark_reviewed, name="mark_reviewed"),
]
