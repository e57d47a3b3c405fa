"""Reading an old volunteer list: XLSX (openpyxl, read-only, streamed) or CSV (separator
sniffed, UTF-8 or Windows-1252), always row by row, so that a 10,000-row file never sits in
memory whole; and guessing which column holds what from German and English headers.

Rows are numbered as a spreadsheet shows them: the header is usually row 1, the first person
row 2, and empty rows count, so that "Zeile 7" is the seventh row the coordinator sees.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bfe.core.uploads import XLSX, FileType, check_upload

CSV = FileType("CSV", "text/csv", (".csv",))
IMPORT_TYPES = (XLSX, CSV)
CHUNK = 64 * 1024
SNIFF_BYTES = 64 * 1024
# Undefined in Windows-1252: a file with these is neither UTF-8 nor a Windows export.
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")

# The fields an import fills, in the order the mapping form shows them.
FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "languages",
    "stage",
    "notes",
    "start_date",
)

# Headers as people write them (normalised: lower case, umlauts folded, no punctuation).
HEADERS = {
    "full_name": {
        "name",
        "namen",
        "vollstandiger name",
        "vor und nachname",
        "vorname nachname",
        "vorname und nachname",
        "full name",
        "fullname",
        "person",
        "freiwillige",
        "freiwilliger",
        "ehrenamtliche",
        "ehrenamtlicher",
        "volunteer",
    },
    "first_name": {"vorname", "vornamen", "rufname", "first name", "firstname", "given name"},
    "last_name": {
        "nachname",
        "familienname",
        "zuname",
        "last name",
        "lastname",
        "surname",
        "family name",
    },
    "email": {
        "email",
        "e mail",
        "mail",
        "e mail adresse",
        "email adresse",
        "emailadresse",
        "mailadresse",
        "email address",
        "e mail address",
    },
    "phone": {
        "telefon",
        "tel",
        "telefonnummer",
        "handy",
        "handynummer",
        "mobil",
        "mobilnummer",
        "mobile",
        "phone",
        "phone number",
        "telephone",
    },
    "languages": {
        "sprachen",
        "sprache",
        "sprachkenntnisse",
        "languages",
        "language",
        "spoken languages",
    },
    "stage": {"stand", "status", "phase", "stage", "state"},
    "notes": {
        "notizen",
        "notiz",
        "bemerkung",
        "bemerkungen",
        "anmerkung",
        "anmerkungen",
        "kommentar",
        "kommentare",
        "hinweise",
        "notes",
        "note",
        "comment",
        "comments",
        "remarks",
    },
    "start_date": {
        "startdatum",
        "beginn",
        "seit",
        "dabei seit",
        "aktiv seit",
        "engagiert seit",
        "eintritt",
        "eintrittsdatum",
        "start",
        "start date",
        "startdate",
        "since",
        "joined",
        "member since",
    },
}
# Words that give a header away when it says more ("E-Mail privat", "Telefon mobil").
HEADER_WORDS = {
    "email": ("mail",),
    "phone": ("telefon", "phone", "handy", "mobil"),
    "languages": ("sprache", "language"),
    "notes": ("notiz", "bemerkung", "anmerkung", "kommentar", "note", "comment"),
    "start_date": ("seit", "since", "beginn", "eintritt"),
    "first_name": ("vorname", "first name"),
    "last_name": ("nachname", "familienname", "last name", "surname"),
}


class UnreadableFile(Exception):
    """The file's content cannot be read as a table (damaged, or not what it claims)."""


@dataclass(frozen=True)
class Table:
    """The header of a list and its rows, read anew from the file each time it is iterated."""

    header: list
    header_row: int
    kind: str  # "xlsx" or "csv"


def check_import_file(upload):
    """Refuse anything but a non-empty XLSX or CSV file within the upload limit, by content.
    Returns the kind ("xlsx" or "csv"); raises ValidationError with a German message."""
    try:
        checked = check_upload(upload, allowed=IMPORT_TYPES)
    except ValidationError as error:
        # check_upload wants UTF-8 text; a CSV saved by Excel on Windows is Windows-1252.
        is_csv = PurePath(str(getattr(upload, "name", ""))).suffix.lower() == ".csv"
        if not (is_csv and error.code == "content" and _is_windows_text(upload)):
            raise
        return "csv"
    return "xlsx" if checked.file_type is XLSX else "csv"


def _is_windows_text(upload):
    upload.seek(0)
    try:
        first = True
        while chunk := upload.read(CHUNK):
            if b"\x00" in chunk or CP1252_UNDEFINED.intersection(chunk):
                return False
            if first and chunk.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
                return False
            first = False
        return True
    finally:
        upload.seek(0)


