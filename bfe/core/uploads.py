"""Checks for uploaded files: a file is accepted for what it is, not for what it is called.

Dependency-free on purpose (the standard library and Django only, nothing of the events app), so
that every app that takes files – event documents now, consultation attachments and materials
later – refuses the same things with the same messages:

- empty files, and files larger than `settings.MAX_UPLOAD_BYTES` (or the `max_bytes` given);
- anything but PDF, DOCX, XLSX, ODT, PNG, JPEG and TXT (or the `allowed` types given);
- files whose content is not the type their extension claims (magic bytes, and for the ZIP-based
  office formats the members that make them one);
- ZIP-based files that would unpack to `MAX_UNCOMPRESSED_BYTES` or more (zip bombs), hold too
  many members, are encrypted, or whose members do not match their checksums;
- names that are no names; folder parts ("../", "C:\\…\\") are dropped.

Usage: `checked = check_upload(request.FILES["file"])` raises `ValidationError` with a German
message, or returns a `CheckedUpload` with the safe name and the real type.
"""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# Office files are ZIP archives; anything unpacking to more than this is refused as a zip bomb.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_NAME_LENGTH = 200
CHUNK = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple
    magic: bytes = b""
    # ZIP-based office formats: members that must be present, or the ODF `mimetype` member.
    zip_members: tuple = ()
    odf_mimetype: str = ""

    @property
    def is_zip(self):
        return bool(self.zip_members or self.odf_mimetype)


PDF = FileType("PDF", "application/pdf", (".pdf",), magic=b"%PDF-")
PNG = FileType("PNG", "image/png", (".png",), magic=b"\x89PNG\r\n\x1a\n")
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"), magic=b"\xff\xd8\xff")
TXT = FileType("TXT", "text/plain", (".txt",))
DOCX = FileType(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    magic=ZIP_MAGIC,
    zip_members=("[Content_Types].xml", "word/document.xml"),
)
XLSX = FileType(
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    magic=ZIP_MAGIC,
    zip_members=("[Content_Types].xml", "xl/workbook.xml"),
)
ODT = FileType(
    "ODT",
    "application/vnd.oasis.opendocument.text",
    (".odt",),
    magic=ZIP_MAGIC,
    odf_mimetype="application/vnd.oasis.opendocument.text",
)
PPTX = FileType(
    "PPTX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    magic=ZIP_MAGIC,
    zip_members=("[Content_Types].xml", "ppt/presentation.xml"),
)
ODS = FileType(
    "ODS",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
    magic=ZIP_MAGIC,
    odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
)
DOCUMENT_TYPES = (PDF, DOCX, XLSX, ODT, PNG, JPEG, TXT)
# The materials library also takes slides and ODF spreadsheets.
MATERIAL_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG, TXT)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed `check_upload`: the file, its safe name, size and real type."""

    upload: object
    name: str
    size: int
    file_type: FileType

    @property
    def extension(self):
        return PurePath(self.name).suffix.lower()

    @property
    def stem(self):
        return PurePath(self.name).stem


def accept_attribute(allowed=DOCUMENT_TYPES):
    """The value for an `<input type="file" accept="…">`: a hint for the browser, no check."""
    return ",".join(ext for file_type in allowed for ext in file_type.extensions)


def safe_file_name(name):
    """The file name without any folder part, reduced to safe characters, at most 200 long."""
    # Browsers on Windows may send "C:\\Users\\…\\name.pdf"; neither separator survives.
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = ""
    cleaned = cleaned.lstrip(".")
    suffix = PurePath(cleaned).suffix if cleaned else ""
    stem = cleaned[: -len(suffix)] if suffix else cleaned
    if not stem.strip("._-"):
        raise ValidationError(_("Die Datei hat keinen gültigen Namen."), code="name")
    return stem[: MAX_NAME_LENGTH - len(suffix)] + suffix


def check_upload(upload, *, allowed=DOCUMENT_TYPES, max_bytes=None):
    """Refuse anything but a non-empty file of an allowed type, at most `max_bytes` large
    (default `settings.MAX_UPLOAD_BYTES`), whose content is what its extension says.

    Returns a `CheckedUpload`; raises `ValidationError` (codes: name, empty, too_large, type,
    content, zip) with a message that names the file. Leaves the file positioned at its start.
    """
    max_bytes = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    name = safe_file_name(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("„%(name)s“ ist leer."), code="empty", params={"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("„%(name)s“ ist %(size)s groß; erlaubt sind höchstens %(max)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    by_extension = {ext: file_type for file_type in allowed for ext in file_type.extensions}
    file_type = by_extension.get(PurePath(name).suffix.lower())
    if file_type is None:
        raise ValidationError(
            _("„%(name)s“: erlaubt sind nur %(types)s."),
            code="type",
            params={"name": name, "types": _list_labels(allowed)},
        )
    try:
        problem = _content_problem(upload, file_type)
    finally:
        upload.seek(0)
    if problem == "zip":
        raise ValidationError(
            _(
                "„%(name)s“ lässt sich nicht sicher öffnen: die Datei ist beschädigt, "
                "verschlüsselt oder entpackt zu groß."
            ),
            code="zip",
            params={"name": name},
        )
    if problem:
        raise ValidationError(
            _("„%(name)s“ ist keine echte %(type)s-Datei: der Inhalt passt nicht zur Endung."),
            code="content",
            params={"name": name, "type": file_type.label},
        )
    return CheckedUpload(upload=upload, name=name, size=size, file_type=file_type)


def _list_labels(allowed):
    labels = [file_type.label for file_type in allowed]
    if len(labels) == 1:
        return labels[0]
    return _("%(list)s und %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def _content_problem(upload, file_type):
    """None if the content is of `file_type`; "content" or "zip" otherwise."""
    upload.seek(0)
    if file_type is TXT or not file_type.magic:
        return None if _is_plain_text(upload) else "content"
    if upload.read(len(file_type.magic)) != file_type.magic:
        return "content"
    if file_type.is_zip:
        upload.seek(0)
        return _zip_problem(upload, file_type)
    return None


def _is_plain_text(upload):
    """UTF-8 (a BOM is fine) without NUL bytes, and not a disguised binary format."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = True
    while chunk := upload.read(CHUNK):
        if first and any(chunk.startswith(t.magic) for t in MATERIAL_TYPES if t.magic):
            return False
        first = False
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _zip_problem(upload, file_type):
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return "zip"
            # What the directory declares is what a reader unpacks: refuse bombs before reading.
            if sum(member.file_size for member in members) >= MAX_UNCOMPRESSED_BYTES:
                return "zip"
            if any(member.flag_bits & 0x1 for member in members):
                return "zip"
            names = {member.filename for member in members}
            if file_type.zip_members and not set(file_type.zip_members) <= names:
                return "content"
            if file_type.odf_mimetype:
                if "mimetype" not in names:
                    return "content"
                with archive.open("mimetype") as member:
                    if member.read(200).strip() != file_type.odf_mimetype.encode():
                        return "content"
            # Unpacking stops at the declared sizes; a checksum mismatch means they lied.
            if archive.testzip() is not None:
                return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return "zip"
    except ValueError:
        return "zip"
    return None
