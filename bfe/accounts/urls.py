from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("einladungen/", views.invitation_list, name="invitation_list"),
    path("einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladungen/<int:pk>/erneut-senden/", views.invitation_resend, name="invitation_resend"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
