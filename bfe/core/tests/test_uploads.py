"""Hostile uploads: refused with a clear German message by `check_upload` and by every view that
takes files (event documents, consultation attachments), with nothing stored on disk or in the
database; a valid file is kept under a safe name.

The basic type, size and name checks are in bfe/events/tests/test_documents.py and
bfe/consultations/tests/test_attachments.py; this file adds the disguises and archives, and runs
each through the real pages.
"""

import datetime
import html
import io
import struct
import zipfile
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import Attachment, Consultation, Format
from bfe.consultations.tests.factories import topic
from bfe.core import uploads
from bfe.events.models import Document
from bfe.events.tests.factories import JourFixeFactory
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 40

MESSAGES = {
    "content": "keine echte",
    "zip": "lässt sich nicht sicher öffnen: die Datei ist beschädigt, verschlüsselt oder "
    "entpackt zu groß.",
    "empty": "ist leer.",
    "too_large": "erlaubt sind höchstens",
    "type": "erlaubt sind nur PDF, DOCX, XLSX, ODT, PNG, JPEG und TXT.",
    "name": "Die Datei hat keinen gültigen Namen.",
}


def archive(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
XLSX_PARTS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}


@cache
def bomb(parts):
    """An office file of a few dozen kB that unpacks to the limit: one member of zeros."""
    zeros = b"\x00" * uploads.MAX_UNCOMPRESSED_BYTES
    return archive({**dict(parts), "media/zeros.bin": zeros})


@cache
def crowded_docx():
    """A small DOCX of more members than any real document has."""
    members = {f"customXml/item{n}.xml": "" for n in range(uploads.MAX_ZIP_MEMBERS + 1)}
    return archive({**DOCX_PARTS, **members}, compression=zipfile.ZIP_STORED)


