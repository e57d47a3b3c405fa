from django.urls import path

from .views import attendance, catalog, feeds, registration, training

app_name = "events"

urlpatterns = [
    # The calendar (catalog.py): public list and month view, detail, organisers' editing.
    path("veranstaltungen/", catalog.event_list, name="list"),
    path("veranstaltungen/monat/<int:year>/<int:month>/", catalog.event_month, name="month"),
    path("veranstaltungen/neu/", catalog.event_create, name="create"),
    path("veranstaltungen/<int:pk>/", catalog.event_detail, name="detail"),
    path("veranstaltungen/<int:pk>/bearbeiten/", catalog.event_edit, name="edit"),
    path("veranstaltungen/<int:pk>/absagen/", catalog.event_cancel, name="cancel"),
    path("veranstaltungen/reihen/neu/", catalog.series_create, name="series_create"),
    path("veranstaltungen/reihen/<int:pk>/", catalog.series_detail, name="series_detail"),
    # Registration (registration.py).
    path("veranstaltungen/<int:pk>/anmelden/", registration.register, name="register"),
    path("veranstaltungen/<int:pk>/abmelden/", registration.unregister, name="unregister"),
    path("veranstaltungen/<int:pk>/gast/", registration.guest_register, name="guest_register"),
    path("veranstaltungen/gast/<str:token>/", registration.guest_manage, name="guest_manage"),
    path("veranstaltungen/<int:pk>/einladen/", registration.invite_region, name="invite_region"),
    path("meine-anmeldungen/", registration.my_registrations, name="my_registrations"),
    # Running an event (attendance.py): participants, check-in, lists, documents.
    path("veranstaltungen/<int:pk>/teilnehmende/", attendance.participants, name="participants"),
    path(
        "veranstaltungen/<int:pk>/teilnehmende.csv",
        attendance.participants_csv,
        name="participants_csv",
    ),
    path(
        "veranstaltungen/<int:pk>/teilnehmende.xlsx",
        attendance.participants_xlsx,
        name="participants_xlsx",
    ),
    path("veranstaltungen/<int:pk>/einlass/", attendance.check_in, name="check_in"),
    path(
        "veranstaltungen/<int:pk>/einlass/<int:registration_pk>/",
        attendance.check_in_toggle,
        name="check_in_toggle",
    ),
    path("veranstaltungen/<int:pk>/einlass/spontan/", attendance.walk_in, name="walk_in"),
    path(
        "veranstaltungen/<int:pk>/anwesenheitsliste.pdf",
        attendance.attendance_pdf,
        name="attendance_pdf",
    ),
    path("veranstaltungen/<int:pk>/dokumente/", attendance.documents, name="documents"),
    path(
        "veranstaltungen/<int:pk>/dokumente/<int:document_pk>/",
        attendance.document,
        name="document",
    ),
    # Calendars (feeds.py).
    path("veranstaltungen/feed.ics", feeds.public_feed, name="public_feed"),
    path("veranstaltungen/<int:pk>/kalender.ics", feeds.event_ics, name="ics"),
    path("kalender/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("meine-anmeldungen/kalender-link/", feeds.feed_reset, name="feed_reset"),
    # Training series (training.py).
    path("fortbildungen/", training.training_list, name="training_list"),
    path("fortbildungen/<int:pk>/", training.training_detail, name="training_detail"),
    path("fortbildungen/<int:pk>/einschreiben/", training.enrol, name="training_enrol"),
    path("fortbildungen/<int:pk>/austragen/", training.withdraw, name="training_withdraw"),
    path(
        "fortbildungen/<int:pk>/teilnehmende/",
        training.training_participants,
        name="training_participants",
    ),
    path("bescheinigungen/<int:pk>.pdf", training.certificate_pdf, name="certificate_pdf"),
    path(
        "bescheinigungen/pruefen/<str:code>/",
        training.certificate_verify,
        name="certificate_verify",
    ),
]
