from django.urls import path

from .views import figures, followups, log, requests

app_name = "consultations"

urlpatterns = [
    # The regional coordinator's start page: shelters nobody reached lately.
    path("beratung/kontaktliste/", figures.outreach, name="outreach"),
    path("beratung/zahlen/", figures.statistics, name="statistics"),
    path("beratung/zahlen.csv", figures.statistics_csv, name="statistics_csv"),
    # Requests by coordinators.
    path("beratung/anfragen/", requests.request_list, name="request_list"),
    path("beratung/anfragen/neu/", requests.request_create, name="request_create"),
    path("beratung/anfragen/<int:pk>/", requests.request_detail, name="request_detail"),
    path("beratung/anfragen/<int:pk>/termin/", requests.request_schedule, name="request_schedule"),
    path("beratung/anfragen/<int:pk>/absagen/", requests.request_decline, name="request_decline"),
    # The log.
    path("beratung/protokoll/", log.consultation_list, name="list"),
    path("beratung/protokoll/neu/", log.consultation_create, name="create"),
    path("beratung/protokoll/<int:pk>/", log.consultation_detail, name="detail"),
    path("beratung/protokoll/<int:pk>/bearbeiten/", log.consultation_edit, name="edit"),
    path(
        "beratung/protokoll/<int:pk>/anhaenge/<int:attachment_pk>/",
        log.attachment_download,
        name="attachment",
    ),
    path(
        "beratung/verlauf/unterkunft/<int:shelter_pk>/",
        log.shelter_timeline,
        name="shelter_timeline",
    ),
    path("beratung/verlauf/person/<int:user_pk>/", log.person_timeline, name="person_timeline"),
    # Follow-ups.
    path("beratung/aufgaben/", followups.followup_list, name="followups"),
    path("beratung/aufgaben/neu/", followups.followup_create, name="followup_create"),
    path("beratung/aufgaben/<int:pk>/erledigt/", followups.followup_done, name="followup_done"),
]
