"""Reading the text inside a material's file, for search. Runs in a background task after each
upload; a file that cannot be read is marked FAILED with the reason for staff, and never blocks
the upload or the material (it is still found by title, summary and tags)."""

import logging
import zipfile

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bfe.core.queue import enqueue_on_commit

from ..models import Material, MaterialVersion
from . import indexing

logger = logging.getLogger(__name__)

EXTRACT_TASK = "bfe.materials.tasks.extract_version_text"


# Abuse guards: a reader stops after this many characters (search keeps MAX_FILE_TEXT anyway)
# and after this many pages, sheets, slides or rows, so that one huge file cannot hold the worker.
MAX_PAGES = 500
MAX_ROWS = 20_000


class TextCollector:
    """Collects text pieces until MAX_FILE_TEXT characters; `full` tells a reader to stop."""

    def __init__(self, limit=None):
        self.limit = limit or indexing.MAX_FILE_TEXT
        self.parts = []
        self.length = 0

    @property
    def full(self):
        return self.length >= self.limit

    def add(self, text):
        text = (text or "").strip()
        if text and not self.full:
            self.parts.append(text)
            self.length += len(text) + 1

    def text(self):
        return "\n".join(self.parts)[: self.limit]


def read_txt(file):
    raw = file.read(indexing.MAX_FILE_TEXT * 4)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def read_pdf(file):
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted:
        # An owner password only (no user password) still opens with the empty one.
        reader.decrypt("")
    out = TextCollector()
    for index, page in enumerate(reader.pages):
        if index >= MAX_PAGES or out.full:
            break
        out.add(page.extract_text())
    return out.text()


def read_docx(file):
    import docx

    document = docx.Document(file)
    out = TextCollector()
    for paragraph in document.paragraphs:
        if out.full:
            break
        out.add(paragraph.text)
    for table in document.tables[:MAX_PAGES]:
        for row in table.rows[:MAX_ROWS]:
            if out.full:
                return out.text()
            cells = []
            for cell in row.cells:
                # Merged cells repeat themselves in python-docx's rows.
                if not cells or cells[-1] != cell.text:
                    cells.append(cell.text)
            out.add(" | ".join(text for text in cells if text.strip()))
    return out.text()


def read_xlsx(file):
    import openpyxl

    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    out = TextCollector()
    try:
        for sheet in workbook.worksheets[:MAX_PAGES]:
            out.add(sheet.title)
            for index, row in enumerate(sheet.iter_rows(values_only=True)):
                if index >= MAX_ROWS or out.full:
                    break
                out.add(" ".join(str(value) for value in row if value not in (None, "")))
    finally:
        workbook.close()
    return out.text()


def read_pptx(file):
    import pptx

    presentation = pptx.Presentation(file)
    out = TextCollector()
    for index, slide in enumerate(presentation.slides):
        if index >= MAX_PAGES or out.full:
            break
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.add(shape.text_frame.text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    out.add(" | ".join(cell.text for cell in row.cells))
        if slide.has_notes_slide:
            out.add(slide.notes_slide.notes_text_frame.text)
    return out.text()


def read_odf(file):
    """ODT and ODS: the text of every heading and paragraph (table cells hold paragraphs)."""
    from odf import opendocument, teletype
    from odf.text import H, P

    document = opendocument.load(file)
    out = TextCollector()
    for kind in (H, P):
        for count, element in enumerate(document.getElementsByType(kind)):
            if count >= MAX_ROWS * 10 or out.full:
                break
            out.add(teletype.extractText(element))
    return out.text()


# The reader per file type ("PDF", "DOCX" …: MaterialVersion.file_type): a function taking the
# open file and returning its text. Types without a reader (images) have no text to read.
READERS = {
    "TXT": read_txt,
    "PDF": read_pdf,
    "DOCX": read_docx,
    "XLSX": read_xlsx,
    "PPTX": read_pptx,
    "ODT": read_odf,
    "ODS": read_odf,
}


def failure_reason(exc):
    """A sentence for staff on why a file could not be read, with the reader's own words."""
    name = type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile) or name == "PackageNotFoundError":
        reason = "Keine gültige Office-Datei (Container beschädigt oder falsches Format)"
    elif name in ("PdfReadError", "PdfStreamError", "EmptyFileError"):
        reason = "PDF beschädigt oder nicht lesbar"
    elif name in ("FileNotDecryptedError", "DependencyError") or "encrypt" in str(exc).lower():
        reason = "PDF ist mit einem Passwort geschützt"
    elif isinstance(exc, FileNotFoundError):
        reason = "Datei nicht gefunden"
    elif isinstance(exc, MemoryError):
        reason = "Datei zu groß zum Lesen"
    else:
        reason = "Datei nicht lesbar"
    return f"{reason} ({name}: {exc})" if str(exc) else f"{reason} ({name})"


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
            error = failure_reason(exc)[:500]
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


def stuck_or_failed(*, user, pending_after=None):
    """File versions whose text could not be read, or that wait longer than `pending_after`
    (default: an hour) for the worker; BfE staff only (an empty queryset for anyone else)."""
    pending_after = pending_after or timezone.timedelta(hours=1)
    cutoff = timezone.now() - pending_after
    return (
        MaterialVersion.objects.filter(material__in=Material.objects.curated_by(user))
        .filter(
            Q(extraction_status=MaterialVersion.Extraction.FAILED)
            | Q(extraction_status=MaterialVersion.Extraction.PENDING, uploaded_at__lt=cutoff)
        )
        .select_related("material")
        .order_by("-uploaded_at", "-pk")
    )


def retry(*, version, by):
    """Read a version's text again: back to PENDING, enqueued once the transaction commits."""
    with transaction.atomic():
        MaterialVersion.objects.filter(pk=version.pk).update(
            extraction_status=MaterialVersion.Extraction.PENDING,
            extraction_error="",
            extracted_at=None,
        )
        enqueue_on_commit(EXTRACT_TASK, version_id=version.pk)
    logger.info("Text extraction of version %s retried by user %s", version.pk, by.pk)
