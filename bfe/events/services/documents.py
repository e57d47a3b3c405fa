"""Minutes (Protokolle) and files of an event: who may read them, and every change to them.

Documents are for the event's participants and BfE's staff only. Readers: BfE staff (any
region), the event's organisers and managers, and people with a confirmed registration for it
(present or not). Everybody else – other coordinators, volunteers, partners, people on the
waiting list – gets a 404, as if the documents did not exist.
"""

import secrets
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from bfe.accounts.models import Roles
from bfe.core.uploads import DOCUMENT_TYPES, check_upload

from ..markdown import render_markdown
from ..models import Document, Event, Registration

TYPE_LABELS = {file_type.content_type: file_type.label for file_type in DOCUMENT_TYPES}

# Reading ---------------------------------------------------------------------------------------


def events_with_readable_documents(user):
    """Events whose documents `user` may read (see the module docstring)."""
    roles = Roles.of(user)
    if not roles.is_authenticated:
        return Event.objects.none()
    if roles.is_bfe_staff:
        return Event.objects.all()
    participates = Exists(
        Registration.objects.filter(
            event=OuterRef("pk"), person=user, status=Registration.Status.CONFIRMED
        )
    )
    return Event.objects.filter(
        participates | Q(pk__in=Event.objects.managed_by(user).values("pk"))
    )


def documents_of(event):
    """The event's documents, minutes first, oldest first within a kind."""
    documents = list(event.documents.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    for document in documents:
        document.event = event
        document.type_label = TYPE_LABELS.get(document.content_type, "")
    return sorted(documents, key=lambda d: d.kind != Document.Kind.MINUTES)


def render_minutes(document):
    """The minutes' Markdown as sanitised HTML."""
    return render_markdown(document.text)


def download_name(document):
    """The name a downloaded file gets: the uploaded file's safe name."""
    return PurePath(document.file.name).name


# Changes ---------------------------------------------------------------------------------------


def _check_manager(event, by):
    if not Event.objects.managed_by(by).filter(pk=event.pk).exists():
        raise PermissionDenied


@transaction.atomic
def add_minutes(*, event, title, text, by):
    """Attach minutes (Markdown `text`) to an event the person manages."""
    _check_manager(event, by)
    return Document.objects.create(
        event=event,
        kind=Document.Kind.MINUTES,
        title=title.strip(),
        text=text.strip(),
        uploaded_by=by,
    )


def add_file(*, event, upload, title="", by):
    """Attach an uploaded file to an event the person manages.

    The file is checked by `uploads.check_upload` (type by content, size, zip bombs) here as
    well as in the form, so that every caller refuses the same files. On disk it lies under a
    random folder, so that its path cannot be guessed; its download name is its safe name.
    """
    _check_manager(event, by)
    checked = check_upload(upload)
    document = Document(
        event=event,
        kind=Document.Kind.FILE,
        title=(title or "").strip() or checked.stem.replace("_", " "),
        content_type=checked.file_type.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    checked.upload.seek(0)
    document.file.save(f"{secrets.token_urlsafe(12)}/{checked.name}", checked.upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def delete_document(*, document, by):
    """Delete a document of an event the person manages; its file goes once the change is
    committed (a rolled-back deletion keeps it)."""
    _check_manager(document.event, by)
    file = document.file
    document.delete()
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
