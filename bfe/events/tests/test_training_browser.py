"""A Basis series from enrolment to certificate, in Debian's Chromium."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from bfe.core.tests.browser import sign_in
from bfe.events.models import Certificate, Registration

from .training_helpers import coordinator, regional_coordinator, series_with_modules

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def verified(person):
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def test_coordinator_enrols_completes_downloads_her_certificate_and_verifies_it(
    page, axe, tmp_path
):
    year = timezone.localdate().year + 1
    series = series_with_modules(
        year=year, seats=12, title=f"Freiwilligenkoordination BfE – Basis {year}"
    )
    eva = verified(coordinator(email="eva@example.org", full_name="Eva Gruber"))

    sign_in(page, "eva@example.org")
    page.goto("/fortbildungen/")
    expect(page.get_by_role("heading", name="Reihe Basis")).to_be_visible()
    assert axe() == []
    page.get_by_role("link", name=series.title).first.click()
    page.get_by_role("button", name="Verbindlich anmelden").click()

    expect(page.get_by_text("verbindlich angemeldet")).to_be_visible()
    expect(page.locator(".enrolment-status")).to_contain_text("Sie sind angemeldet")
    assert Registration.objects.filter(person=eva, status="confirmed").count() == 8

    # The year goes by: the modules took place, and Eva attended seven of them.
    for offset, event in enumerate(series.modules.order_by("module__number")):
        event.starts_at = timezone.now() - datetime.timedelta(days=80 - 7 * offset)
        event.ends_at = event.starts_at + datetime.timedelta(hours=6)
        event.save(update_fields=["starts_at", "ends_at"])
    Registration.objects.filter(person=eva, event__module__number__lte=7).update(attended=True)

    page.reload()
    expect(page.locator("main")).to_contain_text("7 von 8 Modulen besucht (87,5 %)")
    assert axe() == []
    page.get_by_role("button", name="Bescheinigung ausstellen").click()
    expect(page.get_by_text("Ihre Teilnahmebescheinigung ist ausgestellt.")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Bescheinigung herunterladen").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    certificate = Certificate.objects.get(person=eva)
    assert certificate.verification_code in download.suggested_filename

    page.get_by_role("link", name="Prüfseite ansehen").click()
    expect(page.get_by_text("Diese Bescheinigung ist gültig.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Eva Gruber")
    expect(page.locator("dl.facts")).to_contain_text("42")
    assert axe() == []


def test_staff_see_participants_and_the_waiting_list(page, axe, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    series = series_with_modules(seats=1, numbers=[1, 2])
    from bfe.events.services import training as services

    services.enrol(series=series, person=coordinator(full_name="Eva Gruber"))
    services.enrol(series=series, person=coordinator(full_name="Wanda Warteliste"))
    verified(regional_coordinator(email="nord@example.org"))

    sign_in(page, "nord@example.org")
    page.goto(series.get_absolute_url())
    page.get_by_role("link", name="Teilnehmende und Warteliste").click()

    expect(page.locator("#enrolled-heading + .table-wrap")).to_contain_text("Eva Gruber")
    expect(page.locator("#waiting-heading + .table-wrap")).to_contain_text("Wanda Warteliste")
    assert axe() == []
