from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("einladungen/", views.invitation_list, name="invitation_list"),
    path("einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladungen/<int:pk>/erneut-senden/", views.invitation_resend, name="invitation_resend"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("konto/meine-daten/", views.my_data, name="my_data"),
    path("konto/meine-daten/drucken/", views.my_data_print, name="my_data_print"),
    path("konto/meine-daten/export.json", views.my_data_json, name="my_data_json"),
    path("konto/meine-daten/export.pdf", views.my_data_pdf, name="my_data_pdf"),
    path(
        "konto/meine-daten/einwilligung/<str:key>/widerrufen/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("konto/loeschen/", views.account_delete, name="account_delete"),
    path("konto/geloescht/", views.account_deleted, name="account_deleted"),
]
