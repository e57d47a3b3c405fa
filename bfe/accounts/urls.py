from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("einladungen/", views.invitation_list, name="invitation_list"),
]