def _raw(fileobj):
    """The underlying binary file of a Django File (uploads and stored files alike)."""
    return getattr(fileobj, "file", fileobj)


def csv_encoding(fileobj):
    """utf-8-sig where the whole file decodes as UTF-8, cp1252 otherwise."""
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        fileobj.seek(0)
    return "utf-8-sig"


def _csv_dialect(sample):
    # Cut at the last line break, so that the sniffer never sees half a row.
    if "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        delimiter = max(";,\t", key=first_line.count)

        class Fallback(csv.excel):
            pass

        Fallback.delimiter = delimiter
        return Fallback


def iter_rows(fileobj, kind):
    """(row number, list of cell values) for every row of the file's first sheet, empty rows
    included, streamed. Raises UnreadableFile where the content is no table."""
    if kind == "xlsx":
        yield from _xlsx_rows(fileobj)
    else:
        yield from _csv_rows(fileobj)


def _xlsx_rows(fileobj):
    fileobj.seek(0)
    try:
        workbook = openpyxl.load_workbook(_raw(fileobj), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise UnreadableFile(str(error)) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        # Some programs write a wrong used range ("A1:A1"); read what is there instead.
        sheet.reset_dimensions()
        # Damaged sheets fail in the middle of reading, not when opened.
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
            raise UnreadableFile(str(error)) from error
    finally:
        workbook.close()


def _csv_rows(fileobj):
    raw = _raw(fileobj)
    encoding = csv_encoding(raw)
    raw.seek(0)
    sample = raw.read(SNIFF_BYTES).decode(encoding, errors="replace")
    raw.seek(0)
    dialect = _csv_dialect(sample)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    try:
        reader = csv.reader(text, dialect)
        # A record is a row, even where a quoted cell runs over several lines.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise UnreadableFile(str(error)) from error
    finally:
        # The wrapper would close the stored file with it; the caller closes that.
        text.detach()


def is_empty(values):
    return all(cell_text(value) == "" for value in values)


def cell_text(value):
    """A cell as text: numbers without a trailing ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_table(fileobj, kind):
    """The header (the first row that is not empty) and the number of person rows after it.
    Raises UnreadableFile, or ValidationError where there is no header or no person."""
    header, header_row, count = None, 0, 0
    for number, values in iter_rows(fileobj, kind):
        if is_empty(values):
            continue
        if header is None:
            header, header_row = [cell_text(value) for value in values], number
        else:
            count += 1
    if header is None:
        raise ValidationError(_("Die Datei enthält keine Zeilen."), code="empty")
    if count == 0:
        raise ValidationError(
            _("Die Datei enthält nur eine Kopfzeile, aber keine Personen."), code="no_rows"
        )
    while header and header[-1] == "":
        header.pop()
    return Table(header=header, header_row=header_row, kind=kind), count


def data_rows(fileobj, table):
    """The person rows (row number, cells) after the header; empty rows are left out."""
    for number, values in iter_rows(fileobj, table.kind):
        if number <= table.header_row or is_empty(values):
            continue
        yield number, values


def normalise_header(text):
    text = unicodedata.normalize("NFKD", str(text or "").lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("ß", "ss")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def guess_mapping(header):
    """{field: column index} from the headers: exact names first, then telling words. Each
    column serves one field at most; a name column wins over first and last name."""
    normalised = [normalise_header(text) for text in header]
    mapping, taken = {}, set()
    for field in FIELDS:
        for index, text in enumerate(normalised):
            if index not in taken and text in HEADERS[field]:
                mapping[field] = index
                taken.add(index)
                break
    for field, words in HEADER_WORDS.items():
        if field in mapping:
            continue
        for index, text in enumerate(normalised):
            if index not in taken and any(word in text for word in words):
                mapping[field] = index
                taken.add(index)
                break
    # "Name" next to "Vorname" means the family name.
    if "full_name" in mapping and "first_name" in mapping and "last_name" not in mapping:
        mapping["last_name"] = mapping.pop("full_name")
    return mapping


def column_label(header, index):
    """What the mapping form calls a column: its header, or its spreadsheet letter."""
    text = header[index] if index < len(header) else ""
    letter = openpyxl.utils.get_column_letter(index + 1)
    if text:
        return _("%(header)s (Spalte %(letter)s)") % {"header": text, "letter": letter}
    return _("Spalte %(letter)s") % {"letter": letter}