def encrypted(data):
    """The archive with the "encrypted" flag set on every member, as an encrypting ZIP tool
    writes it (Python's zipfile cannot encrypt, only read encrypted members)."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zipped:
        offsets = [member.header_offset for member in zipped.infolist()]
    for offset in offsets:  # local headers: flags at +6
        struct.pack_into("<H", data, offset + 6, data[offset + 6] | 0x1)
    central = data.find(b"PK\x01\x02")
    while central != -1:  # central directory headers: flags at +8
        struct.pack_into("<H", data, central + 8, data[central + 8] | 0x1)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


# (test id, file name sent, content, refusal code)
HOSTILE = [
    ("exe-as-pdf", "Einladung.pdf", lambda: EXE, "content"),
    ("elf-as-pdf", "Einladung.pdf", lambda: ELF, "content"),
    ("html-as-png", "Foto.png", lambda: HTML, "content"),
    ("html-as-jpg", "Foto.jpg", lambda: HTML, "content"),
    ("png-as-docx", "Protokoll.docx", lambda: PNG, "content"),
    ("exe-as-xlsx", "Liste.xlsx", lambda: EXE, "content"),
    ("pdf-behind-pdf-and-exe", "Bericht.pdf.exe", lambda: PDF, "type"),
    ("nul-in-name-hiding-html", "Bericht.pdf\x00.html", lambda: HTML, "type"),
    ("plain-zip-as-docx", "Protokoll.docx", lambda: archive({"a.txt": "x"}), "content"),
    ("zip-bomb-as-docx", "Protokoll.docx", lambda: bomb(tuple(DOCX_PARTS.items())), "zip"),
    ("zip-bomb-as-xlsx", "Liste.xlsx", lambda: bomb(tuple(XLSX_PARTS.items())), "zip"),
    ("many-members-docx", "Protokoll.docx", crowded_docx, "zip"),
    ("encrypted-docx", "Protokoll.docx", lambda: encrypted(archive(DOCX_PARTS)), "zip"),
    ("encrypted-xlsx", "Liste.xlsx", lambda: encrypted(archive(XLSX_PARTS)), "zip"),
    ("truncated-docx", "Protokoll.docx", lambda: archive(DOCX_PARTS)[:-30], "zip"),
    ("empty-pdf", "Leer.pdf", lambda: b"", "empty"),
    ("empty-docx", "Leer.docx", lambda: b"", "empty"),
]


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files():
    """Every file under MEDIA_ROOT (a throwaway folder in tests)."""
    root = Path(django_settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


# check_upload directly -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "code"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_check_upload_refuses_disguised_and_dangerous_files_in_german(name, make, code):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, make()))

    assert error.value.code == code
    assert MESSAGES[code] in str(error.value.messages[0])


def test_the_zip_bomb_is_small_on_the_wire_and_refused_without_unpacking(monkeypatch):
    data = bomb(tuple(XLSX_PARTS.items()))
    assert len(data) < 200 * 1024
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *args, **kw: opened.append(args))

    with pytest.raises(ValidationError):
        uploads.check_upload(upload("Liste.xlsx", data))
    assert opened == []  # refused from the directory, before any member was read


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../", "name"),
        ("C:\\", "name"),
        ("\x00", "name"),
        ("\u202e", "name"),
        # Nothing but an extension is no name: what is left ("pdf") has no type.
        ("\x00.pdf", "type"),
        ("/.pdf", "type"),
        ("..\\..\\.pdf", "type"),
    ],
)
def test_a_name_that_is_only_folders_or_control_characters_is_refused_in_german(name, code):
    # ContentFile, as SimpleUploadedFile itself refuses some of these names.
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(ContentFile(PDF, name=name))
    assert error.value.code == code
    assert MESSAGES[code] in error.value.messages[0]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("Bericht\x00.pdf", "Bericht.pdf"),
        ("\u202eFDP.exe\u202c.pdf", "FDP.exe.pdf"),
        ("Protokoll März ‏مرحبا.pdf", "Protokoll_März_مرحبا.pdf"),
    ],
)
def test_a_valid_file_is_accepted_under_a_safe_name(sent, kept):
    checked = uploads.check_upload(upload(sent, PDF))
    assert checked.name == kept
    assert "/" not in checked.name and "\\" not in checked.name and "\x00" not in checked.name


PPTX_PARTS = {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}
ODS_MIMETYPE = {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}
ODT_MIMETYPE = {"mimetype": "application/vnd.oasis.opendocument.text"}


def test_slides_and_odf_spreadsheets_are_materials_but_not_event_documents():
    for name, content, label in [
        ("Folien.pptx", archive(PPTX_PARTS), "PPTX"),
        ("Tabelle.ods", archive(ODS_MIMETYPE), "ODS"),
    ]:
        checked = uploads.check_upload(upload(name, content), allowed=uploads.MATERIAL_TYPES)
        assert checked.file_type.label == label
        with pytest.raises(ValidationError) as refused:
            uploads.check_upload(upload(name, content))
        assert refused.value.code == "type"


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("Folien.pptx", lambda: archive(DOCX_PARTS), "content"),
        ("Folien.pptx", lambda: bomb(tuple(PPTX_PARTS.items())), "zip"),
        ("Folien.pptx", lambda: encrypted(archive(PPTX_PARTS)), "zip"),
        ("Tabelle.ods", lambda: archive(ODT_MIMETYPE), "content"),
        ("Tabelle.ods", lambda: archive({"content.xml": "<x/>"}), "content"),
        ("Tabelle.ods", lambda: EXE, "content"),
    ],
    ids=[
        "docx-as-pptx",
        "zip-bomb-pptx",
        "encrypted-pptx",
        "odt-as-ods",
        "no-mimetype-ods",
        "exe-as-ods",
    ],
)
def test_disguised_slides_and_spreadsheets_are_refused_as_materials(name, make, code):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload(name, make()), allowed=uploads.MATERIAL_TYPES)
    assert refused.value.code == code


def test_the_material_types_are_named_in_the_refusal():
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload("Film.mp4", PDF), allowed=uploads.MATERIAL_TYPES)
    assert "PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG und TXT" in refused.value.messages[0]


# Through the pages that take files ----------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def organiser():
    person = UserFactory()
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    return person


@pytest.fixture
def event(organiser):
    return JourFixeFactory(organisers=[organiser])


@pytest.fixture
def shelter():
    return ShelterFactory(district=berlin_district("01"))


@pytest.fixture
def coordinator(shelter):
    person = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def post_document(client, event, file, title="Folien ‏عربي"):
    return client.post(
        reverse("events:documents", args=[event.pk]),
        {"action": "upload", "upload-title": title, "upload-file": file},
    )


def post_consultation(client, shelter, coordinator, files):
    return client.post(
        reverse("consultations:create"),
        {
            "shelter": shelter.pk,
            "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "duration_minutes": "45",
            "format": Format.PHONE,
            "participants": [coordinator.pk],
            "topics": [topic("versicherung").pk],
            "confidential_note": "Notiz bleibt erhalten",
            "next_steps": "",
            "attachments": files,
        },
    )


def page_text(response):
    return html.unescape(response.content.decode())


HOSTILE_AND_OVERSIZED = [h[1:] for h in HOSTILE] + [
    ("Gross.pdf", lambda: PDF + b"0" * 2048, "too_large")
]
IDS = [h[0] for h in HOSTILE] + ["oversized-pdf"]


@pytest.mark.parametrize(("name", "make", "code"), HOSTILE_AND_OVERSIZED, ids=IDS)
def test_an_event_document_upload_refuses_hostile_files_and_stores_nothing(
    client, settings, event, organiser, name, make, code
):
    settings.MAX_UPLOAD_BYTES = 1024 if code == "too_large" else settings.MAX_UPLOAD_BYTES
    client.force_login(organiser)
    files_before = stored_files()

    response = post_document(client, event, upload(name, make()))

    assert response.status_code == 200
    page = page_text(response)
    assert MESSAGES[code] in page
    assert 'value="Folien ‏عربي"' in page  # the title typed is kept
    assert not Document.objects.exists()
    assert stored_files() == files_before


@pytest.mark.parametrize(("name", "make", "code"), HOSTILE_AND_OVERSIZED, ids=IDS)
def test_a_consultation_attachment_refuses_hostile_files_and_logs_nothing(
    client, settings, organiser, shelter, coordinator, name, make, code
):
    settings.MAX_UPLOAD_BYTES = 1024 if code == "too_large" else settings.MAX_UPLOAD_BYTES
    client.force_login(organiser)
    files_before = stored_files()

    response = post_consultation(
        client, shelter, coordinator, [upload("gut.pdf", PDF), upload(name, make())]
    )

    assert response.status_code == 200
    page = page_text(response)
    assert MESSAGES[code] in page
    assert "erneut auswählen" in page
    assert "Notiz bleibt erhalten" in page
    assert not Consultation.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == files_before


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("..\\..\\Präsentation Mai.pdf", "Präsentation_Mai.pdf"),
    ],
)
def test_the_pages_store_a_valid_file_with_folders_in_its_name_inside_the_media_folder(
    client, event, organiser, shelter, coordinator, sent, kept
):
    client.force_login(organiser)
    media = Path(django_settings.MEDIA_ROOT).resolve()
    files_before = stored_files()

    assert post_document(client, event, upload(sent, PDF)).status_code == 302
    assert post_consultation(client, shelter, coordinator, [upload(sent, PDF)]).status_code == 302

    document, attachment = Document.objects.get(), Attachment.objects.get()
    assert document.file.name.endswith("/" + kept)
    assert attachment.name == kept
    new_files = stored_files() - files_before
    assert len(new_files) == 2
    for path in new_files:
        assert path.resolve().is_relative_to(media)
        assert path.read_bytes() == PDF
    for stored in (document.file.name, attachment.file.name):
        assert ".." not in stored and "\\" not in stored and not stored.startswith("/")
