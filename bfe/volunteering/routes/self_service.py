"""Routes of the self_service part (see bfe/volunteering/urls.py): a volunteer's own pages,
the coordinator's side of hours, and the public check of an Ehrenamtsnachweis."""

from django.urls import path

from ..views import self_service as own
from ..views import self_service_coordination as coordination

patterns = [
    path("engagement/nachweis/<str:code>/", own.attestation_verify, name="attestation_verify"),
    path("mein-engagement/stunden/", own.my_hours, name="self_service_hours"),
    path("mein-engagement/nachweis/", own.my_attestation, name="self_service_attestation"),
    path(
        "mein-engagement/nachweise/<int:pk>.pdf",
        own.my_attestation_pdf,
        name="self_service_attestation_pdf",
    ),
    path("mein-engagement/profil/", own.my_profile, name="self_service_profile"),
    path("mein-engagement/bewerbungen/", own.my_applications, name="self_service_applications"),
    path(
        "mein-engagement/bewerbungen/<int:pk>/zurueckziehen/",
        own.withdraw_application,
        name="self_service_withdraw",
    ),
    path("freiwillige/stunden/", coordination.hours_review, name="self_service_hours_review"),
    path(
        "freiwillige/stunden/erfassen/",
        coordination.hours_record,
        name="self_service_hours_record",
    ),
    path(
        "freiwillige/stunden/<int:pk>/", coordination.hours_entry, name="self_service_hours_entry"
    ),
    path(
        "freiwillige/stunden/nachweis/<int:pk>/",
        coordination.attestation_for_volunteer,
        name="self_service_shelter_attestation",
    ),
    path(
        "freiwillige/stunden/nachweise/<int:pk>.pdf",
        coordination.attestation_pdf,
        name="self_service_shelter_attestation_pdf",
    ),
    path(
        "freiwillige/stunden/nachweise/<int:pk>/widerrufen/",
        coordination.attestation_revoke,
        name="self_service_attestation_revoke",
    ),
]
