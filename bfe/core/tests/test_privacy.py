"""The privacy page states what the platform does today, one section per capability, with the
periods the code and settings use, and promises nothing that does not exist yet."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from bfe.accounts.tests.factories import UserFactory
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
        "Engagement und Freiwillige",
        "Materialbibliothek",
        "Technik: Cookies, Sitzungen, Protokolle, E-Mail und Karten",
        "Auskunft, Export und Löschung",
    ]
    assert headings(html, 3).count("Wer es sieht") == 6


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


def test_the_page_points_to_the_self_service_and_keeps_the_e_mail_way(client):
    html = client.get(reverse("core:privacy")).text

    assert "alles, was die Plattform über Sie speichert" in html
    assert "eine E-Mail (Kontakt im Impressum)" in html
    assert reverse("accounts:my_data") not in html
    client.force_login(UserFactory())
    assert reverse("accounts:my_data") in client.get(reverse("core:privacy")).text


def test_the_page_states_the_volunteering_periods_the_settings_use(client, settings):
    settings.VOLUNTEER_RETENTION_MONTHS = 18
    settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS = 48
    settings.VOLUNTEER_CLEARANCE_KEEP_MONTHS = 6

    html = client.get(reverse("core:privacy")).text

    assert "wenn Sie dort 18 Monate lang nicht aktiv waren" in html
    assert (
        "nicht innerhalb von 48 Stunden über den Link in der E-Mail bestätigt wird, verfällt"
        in html
    )
    assert "spätestens 6 Monate nach Ihrer letzten Tätigkeit" in html
    assert "nie das Dokument und nie seinen Inhalt" in html


def test_the_page_reads_in_english_too(client):
    with translation.override("en"):
        html = client.get(reverse("core:privacy"), headers={"accept-language": "en"}).text

    assert 'lang="en"' in html
    assert "Account, roles and invitations" in headings(html, 2)
    assert "Konto, Rollen" not in html
