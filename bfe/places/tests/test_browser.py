"""Journeys through the directory in Debian's Chromium."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from bfe.accounts.tests.factories import UserFactory
from bfe.core.tests.browser import sign_in
from bfe.places.models import District
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coordinator_edits_her_shelter_and_sees_the_change(page):
    mitte = District.objects.get(number="01")
    coordinator = UserFactory(email="eva@example.org")
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    shelter = ShelterFactory(name="GU Am Wiesengrund", district=mitte, residents=200)
    CoordinatorPositionFactory(shelter=shelter, person=coordinator)

    sign_in(page, "eva@example.org")
    page.goto(f"/unterkuenfte/{shelter.pk}/")
    page.get_by_role("link", name="Angaben bearbeiten").click()
    page.get_by_label("Aktuelle Bewohner:innen").fill("234")
    page.get_by_label("Öffentliche Beschreibung").fill("Sprachcafé jeden Dienstag")
    page.get_by_role("button", name="Speichern").click()

    expect(page.get_by_text("Die Angaben zur Unterkunft wurden gespeichert.")).to_be_visible()
    expect(page.get_by_text("Sprachcafé jeden Dienstag")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("234")


def test_map_shows_a_marker_per_visible_shelter_and_district_counts_to_the_public(page):
    mitte, pankow = District.objects.get(number="01"), District.objects.get(number="03")
    ShelterFactory(name="GU Öffentlich", district=mitte, address_public=True)
    ShelterFactory(name="GU Eins", district=pankow)
    ShelterFactory(name="GU Zwei", district=pankow)

    page.goto("/unterkuenfte/")

    expect(page.locator("[data-map]")).to_be_visible()
    # One exact pin (public address) and one district marker counting the other two.
    expect(page.locator(".map-pin")).to_have_count(1)
    expect(page.locator(".district-count")).to_have_count(1)
    expect(page.locator(".district-count")).to_have_text("2")


def test_filtering_updates_list_and_map_without_reload(page):
    mitte, spandau = District.objects.get(number="01"), District.objects.get(number="05")
    ShelterFactory(name="GU Mitte", district=mitte)
    ShelterFactory(name="GU Spandau", district=spandau)

    page.goto("/unterkuenfte/")
    page.get_by_role("combobox", name="Bezirk").fill("Span")
    page.get_by_role("option", name="Spandau").click()

    expect(page.locator(".result-list")).to_contain_text("GU Spandau")
    expect(page.locator(".result-list")).not_to_contain_text("GU Mitte")
    expect(page).to_have_url(re.compile(r"district=Spandau"))
    expect(page.locator(".district-count")).to_have_text("1")


def test_map_clusters_the_pins_it_fetches_as_geojson(page):
    mitte = District.objects.get(number="01")
    for number in range(12):
        ShelterFactory(
            name=f"GU Nah {number}",
            district=mitte,
            address_public=True,
            latitude=f"52.52{number:02d}",
            longitude=f"13.40{number:02d}",
        )
    ShelterFactory(
        name="GU Fern", district=mitte, address_public=True, latitude="52.40", longitude="13.10"
    )

    with page.expect_response(re.compile(r"karte\.geojson")) as geojson:
        page.goto("/unterkuenfte/")
    assert geojson.value.status == 200

    expect(page.locator("[data-map][data-map-loaded]")).to_be_visible()
    # Twelve pins a few metres apart become one cluster that counts them; the far one stays.
    expect(page.locator(".marker-cluster")).to_have_count(1)
    expect(page.locator(".marker-cluster")).to_have_text("12")
    expect(page.locator(".map-pin")).to_have_count(1)
