"""Reads of event documents for the materials library: the slides and handouts of a Werkstatt
or a training module are listed there, pointing at the event's own document (never copied).

Read-only; the library decides what to do with them. Downloads stay with the events app, which
checks who may read an event's documents.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from ..models import Document, Event

# Kinds of events whose files belong in the library.
LIBRARY_EVENT_KINDS = (Event.Kind.WORKSHOP, Event.Kind.TRAINING_MODULE)


@dataclass(frozen=True)
class LibraryDocument:
    document_id: int
    title: str
    event_id: int
    event_title: str
    event_kind: str
    event_date: datetime.date
    content_type: str
    size: int
    uploaded_by_id: int | None


def _documents():
    return Document.objects.filter(
        kind=Document.Kind.FILE, event__kind__in=LIBRARY_EVENT_KINDS
    ).exclude(file="")


def library_document(document_id):
    """The document as the library needs it, or None if it is no file of a Werkstatt or a
    training module (or does not exist)."""
    document = _documents().select_related("event").filter(pk=document_id).first()
    if document is None:
        return None
    event = document.event
    return LibraryDocument(
        document_id=document.pk,
        title=document.title,
        event_id=event.pk,
        event_title=event.title,
        event_kind=event.kind,
        event_date=timezone.localdate(event.starts_at),
        content_type=document.content_type,
        size=document.size,
        uploaded_by_id=document.uploaded_by_id,
    )


def library_document_ids():
    """Ids of every document that belongs in the library (for a backfill)."""
    return list(_documents().order_by("pk").values_list("pk", flat=True))


def library_document_url(document_id):
    """The existing download URL of the document (events:document), or "" if there is none."""
    row = Document.objects.filter(pk=document_id).values_list("event_id", flat=True).first()
    if row is None:
        return ""
    return reverse("events:document", args=[row, document_id])
