"""Her suggestions in "Meine Daten", and what erasing her account leaves of them."""

import pytest

from bfe.accounts.tests.factories import UserFactory
from bfe.core import personal_data
from bfe.materials import personal_data as materials_data
from bfe.materials.models import Suggestion
from bfe.materials.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_her_suggestions_only():
    person = UserFactory()
    SuggestionFactory(suggested_by=person, title="Mein Vorschlag", message="Bitte aufnehmen.")
    SuggestionFactory(title="Fremd")

    sections = materials_data.export(person)

    items = sections[0]["items"]
    assert [item["Titel"] for item in items] == ["Mein Vorschlag"]
    assert items[0]["Nachricht"] == "Bitte aufnehmen."


def test_the_platform_export_includes_the_library():
    person = UserFactory()
    SuggestionFactory(suggested_by=person)
    apps = {row["app"] for row in personal_data.export(person)["apps"]}
    assert "materials" in apps


def test_erasing_detaches_her_suggestions_and_drops_their_message():
    person = UserFactory()
    suggestion = SuggestionFactory(suggested_by=person, title="Merkblatt", message="Ich, Anna …")

    counts = materials_data.erase(person)

    suggestion.refresh_from_db()
    assert counts["suggestions"] == 1
    assert suggestion.suggested_by is None
    assert suggestion.message == materials_data.ERASED_MESSAGE
    assert suggestion.title == "Merkblatt"
    assert Suggestion.objects.count() == 1


def test_the_privacy_page_says_what_the_library_keeps_about_suggesters(client):
    from django.urls import reverse

    page = client.get(reverse("core:privacy")).content.decode()
    assert "Materialbibliothek" in page
    assert "trennen wir Ihre Vorschläge von Ihnen" in page
