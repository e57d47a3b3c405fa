"""Slides and handouts of Werkstätten and training modules land in the library, pointing at the
event's document."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bfe.events.models import Document
from bfe.events.tests.factories import (
    DocumentFactory,
    EventFactory,
    JourFixeFactory,
    TrainingModuleEventFactory,
)
from bfe.materials.models import Material
from bfe.materials.services import event_documents

pytestmark = pytest.mark.django_db


def _file(event, title="Folien"):
    return DocumentFactory(
        event=event,
        kind=Document.Kind.FILE,
        title=title,
        text="",
        file=ContentFile(b"Folien zur Werkstatt", name="folien.txt"),
        content_type="text/plain",
    )


def test_a_file_of_a_workshop_becomes_an_internal_material_pointing_at_it():
    event = EventFactory(title="Werkstatt Ehrenamt")
    document = _file(event)

    material = Material.objects.get(event_document=document)

    assert material.kind == Material.Kind.EVENT_DOCUMENT
    assert material.title == "Folien – Werkstatt Ehrenamt"
    assert material.audience == Material.Audience.INTERNAL
    assert material.published_on == timezone.localdate(event.starts_at)
    assert material.file_type == "TXT"
    assert "folien" in material.search_terms
    assert event_documents.document_url(material) == reverse(
        "events:document", args=[event.pk, document.pk]
    )


def test_renaming_the_document_updates_its_material():
    document = _file(EventFactory(title="Werkstatt"))
    document.title = "Handout"
    document.save()

    assert Material.objects.get().title == "Handout – Werkstatt"


def test_deleting_the_document_deletes_its_material():
    document = _file(TrainingModuleEventFactory())
    assert Material.objects.count() == 1
    document.delete()
    assert Material.objects.count() == 0


def test_minutes_and_files_of_a_jour_fixe_stay_out_of_the_library():
    DocumentFactory(event=EventFactory())
    _file(JourFixeFactory())
    assert Material.objects.count() == 0


def test_the_backfill_creates_materials_for_existing_documents():
    document = _file(EventFactory())
    Material.objects.all().delete()

    call_command("sync_event_documents")
    call_command("sync_event_documents")

    assert list(Material.objects.values_list("event_document", flat=True)) == [document.pk]
