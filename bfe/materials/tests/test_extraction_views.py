"""The staff page of the text extraction: unreadable and long-waiting files with the reason,
and "Erneut versuchen", which reads the file again in the background."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory
from bfe.materials import demo
from bfe.materials.models import Material, MaterialVersion
from bfe.materials.tests.factories import MaterialVersionFactory
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

pytestmark = pytest.mark.django_db

LIST = reverse("materials:extraction")


@pytest.fixture
def lead(db, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    return RoleFactory(kind=Role.Kind.ADMIN, user__verified_email=True).user


@pytest.fixture
def regional(db, settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug="nord")
    ).user


@pytest.fixture
def coordinator(db):
    shelter = ShelterFactory(district=District.objects.get(number="01"))
    return CoordinatorPositionFactory(shelter=shelter, person__verified_email=True).person


def failed_version(**kwargs):
    return MaterialVersionFactory(
        extraction_status=MaterialVersion.Extraction.FAILED,
        extraction_error="PDF beschädigt oder nicht lesbar (PdfReadError: EOF marker not found)",
        extracted_text="",
        **kwargs,
    )


def test_staff_see_failed_and_long_pending_files_with_the_reason(client, lead):
    failed = failed_version(material__title="Merkblatt Datenschutz")
    stuck = MaterialVersionFactory(
        extraction_status=MaterialVersion.Extraction.PENDING,
        uploaded_at=timezone.now() - datetime.timedelta(hours=3),
        material__title="Aushang Sprachcafé",
    )
    MaterialVersionFactory(  # just uploaded: the worker is on it
        extraction_status=MaterialVersion.Extraction.PENDING, material__title="Gerade eben"
    )
    MaterialVersionFactory(material__title="Längst gelesen")
    client.force_login(lead)

    response = client.get(LIST)

    assert response.status_code == 200
    listed = [version for version, _url in response.context["rows"]]
    assert listed == [failed, stuck]
    content = response.content.decode()
    assert "EOF marker not found" in content
    assert "Merkblatt Datenschutz" in content
    assert "Gerade eben" not in content and "Längst gelesen" not in content
    assert "Erneut versuchen" in content


def test_an_empty_list_says_everything_was_read(client, regional):
    client.force_login(regional)

    response = client.get(LIST)

    assert response.status_code == 200
    assert "Alles gelesen" in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    failed_version()
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for _ in range(20):
        failed_version()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 21


def test_retry_reads_the_file_again_and_returns_to_the_list(
    client, lead, django_capture_on_commit_callbacks
):
    version = failed_version(
        file=ContentFile(demo.make_docx("Vereinbarung", ["Verschwiegenheit"]), name="v.docx"),
        file_type="DOCX",
    )
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("materials:extraction_retry", args=[version.pk]))

    assert response.status_code == 302
    assert response.url == LIST
    version.refresh_from_db()
    assert version.extraction_status == MaterialVersion.Extraction.DONE
    assert version.extraction_error == ""
    assert "Verschwiegenheit" in version.extracted_text
    material = Material.objects.get(pk=version.material_id)
    assert "verschwiegenheit" in material.search_text


def test_retry_asks_first_on_get_and_changes_nothing(client, lead):
    version = failed_version()
    client.force_login(lead)

    response = client.get(reverse("materials:extraction_retry", args=[version.pk]))

    assert response.status_code == 200
    assert "erneut lesen?" in response.content.decode()
    version.refresh_from_db()
    assert version.extraction_status == MaterialVersion.Extraction.FAILED


def test_a_file_that_fails_again_stays_on_the_list_with_the_new_reason(
    client, lead, django_capture_on_commit_callbacks
):
    version = failed_version(file=ContentFile(b"kaputt", name="k.pdf"), file_type="PDF")
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("materials:extraction_retry", args=[version.pk]))

    version.refresh_from_db()
    assert version.extraction_status == MaterialVersion.Extraction.FAILED
    assert version.extraction_error.startswith("PDF beschädigt")
    assert client.get(LIST).context["rows"][0][0] == version


def test_coordinators_are_refused_the_page_and_the_retry(client, coordinator):
    version = failed_version()
    client.force_login(coordinator)

    assert client.get(LIST).status_code == 404
    assert client.post(reverse("materials:extraction_retry", args=[version.pk])).status_code == 404
    version.refresh_from_db()
    assert version.extraction_status == MaterialVersion.Extraction.FAILED


def test_a_read_file_cannot_be_retried(client, lead):
    version = MaterialVersionFactory()
    client.force_login(lead)

    response = client.post(reverse("materials:extraction_retry", args=[version.pk]))

    assert response.status_code == 404


def test_the_page_speaks_english(client, lead):
    failed_version()
    client.force_login(lead)

    with override("en"):
        response = client.get(LIST, headers={"accept-language": "en"})

    content = response.content.decode()
    assert "Text extraction" in content
    assert "Try again" in content
