"""Attachments of consultations: what is accepted, how it is stored, and who may download it."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bfe.consultations.models import Attachment, Consultation, Format
from bfe.consultations.services import log as services
from bfe.core import uploads

from .factories import AttachmentFactory, ConsultationFactory, topic

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def office_file(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = office_file({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX_BYTES = office_file({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT_BYTES = office_file(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"}
)


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(file):
    with pytest.raises(ValidationError) as error:
        services.check_upload(file)
    return error.value.error_list[0].code


class TestCheckUpload:
    @pytest.mark.parametrize(
        ("name", "data", "content_type"),
        [
            ("protokoll.pdf", PDF_BYTES, "application/pdf"),
            ("foto.png", PNG_BYTES, "image/png"),
            ("foto.JPG", JPEG_BYTES, "image/jpeg"),
            ("foto.jpeg", JPEG_BYTES, "image/jpeg"),
            ("notiz.txt", "Grüße aus Pankow".encode(), "text/plain"),
            (
                "vereinbarung.docx",
                DOCX_BYTES,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "liste.xlsx",
                XLSX_BYTES,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("text.odt", ODT_BYTES, "application/vnd.oasis.opendocument.text"),
        ],
    )
    def test_accepts_the_allowed_types_with_the_type_read_from_the_content(
        self, name, data, content_type
    ):
        checked = services.check_upload(upload(name, data, content_type="text/html"))

        assert checked.file_type.content_type == content_type
        assert checked.name == name

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("bild.pdf", PNG_BYTES),
            ("programm.pdf", b"MZ\x90\x00" + b"\x00" * 60),
            ("foto.png", JPEG_BYTES),
            ("foto.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            ("archiv.docx", office_file({"readme.txt": "kein Word"})),
            ("tabelle.xlsx", DOCX_BYTES),
            ("text.odt", office_file({"mimetype": "application/zip"})),
            ("binaer.txt", b"\xff\xfe\x00\x00kein utf-8"),
            ("nullen.txt", b"abc\x00def"),
        ],
    )
    def test_refuses_content_that_does_not_match_the_extension(self, name, data):
        assert refusal(upload(name, data)) == "content"

    def test_refuses_a_broken_archive_as_unsafe_to_open(self):
        assert refusal(upload("kaputt.docx", b"PK\x03\x04 und dann nichts")) == "zip"

    @pytest.mark.parametrize(
        "name", ["skript.html", "bild.svg", "programm.exe", "archiv.zip", "ohne_endung"]
    )
    def test_refuses_other_types(self, name):
        assert refusal(upload(name, PDF_BYTES)) == "type"

    def test_refuses_an_empty_file(self):
        assert refusal(upload("leer.pdf", b"")) == "empty"

    def test_refuses_a_file_over_the_limit(self, settings):
        settings.MAX_UPLOAD_BYTES = 1024

        assert refusal(upload("gross.pdf", PDF_BYTES + b"x" * 1024)) == "too_large"
        services.check_upload(upload("klein.pdf", PDF_BYTES + b"x" * 100))

    def test_refuses_a_zip_bomb(self):
        bomb = office_file(
            {
                "[Content_Types].xml": "<Types/>",
                "word/document.xml": "<w:document/>",
                "word/media/nullen.bin": b"\x00" * (50 * 1024 * 1024),
            }
        )
        assert len(bomb) < 200 * 1024  # small on the wire, 50 MB unpacked

        assert refusal(upload("bombe.docx", bomb)) == "zip"

    @pytest.mark.parametrize(
        ("sent", "kept"),
        [
            ("../../etc/passwd.txt", "passwd.txt"),
            ("..\\..\\Windows\\boot.txt", "boot.txt"),
            ("C:\\Users\\eva\\Bericht März.txt", "Bericht_März.txt"),
            ("/home/eva/a b;rm -rf.txt", "a_brm_-rf.txt"),
            (".versteckt.txt", "versteckt.txt"),
            ("x" * 300 + ".txt", "x" * 196 + ".txt"),
        ],
    )
    def test_file_names_lose_folders_and_unsafe_characters(self, sent, kept):
        assert uploads.safe_file_name(sent) == kept

    @pytest.mark.parametrize("sent", ["", "..", "/", "\\", "...", "  "])
    def test_a_file_without_a_usable_name_is_refused(self, sent):
        with pytest.raises(ValidationError):
            uploads.safe_file_name(sent)


class TestUploading:
    def data(self, shelter, coordinator, files):
        return {
            "shelter": shelter.pk,
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": "45",
            "format": Format.PHONE,
            "participants": [coordinator.pk],
            "topics": [topic("versicherung").pk],
            "confidential_note": "Notiz",
            "next_steps": "",
            "attachments": files,
        }

    def test_files_are_stored_under_random_names_and_listed_for_staff(
        self, client, regional, shelter, coordinator
    ):
        client.force_login(regional)
        files = [
            upload("Protokoll Juni.pdf", PDF_BYTES, "application/pdf"),
            upload("Teilnehmende.xlsx", XLSX_BYTES),
        ]

        response = client.post(
            reverse("consultations:create"), self.data(shelter, coordinator, files), follow=True
        )

        consultation = Consultation.objects.get()
        attachments = list(consultation.attachments.order_by("name"))
        assert [a.name for a in attachments] == ["Protokoll_Juni.pdf", "Teilnehmende.xlsx"]
        assert attachments[0].content_type == "application/pdf"
        assert attachments[0].size == len(PDF_BYTES)
        assert attachments[0].uploaded_by == regional
        for attachment in attachments:
            path = attachment.file.name
            assert path.startswith(f"consultations/{consultation.pk}/")
            # The stored name is random: nothing of the original name is in the path.
            assert "Protokoll" not in path and "Teilnehmende" not in path
            assert len(path.rsplit("/", 1)[-1]) > 30
        assert "Protokoll_Juni.pdf" in response.text

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("bild.pdf", PNG_BYTES, "keine echte PDF-Datei"),
            ("leer.pdf", b"", "ist leer"),
            ("skript.html", b"<script>", "erlaubt sind nur"),
        ],
    )
    def test_a_refused_file_logs_nothing_and_says_why(
        self, client, regional, shelter, coordinator, name, data, message
    ):
        client.force_login(regional)
        files = [upload("gut.pdf", PDF_BYTES), upload(name, data)]

        response = client.post(
            reverse("consultations:create"), self.data(shelter, coordinator, files)
        )

        assert response.status_code == 200
        assert message in response.text
        assert "erneut auswählen" in response.text
        assert not Consultation.objects.exists()
        assert not Attachment.objects.exists()

    def test_an_oversized_file_is_refused(self, client, settings, regional, shelter, coordinator):
        settings.MAX_UPLOAD_BYTES = 100
        client.force_login(regional)
        files = [upload("gross.pdf", PDF_BYTES + b"0" * 200)]

        response = client.post(
            reverse("consultations:create"), self.data(shelter, coordinator, files)
        )

        assert "höchstens 100" in response.text
        assert not Consultation.objects.exists()

    def test_path_separators_in_a_sent_name_never_reach_the_storage(
        self, client, regional, shelter, coordinator
    ):
        client.force_login(regional)
        files = [upload("..\\..\\settings.txt", b"harmlos")]

        client.post(reverse("consultations:create"), self.data(shelter, coordinator, files))

        attachment = Attachment.objects.get()
        assert attachment.name == "settings.txt"
        assert ".." not in attachment.file.name and "\\" not in attachment.file.name

    def test_files_of_a_consultation_that_fails_to_save_are_removed_again(
        self, regional, shelter, coordinator, monkeypatch
    ):
        storage = Attachment._meta.get_field("file").storage
        stored = []
        original_save = storage.save

        def save_and_note(name, content, **kwargs):
            stored.append(original_save(name, content, **kwargs))
            return stored[-1]

        def fail(*args, **kwargs):
            raise RuntimeError("database gone")

        monkeypatch.setattr(storage, "save", save_and_note)
        monkeypatch.setattr(Attachment, "save", fail)

        with pytest.raises(RuntimeError):
            services.log_consultation(
                logged_by=regional,
                shelter=shelter,
                held_on=timezone.localdate(),
                duration_minutes=60,
                format=Format.ON_SITE,
                participants=[coordinator],
                other_participants="",
                topics=[topic("konflikte")],
                confidential_note="",
                next_steps="",
                files=[upload("gut.pdf", PDF_BYTES)],
            )

        assert len(stored) == 1
        assert not storage.exists(stored[0])
        assert not Consultation.objects.exists()

    def test_editing_adds_and_removes_attachments(self, client, regional, shelter, coordinator):
        consultation = ConsultationFactory(
            shelter=shelter, participants=[coordinator], topics=[topic("konflikte")]
        )
        old = AttachmentFactory(consultation=consultation, name="alt.pdf")
        client.force_login(regional)
        data = self.data(shelter, coordinator, [upload("neu.txt", b"neu")])
        data["remove_attachments"] = [old.pk]

        response = client.post(reverse("consultations:edit", args=[consultation.pk]), data)

        assert response.status_code == 302
        assert [a.name for a in consultation.attachments.all()] == ["neu.txt"]


class TestDownloading:
    @pytest.fixture
    def attachment(self, shelter, coordinator):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])
        return AttachmentFactory(
            consultation=consultation, name="Gesprächsnotiz.pdf", content_type="application/pdf"
        )

    def url(self, attachment):
        return reverse("consultations:attachment", args=[attachment.consultation_id, attachment.pk])

    def test_staff_of_the_region_download_the_file_as_an_attachment(
        self, client, regional, attachment
    ):
        client.force_login(regional)

        response = client.get(self.url(attachment))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Gespr" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test\n"

    def test_the_consulted_coordinator_cannot_download_it(self, client, coordinator, attachment):
        client.force_login(coordinator)

        assert client.get(self.url(attachment)).status_code == 404

    def test_an_attachment_is_only_found_under_its_own_consultation(
        self, client, regional, attachment, shelter
    ):
        other = ConsultationFactory(shelter=shelter)
        client.force_login(regional)

        url = reverse("consultations:attachment", args=[other.pk, attachment.pk])
        assert client.get(url).status_code == 404

    def test_a_missing_file_is_not_found_rather_than_an_error(self, client, regional, attachment):
        attachment.file.storage.delete(attachment.file.name)
        client.force_login(regional)

        assert client.get(self.url(attachment)).status_code == 404
