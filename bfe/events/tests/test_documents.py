"""Minutes and files of an event: for participants and BfE staff only; uploads checked by
content."""

import io
import re
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core import uploads
from bfe.events.models import Document, Registration
from bfe.events.services import documents as services
from bfe.events.tests.factories import DocumentFactory, JourFixeFactory, RegistrationFactory
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


def regional(slug):
    person = UserFactory()
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug))
    return person


def coordinator():
    person = UserFactory()
    CoordinatorPositionFactory(
        shelter=ShelterFactory(district=berlin_district("01")), person=person
    )
    return person


@pytest.fixture
def organiser():
    return regional("nord")


@pytest.fixture
def event(organiser):
    return JourFixeFactory(organisers=[organiser])


@pytest.fixture
def minutes(event):
    return DocumentFactory(
        event=event,
        title="Protokoll März",
        text="**Ergebnis:** Patenschaften starten.\n\n<script>alert(1)</script>",
    )


def documents_url(event):
    return reverse("events:documents", args=[event.pk])


def document_url(document):
    return reverse("events:document", args=[document.event_id, document.pk])


# Files for the upload checks -------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes(document_xml=b"<w:document/>", extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document_xml)
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes():
    workbook = Workbook()
    workbook.active["A1"] = "Teilnahme"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def lying_docx_bytes():
    """A DOCX whose directory declares 10 bytes for a member that unpacks to 1 MB."""
    data = bytearray(docx_bytes(b"\x00" * 1_000_000))
    struct.pack_into("<I", data, 22, 10)  # the first local header's uncompressed size
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 10)  # and the central directory's
    return bytes(data)


# Upload checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("Einladung.pdf", PDF, "PDF"),
        ("Foto.PNG", PNG, "PNG"),
        ("Bild.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "JPEG"),
        ("Notiz.txt", "Grüße aus Pankow\n".encode(), "TXT"),
        ("Protokoll.docx", docx_bytes(), "DOCX"),
        ("Liste.xlsx", xlsx_bytes(), "XLSX"),
        ("Bericht.odt", odt_bytes(), "ODT"),
    ],
)
def test_the_allowed_types_pass_when_their_content_is_what_the_name_says(name, content, label):
    checked = uploads.check_upload(upload(name, content))
    assert checked.file_type.label == label
    assert checked.name == name
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("Einladung.pdf", PNG, "content"),  # a PNG behind a PDF name
        ("Einladung.pdf", b"<html><script>alert(1)</script></html>", "content"),
        ("Protokoll.docx", PDF, "content"),
        ("Protokoll.docx", xlsx_bytes(), "content"),  # an XLSX is no DOCX
        ("Liste.xlsx", docx_bytes(), "content"),
        ("Bericht.odt", docx_bytes(), "content"),
        ("Notiz.txt", b"MZ\x90\x00\x03\x00\x00\x00", "content"),  # binary with NUL bytes
        ("Notiz.txt", "Grüße".encode("latin-1"), "content"),  # not UTF-8
        ("Notiz.txt", PDF, "content"),  # a PDF behind a TXT name
        ("Programm.exe", b"MZ" + b"\x00" * 10, "type"),
        ("Seite.html", b"<html></html>", "type"),
        ("ohne-endung", PDF, "type"),
        ("Leer.pdf", b"", "empty"),
        ("Kaputt.docx", b"PK\x03\x04" + b"\x00" * 40, "zip"),
        ("Gelogen.docx", lying_docx_bytes(), "zip"),
    ],
)
def test_files_are_refused_for_what_they_are(name, content, code):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, content))
    assert error.value.code == code
    assert str(error.value.messages[0])


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = docx_bytes(extra={"word/media/zeros.bin": b"\x00" * (uploads.MAX_UNCOMPRESSED_BYTES)})
    assert len(bomb) < 1_000_000  # small on the wire

    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("Bombe.docx", bomb))
    assert error.value.code == "zip"


