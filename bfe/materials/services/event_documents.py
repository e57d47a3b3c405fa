"""Slides and handouts of Werkstätten and training modules in the library: a material of kind
event_document points at the event's document. Internal, since event documents are for the
participants and staff; the download stays the event's (events:document), with its checks.
Deleting the document deletes the material (the foreign key cascades)."""

from django.db import transaction
from django.utils import timezone

from bfe.core.uploads import DOCUMENT_TYPES
from bfe.events.selectors import library as event_library

from ..models import Category, Material
from . import indexing

CATEGORY_SLUG = "methoden"
TYPE_LABELS = {file_type.content_type: file_type.label for file_type in DOCUMENT_TYPES}


def _category():
    category, _created = Category.objects.get_or_create(
        slug=CATEGORY_SLUG, defaults={"name": "Methoden", "name_en": "Methods"}
    )
    return category


@transaction.atomic
def sync_event_document(document_id):
    """Create or update the material of the document; remove it if the document no longer
    belongs in the library (a minute, or the event's kind changed). Returns the material or
    None."""
    document = event_library.library_document(document_id)
    if document is None:
        Material.objects.filter(event_document_id=document_id).delete()
        return None
    title = f"{document.title} – {document.event_title}"[:200]
    material = Material.objects.filter(event_document_id=document_id).first()
    now = timezone.now()
    if material is None:
        material = Material.objects.create(
            kind=Material.Kind.EVENT_DOCUMENT,
            event_document_id=document_id,
            title=title,
            category=_category(),
            audience=Material.Audience.INTERNAL,
            published_on=document.event_date,
            file_type=_file_type(document.content_type),
            created_by_id=document.uploaded_by_id,
            created_at=now,
            updated_at=now,
        )
    else:
        material.title = title
        material.published_on = document.event_date
        material.file_type = _file_type(document.content_type)
        material.updated_at = now
        material.save(update_fields=["title", "published_on", "file_type", "updated_at"])
    indexing.reindex([material.pk])
    return material


def _file_type(content_type):
    return TYPE_LABELS.get(content_type, "")


def sync_event_documents():
    """Backfill: a material for every document that belongs in the library. Returns how many."""
    ids = event_library.library_document_ids()
    for document_id in ids:
        sync_event_document(document_id)
    return len(ids)


def document_url(material):
    """Where the material of an event document is downloaded: the event's own page."""
    return event_library.library_document_url(material.event_document_id)
