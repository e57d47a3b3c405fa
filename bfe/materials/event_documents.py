"""Slides and handouts of events in the library: connected in MaterialsConfig.ready. The sender
is named lazily, so the library imports no model of the events app."""

from django.db.models.signals import post_save


def _document_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    from .services.event_documents import sync_event_document

    # In the upload's transaction: if it fails, the material goes with it.
    sync_event_document(instance.pk)


post_save.connect(_document_saved, sender="events.Document", dispatch_uid="materials.event_doc")