def test_files_larger_than_the_limit_are_refused_with_both_sizes(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("Gross.pdf", PDF + b"0" * 1000))
    assert error.value.code == "too_large"
    assert "1000" in error.value.messages[0] or "1,0" in error.value.messages[0]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/Protokoll.pdf", "Protokoll.pdf"),
        ("C:\\Users\\eva\\Desktop\\Einladung März.pdf", "Einladung_März.pdf"),
        ("/home/eva/.versteckt.pdf", "versteckt.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_folder_parts_and_unsafe_characters_leave_the_file_name(sent, kept):
    assert uploads.safe_file_name(sent) == kept


@pytest.mark.parametrize("sent", ["", "..", "/", "C:\\", " . "])
def test_names_that_are_no_names_are_refused(sent):
    with pytest.raises(ValidationError) as error:
        uploads.safe_file_name(sent)
    assert error.value.code == "name"


def test_the_check_leaves_the_file_at_its_start():
    file = upload("Protokoll.docx", docx_bytes())
    uploads.check_upload(file)
    assert file.read(4) == b"PK\x03\x04"


# Who may read ----------------------------------------------------------------------------------


def test_a_participant_reads_the_minutes_rendered_and_sanitised(client, event, minutes):
    participant = RegistrationFactory(event=event, person=coordinator()).person
    client.force_login(participant)

    listing = client.get(documents_url(event))
    page = client.get(document_url(minutes))

    assert listing.status_code == 200
    assert "Protokoll März" in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Ergebnis:</strong> Patenschaften starten." in html
    assert "alert(1)" not in html
    assert "Protokoll löschen" not in html


@pytest.mark.parametrize("who", ["regional_west", "regional_nord", "admin"])
def test_bfe_staff_of_any_region_read_the_documents(client, event, minutes, who):
    person = regional("west") if who == "regional_west" else regional("nord")
    if who == "admin":
        person = UserFactory()
        RoleFactory(user=person, kind=Role.Kind.ADMIN)
    client.force_login(person)

    assert client.get(documents_url(event)).status_code == 200
    assert client.get(document_url(minutes)).status_code == 200


@pytest.mark.parametrize(
    "who", ["other_coordinator", "waitlisted", "cancelled", "volunteer", "partner"]
)
def test_minutes_are_hidden_from_everybody_else(client, event, minutes, who):
    if who in {"waitlisted", "cancelled"}:
        status = Status.WAITLISTED if who == "waitlisted" else Status.CANCELLED
        person = RegistrationFactory(
            event=event, person=coordinator(), status=status, waitlisted_at=timezone.now()
        ).person
    elif who == "other_coordinator":
        person = coordinator()
    else:
        person = UserFactory()
        kind = Role.Kind.VOLUNTEER if who == "volunteer" else Role.Kind.PARTNER
        RoleFactory(user=person, kind=kind)
    client.force_login(person)

    assert client.get(documents_url(event)).status_code == 404
    assert client.get(document_url(minutes)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, event, minutes):
    response = client.get(document_url(minutes))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_document_of_another_event_is_not_found_through_this_one(client, event, organiser):
    other = DocumentFactory(event=JourFixeFactory())
    client.force_login(organiser)
    url = reverse("events:document", args=[event.pk, other.pk])
    assert client.get(url).status_code == 404


# Organisers add and delete ---------------------------------------------------------------------


def test_an_organiser_writes_minutes(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        documents_url(event),
        {"action": "minutes", "minutes-title": "Protokoll", "minutes-text": "- Punkt eins"},
    )

    assert response.status_code == 302
    document = event.documents.get()
    assert (document.kind, document.text, document.uploaded_by) == (
        Document.Kind.MINUTES,
        "- Punkt eins",
        organiser,
    )


def test_minutes_without_text_are_shown_again_with_the_error(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        documents_url(event),
        {"action": "minutes", "minutes-title": "Mein Titel", "minutes-text": ""},
    )

    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert 'value="Mein Titel"' in response.content.decode()
    assert not event.documents.exists()


def test_an_organiser_uploads_a_file_that_participants_download(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        documents_url(event),
        {
            "action": "upload",
            "upload-title": "",
            "upload-file": upload("../Präsentation Gewinnung.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302
    document = event.documents.get()
    assert document.kind == Document.Kind.FILE
    assert document.title == "Präsentation Gewinnung"
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert re.fullmatch(
        rf"events/{event.pk}/[A-Za-z0-9_-]{{16}}/Präsentation_Gewinnung\.pdf", document.file.name
    )

    participant = RegistrationFactory(event=event, person=coordinator()).person
    client.force_login(participant)
    download = client.get(document_url(document))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Pr%C3%A4sentation_Gewinnung.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_upload_says_why_and_stores_nothing(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        documents_url(event),
        {"action": "upload", "upload-title": "Folien", "upload-file": upload("Folien.pdf", PNG)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "ist keine echte PDF-Datei" in html
    assert 'value="Folien"' in html
    assert not event.documents.exists()


def test_the_service_checks_files_for_every_caller(event, organiser):
    with pytest.raises(ValidationError):
        services.add_file(event=event, upload=upload("x.pdf", PNG), by=organiser)
    assert not event.documents.exists()


@pytest.mark.parametrize("who", ["participant", "regional_west"])
def test_readers_who_do_not_manage_the_event_cannot_add_or_delete(client, event, minutes, who):
    if who == "participant":
        person = RegistrationFactory(event=event, person=coordinator()).person
    else:
        person = regional("west")
    client.force_login(person)

    posted = client.post(
        documents_url(event), {"action": "minutes", "minutes-title": "X", "minutes-text": "Y"}
    )

    assert posted.status_code == 404
    assert client.get(document_url(minutes) + "?loeschen").status_code == 404
    assert client.post(document_url(minutes)).status_code == 404
    assert event.documents.count() == 1


def test_an_organiser_deletes_a_file_after_confirming(
    client, event, organiser, django_capture_on_commit_callbacks
):
    document = services.add_file(event=event, upload=upload("Alt.pdf", PDF), by=organiser)
    path = document.file.name
    assert default_storage.exists(path)
    client.force_login(organiser)

    confirm = client.get(document_url(document) + "?loeschen")
    assert confirm.status_code == 200
    assert "Endgültig löschen" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(document_url(document))

    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(path)


def test_a_file_missing_on_disk_is_not_found_rather_than_an_error(client, event, organiser):
    document = services.add_file(event=event, upload=upload("Weg.pdf", PDF), by=organiser)
    default_storage.delete(document.file.name)
    client.force_login(organiser)

    assert client.get(document_url(document)).status_code == 404
