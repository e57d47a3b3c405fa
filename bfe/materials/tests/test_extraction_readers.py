"""Reading the text inside uploaded files: one reader per format, limits against huge files, and
a readable reason (never an exception) when a file cannot be read."""

import io

import pytest
from django.core.files.base import ContentFile

from bfe.materials import demo
from bfe.materials.models import Material, MaterialVersion
from bfe.materials.services import extraction, indexing
from bfe.materials.tests.factories import MaterialFactory, MaterialVersionFactory

pytestmark = pytest.mark.django_db

PARAGRAPHS = ["Das erweiterte Führungszeugnis wird eingesehen.", "Versicherungsschutz im Ehrenamt."]


def pending_version(file_type, content, name=None):
    version = MaterialVersionFactory(
        file=ContentFile(content, name=name or f"datei.{file_type.lower()}"),
        file_type=file_type,
        extraction_status=MaterialVersion.Extraction.PENDING,
        extracted_text="",
    )
    return version


@pytest.mark.parametrize("file_type", ["PDF", "DOCX", "XLSX", "PPTX", "ODT", "ODS", "TXT"])
def test_each_format_is_read_and_its_text_becomes_searchable(file_type):
    content = demo.make_file(file_type, "Leitfaden für Koordinator:innen", PARAGRAPHS)
    version = pending_version(file_type, content)

    version = extraction.extract_version(version.pk)

    assert version.extraction_status == MaterialVersion.Extraction.DONE
    assert "Führungszeugnis wird eingesehen" in " ".join(version.extracted_text.split())
    material = Material.objects.get(pk=version.material_id)
    assert "fuhrungszeugnis wird eingesehen" in material.search_text


def test_docx_tables_and_pptx_notes_are_read_too():
    docx = demo.make_docx("Titel", [], table=[["Spalte", "Tabelleninhalt Ehrenamtskarte"]])
    pptx = demo.make_pptx("Folien", ["Folientext"])

    assert "Tabelleninhalt Ehrenamtskarte" in extraction.read_docx(io.BytesIO(docx))
    assert "Hinweis für Moderierende" in extraction.read_pptx(io.BytesIO(pptx))


def test_an_image_has_no_text_to_read_and_is_not_a_failure():
    version = pending_version("PNG", demo.make_png())

    version = extraction.extract_version(version.pk)

    assert version.extraction_status == MaterialVersion.Extraction.NOT_APPLICABLE
    assert version.extraction_error == ""


@pytest.mark.parametrize("file_type", ["PDF", "DOCX", "XLSX", "PPTX", "ODT", "ODS"])
def test_a_broken_file_is_marked_failed_with_a_readable_reason(file_type):
    version = pending_version(file_type, b"PK\x03\x04 this is not what it claims to be")

    version = extraction.extract_version(version.pk)

    assert version.extraction_status == MaterialVersion.Extraction.FAILED
    assert version.extraction_error.startswith(("PDF beschädigt", "Keine gültige", "Datei"))
    assert version.extracted_text == ""


def test_a_missing_file_is_a_failure_not_an_exception():
    version = pending_version("DOCX", b"x")
    version.file.storage.delete(version.file.name)

    version = extraction.extract_version(version.pk)

    assert version.extraction_status == MaterialVersion.Extraction.FAILED
    assert "nicht gefunden" in version.extraction_error


def test_reading_stops_at_the_text_limit(monkeypatch):
    monkeypatch.setattr(indexing, "MAX_FILE_TEXT", 500)
    paragraphs = [f"Absatz {n} über Datenschutz im Ehrenamt." for n in range(400)]
    version = pending_version("DOCX", demo.make_docx("Lang", paragraphs))

    version = extraction.extract_version(version.pk)

    assert version.extraction_status == MaterialVersion.Extraction.DONE
    assert len(version.extracted_text) <= 500


def test_reading_stops_after_the_page_limit(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PAGES", 2)
    pptx = demo.make_pptx("Viele Folien", [f"Folie Nummer {n}" for n in range(6)])

    text = extraction.read_pptx(io.BytesIO(pptx))

    assert "Folie Nummer 0" in text
    assert "Folie Nummer 5" not in text


def test_a_version_that_is_not_the_current_file_does_not_change_the_search_fields():
    material = MaterialFactory(kind=Material.Kind.FILE, url="", title="Aushang")
    current = MaterialVersionFactory(material=material, extracted_text="Aktueller Text")
    old = MaterialVersionFactory(
        material=material,
        current=False,
        file=ContentFile(b"Veralteter Text", name="alt.txt"),
        extraction_status=MaterialVersion.Extraction.PENDING,
        extracted_text="",
    )

    extraction.extract_version(old.pk)

    material.refresh_from_db()
    assert material.current_version_id == current.pk
    assert "veralteter" not in material.search_text
    assert indexing.fold("Aktueller Text") in material.search_text
