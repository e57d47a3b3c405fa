"""Reading the text inside a material's file, for search. Runs in a background task after each
upload; a file that cannot be read is marked FAILED with the reason for staff, and never blocks
the upload or the material (it is still found by title, summary and tags)."""

import logging

from django.db import transaction
from django.utils import timezone

from ..models import Material, MaterialVersion
from . import indexing

logger = logging.getLogger(__name__)


def read_txt(file):
    raw = file.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


# The reader per file type ("PDF", "DOCX" …: MaterialVersion.file_type): a function taking the
# open file and returning its text. Types without a reader (images) have no text to read.
READERS = {
    "TXT": read_txt,
}


def extract_version(version_id):
    """Read the text of one file version and, if it is its material's current file, make it
    searchable. Idempotent: a version that was read already is left as it is. Returns the
    version, or None if it no longer exists."""
    version = MaterialVersion.objects.filter(pk=version_id).first()
    if version is None:
        return None
    if version.extraction_status in (
        MaterialVersion.Extraction.DONE,
        MaterialVersion.Extraction.NOT_APPLICABLE,
    ):
        return version
    reader = READERS.get(version.file_type)
    text, status, error = "", MaterialVersion.Extraction.DONE, ""
    if reader is None:
        status = MaterialVersion.Extraction.NOT_APPLICABLE
    else:
        try:
            with version.file.open("rb") as file:
                text = reader(file)
        except Exception as exc:  # any reader failure is a fact for staff
            logger.warning("Text of material version %s not readable: %r", version_id, exc)
            status = MaterialVersion.Extraction.FAILED
            error = f"{type(exc).__name__}: {exc}"[:500]
    text = text.replace("\x00", "")[: indexing.MAX_FILE_TEXT]
    with transaction.atomic():
        MaterialVersion.objects.filter(pk=version_id).update(
            extracted_text=text,
            extraction_status=status,
            extraction_error=error,
            extracted_at=timezone.now(),
        )
        if Material.objects.filter(pk=version.material_id, current_version_id=version_id).exists():
            indexing.reindex([version.material_id])
    version.refresh_from_db()
    return version
