"""The Ehrenamtsnachweis: confirmed hours of a period, as PDF (real WeasyPrint), issued by the
volunteer or her coordinator, checked publicly by its code with nothing more than it certifies."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bfe.volunteering.models import AccessLog, Attestation, HoursEntry
from bfe.volunteering.self_service_reads import render_attestation_html
from bfe.volunteering.services.hours import issue_attestation

from .factories import VolunteerFactory
from .factories_self_service import HoursEntryFactory, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(shelter, volunteer_user):
    return VolunteerFactory(
        shelter=shelter,
        user=volunteer_user,
        email=volunteer_user.email,
        full_name="Amira Haddad",
        phone="030 999888",
    )


@pytest.fixture
def worked(record):
    HoursEntryFactory(
        volunteer=record, hours=Decimal("12.5"), activity="Sprachcafé", date=days_ago(20)
    )
    HoursEntryFactory(
        volunteer=record, hours=Decimal("3"), activity="Sprachcafé", date=days_ago(10)
    )
    HoursEntryFactory(
        volunteer=record, hours=Decimal("4"), activity="Kleiderkammer", date=days_ago(5)
    )
    HoursEntryFactory(
        volunteer=record,
        hours=Decimal("8"),
        activity="Noch offen",
        date=days_ago(4),
        status=HoursEntry.Status.PROPOSED,
    )
    HoursEntryFactory(
        volunteer=record, hours=Decimal("5"), activity="Vor dem Zeitraum", date=days_ago(90)
    )
    return record


def pdf_text(content):
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_attestation_keeps_the_confirmed_hours_of_the_period_per_activity(
    worked, volunteer_user
):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )

    assert attestation.hours == Decimal("19.5")
    assert [(row["activity"], Decimal(row["hours"])) for row in attestation.activities] == [
        ("Sprachcafé", Decimal("15.5")),
        ("Kleiderkammer", Decimal("4")),
    ]
    assert attestation.holder_name == "Amira Haddad"
    assert attestation.shelter_name == worked.shelter.name
    assert len(attestation.verification_code) == 8


def test_the_volunteer_downloads_her_attestation_as_a_pdf(client, worked, volunteer_user):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_attestation"),
        {
            "record": worked.pk,
            "period_start": days_ago(30).isoformat(),
            "period_end": days_ago(0).isoformat(),
        },
    )
    attestation = Attestation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "volunteering:self_service_attestation_pdf", args=[attestation.pk]
    )

    download = client.get(response["Location"])

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "Ehrenamtsnachweis-" in download["Content-Disposition"]
    text = pdf_text(download.content)
    assert "Ehrenamtsnachweis" in text
    assert "Amira Haddad" in text
    assert worked.shelter.name in text
    assert "Sprachcafé" in text and "15,5" in text
    assert "Kleiderkammer" in text
    assert "19,5" in text
    assert "Noch offen" not in text and "Vor dem Zeitraum" not in text
    assert "Unterschrift der Ehrenamtskoordination" in text
    assert f"{attestation.verification_code[:4]}-{attestation.verification_code[4:]}" in text
    assert days_ago(30).strftime("%d.%m.%Y") in text


def test_the_attestations_html_names_the_period_and_the_check_page(worked, volunteer_user):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(1),
        issued_by=volunteer_user,
    )

    html = render_attestation_html(attestation, "de")

    assert reverse("volunteering:attestation_verify", args=[attestation.verification_code]) in html
    assert days_ago(1).strftime("%d.%m.%Y") in html


def test_a_period_without_confirmed_hours_is_refused_in_german(client, worked, volunteer_user):
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_attestation"),
        {
            "record": worked.pk,
            "period_start": days_ago(4).isoformat(),
            "period_end": days_ago(3).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "In diesem Zeitraum sind keine bestätigten Stunden erfasst." in response.text
    assert f'value="{days_ago(4).isoformat()}"' in response.text
    assert not Attestation.objects.exists()


def test_a_period_in_the_wrong_order_or_into_the_future_is_refused(client, worked, volunteer_user):
    client.force_login(volunteer_user)
    url = reverse("volunteering:self_service_attestation")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    backwards = client.post(
        url,
        {
            "record": worked.pk,
            "period_start": days_ago(1).isoformat(),
            "period_end": days_ago(9).isoformat(),
        },
    )
    future = client.post(
        url, {"record": worked.pk, "period_start": days_ago(1).isoformat(), "period_end": tomorrow}
    )

    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in backwards.text
    assert "Der Zeitraum darf höchstens bis heute reichen." in future.text
    assert not Attestation.objects.exists()


def test_nobody_else_downloads_her_attestation(
    client, worked, volunteer_user, someone, other_coordinator
):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )
    url = reverse("volunteering:self_service_attestation_pdf", args=[attestation.pk])
    for person in (someone, other_coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_her_coordinator_issues_an_attestation_for_her_and_it_is_logged(
    client, worked, coordinator
):
    client.force_login(coordinator)

    response = client.post(
        reverse("volunteering:self_service_shelter_attestation", args=[worked.pk]),
        {"period_start": days_ago(30).isoformat(), "period_end": days_ago(0).isoformat()},
    )

    attestation = Attestation.objects.get()
    assert attestation.issued_by == coordinator
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert "Amira Haddad" in pdf_text(download.content)
    assert AccessLog.objects.filter(
        volunteer=worked, actor=coordinator, action=AccessLog.Action.EXPORT
    ).exists()


@pytest.mark.parametrize("person", ["other_coordinator", "regional_coordinator", "lead", "partner"])
def test_nobody_but_her_shelters_coordinator_issues_one_for_her(client, request, worked, person):
    client.force_login(request.getfixturevalue(person))

    response = client.post(
        reverse("volunteering:self_service_shelter_attestation", args=[worked.pk]),
        {"period_start": days_ago(30).isoformat(), "period_end": days_ago(0).isoformat()},
    )

    assert response.status_code == 404
    assert not Attestation.objects.exists()


# The public check --------------------------------------------------------------------------


def test_the_check_page_shows_holder_shelter_period_and_hours_and_nothing_else(
    client, worked, volunteer_user
):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )

    response = client.get(
        reverse("volunteering:attestation_verify", args=[attestation.verification_code.lower()])
    )

    text = response.text
    assert response.status_code == 200
    assert "Dieser Nachweis ist gültig." in text
    assert "Amira Haddad" in text
    assert worked.shelter.name in text
    assert "19,5" in text
    for private in (worked.email, "030 999888", "Sprachcafé", "Kleiderkammer"):
        assert private not in text


def test_the_check_page_says_when_a_code_is_unknown(client):
    response = client.get(reverse("volunteering:attestation_verify", args=["ABCD-EFGH"]))

    assert response.status_code == 404
    assert "Diese Prüfnummer ist uns nicht bekannt." in response.text


def test_the_check_page_says_when_an_attestation_was_revoked(client, worked, volunteer_user):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )
    Attestation.objects.filter(pk=attestation.pk).update(revoked_at=timezone.now())

    response = client.get(
        reverse("volunteering:attestation_verify", args=[attestation.verification_code])
    )

    assert "Dieser Nachweis wurde widerrufen." in response.text
    assert "Amira Haddad" not in response.text


def test_an_attestation_stays_checkable_after_her_record_is_deleted(client, worked, volunteer_user):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )
    worked.delete()  # the record only: the factory kept no figures to count down

    response = client.get(
        reverse("volunteering:attestation_verify", args=[attestation.verification_code])
    )

    assert response.status_code == 200
    assert "Amira Haddad" in response.text


def test_guessing_codes_on_the_check_page_is_stopped(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "certificate_verify_failed": "3/h/ip",
    }
    statuses = [
        client.get(reverse("volunteering:attestation_verify", args=[f"ABCD234{n}"])).status_code
        for n in range(2, 7)
    ]

    assert statuses == [404, 404, 404, 429, 429]


def test_her_coordinator_revokes_an_attestation_and_the_check_page_says_so(
    client, worked, volunteer_user, coordinator
):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )
    client.force_login(coordinator)

    client.post(reverse("volunteering:self_service_attestation_revoke", args=[attestation.pk]))

    attestation.refresh_from_db()
    assert attestation.revoked_at is not None
    check = client.get(
        reverse("volunteering:attestation_verify", args=[attestation.verification_code])
    )
    assert "Dieser Nachweis wurde widerrufen." in check.text
    own = Client()
    own.force_login(volunteer_user)
    pdf_url = reverse("volunteering:self_service_attestation_pdf", args=[attestation.pk])
    assert own.get(pdf_url).status_code == 404


@pytest.mark.parametrize(
    "person", ["other_coordinator", "regional_coordinator", "lead", "volunteer_user"]
)
def test_nobody_else_revokes_an_attestation(client, request, worked, volunteer_user, person):
    attestation = issue_attestation(
        volunteer=worked,
        period_start=days_ago(30),
        period_end=days_ago(0),
        issued_by=volunteer_user,
    )
    client.force_login(request.getfixturevalue(person))

    response = client.post(
        reverse("volunteering:self_service_attestation_revoke", args=[attestation.pk])
    )

    assert response.status_code == 404
    attestation.refresh_from_db()
    assert attestation.revoked_at is None
