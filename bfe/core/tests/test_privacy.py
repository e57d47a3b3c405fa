"""The privacy page states what the platform does today, one section per capability, with the
periods the code and settings use, and promises nothing that does not exist yet."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from bfe.events.services.registration import GUEST_CONFIRMATION_WINDOW

pytestmark = pytest.mark.django_db


def headings(html, level):
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html)
    ]


def test_every_capability_has_its_own_section_in_the_order_of_the_apps(client):
    html = client.get(reverse("core:privacy")).text

    assert headings(html, 2) == [
        "Konto, Rollen und Einladungen",
        "Unterkünfte und Koordinationsstellen",
        "Veranstaltungen, Fortbildungen und Bescheinigungen",
        "Beratungen",
        "Technik: Cookies, Sitzungen, Protokolle, E-Mail und Karten",
        "Auskunft, Export und Löschung",
        "Was es auf der Plattform noch nicht gibt",
    ]
    assert headings(html, 3).count("Wer es sieht") == 4


def test_the_page_names_the_periods_the_platform_uses(client, settings):
    settings.BFE_INVITATION_DAYS = 9
    hours = int(GUEST_CONFIRMATION_WINDOW.total_seconds() // 3600)

    html = client.get(reverse("core:privacy")).text

    assert "Eine Einladung gilt 9 Tage." in html
    assert f"nicht innerhalb von {hours} Stunden über den Link in der E-Mail bestätigt" in html
    assert "nach zwei Wochen" in html and settings.SESSION_COOKIE_AGE == 14 * 24 * 3600


def test_the_page_names_the_server_the_map_tiles_come_from(client, settings):
    settings.MAP_TILE_URL = "https://karten.example.org/tiles/{z}/{x}/{y}.png"

    html = client.get(reverse("core:privacy")).text

    assert "direkt von karten.example.org." in html


def test_the_page_promises_no_self_service_and_no_police_clearances(client):
    html = client.get(reverse("core:privacy")).text

    assert "exportieren und löschen" not in html
    assert "Einsichtnahme vermerkt" not in html
    assert "gibt es noch nicht" in html
    assert "eine E-Mail (Kontakt im Impressum)" in html
    assert "Angaben zu Führungszeugnissen speichert die Plattform noch nicht" in html


def test_the_page_reads_in_english_too(client):
    with translation.override("en"):
        html = client.get(reverse("core:privacy"), headers={"accept-language": "en"}).text

    assert 'lang="en"' in html
    assert "Account, roles and invitations" in headings(html, 2)
    assert "Konto, Rollen" not in html
