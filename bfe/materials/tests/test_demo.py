"""The demo library: generated files of every format read by the real extraction, the guide a
coordinator must find by a phrase inside its PDF, and a reset that removes only the demo.

`large` (50,000 materials) is timed by hand on PostgreSQL; here it runs with a few hundred."""

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count

from bfe.accounts.tests.factories import UserFactory
from bfe.materials import demo
from bfe.materials.demo_texts import FILE_ONLY_PHRASE
from bfe.materials.models import (
    Collection,
    DownloadMonth,
    Material,
    MaterialVersion,
    Suggestion,
    Tag,
)
from bfe.materials.services import indexing
from bfe.materials.tests.factories import MaterialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_logins(db):
    return (
        UserFactory(email="admin@bfe.example"),
        UserFactory(email="eak1@bfe.example"),
    )


def test_small_seed_is_a_library_with_text_read_from_generated_files_incl_the_guide(demo_logins):
    counts = demo.seed(scale="small", seed=2016)

    assert counts["Materialien"] == Material.objects.count() == 150
    statuses = dict(
        MaterialVersion.objects.values_list("file_type")
        .annotate(n=Count("pk"))
        .values_list("file_type", "extraction_status")
    )
    assert {"PDF", "DOCX", "XLSX", "PPTX", "ODT", "ODS", "PNG"} <= set(statuses)
    assert not MaterialVersion.objects.exclude(
        extraction_status__in=[MaterialVersion.Extraction.DONE, "none"]
    ).exists()
    assert Material.objects.filter(kind=Material.Kind.LINK).exists()
    assert Material.objects.filter(audience=Material.Audience.PUBLIC).exists()
    assert Material.objects.filter(audience=Material.Audience.INTERNAL).exists()
    assert Material.objects.due_for_review().exists()
    assert Suggestion.objects.pending().count() == 3
    assert DownloadMonth.objects.exists()
    assert set(Collection.objects.values_list("name", flat=True)) == {
        "Erste Schritte als EAK",
        "Datenschutz-Paket",
        "Mehrsprachige Aushänge",
    }
    assert Collection.objects.get(slug="erste-schritte-als-eak").training_level == "basis"

    # The guide is found by a phrase that is only inside its file.
    phrase = indexing.fold(FILE_ONLY_PHRASE)

    found = Material.objects.filter(search_text__contains=phrase)

    guide = found.get()
    assert guide.title == "Leitfaden: Erweitertes Führungszeugnis für Ehrenamtliche"
    assert guide.is_public and guide.file_type == "PDF"
    assert phrase not in indexing.fold(f"{guide.title} {guide.summary} {guide.tags_text}")
    assert "fuhrungszeugnisse" in guide.search_text
    assert guide.versions.count() == 2  # an earlier DOCX stays listed


def test_reset_removes_the_demo_and_its_files_and_keeps_everything_else(demo_logins):
    own = MaterialFactory(title="Eigenes Material", tags=["Eigenes Schlagwort"])
    demo.seed(scale="small")
    files = list(MaterialVersion.objects.values_list("file", flat=True))
    assert all(default_storage.exists(name) for name in files[:5])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda callback, **kw: callback())
        demo.delete_demo_data()

    assert list(Material.objects.all()) == [own]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Eigenes Schlagwort"]
    assert not Collection.objects.exists() and not Suggestion.objects.exists()
    assert not any(default_storage.exists(name) for name in files)


def test_large_adds_rows_with_extracted_text_and_search_fields(demo_logins, monkeypatch):
    monkeypatch.setattr(demo, "LARGE_MATERIALS", 400)

    counts = demo.seed(scale="large")

    assert Material.objects.count() == 400
    assert counts["Materialien (large, ohne eigene Datei)"] == 250
    bulk = Material.objects.filter(title__endswith="(200)").get()
    assert bulk.current_version.extracted_text == bulk.file_text != ""
    assert bulk.search_text == indexing.fold(
        f"{bulk.title} {bulk.tags_text} {bulk.summary} {bulk.file_text}"
    )
    assert bulk.tags.exists() and bulk.language_codes == ["de"]
    assert not Material.objects.filter(current_version__isnull=True, kind="file").exists()


def test_nothing_is_seeded_without_the_places_demo():
    assert demo.seed(scale="small") == {}
    assert not Material.objects.exists()
    assert settings.MEDIA_ROOT
