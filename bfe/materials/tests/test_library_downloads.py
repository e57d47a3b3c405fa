"""Downloads: the current file as an attachment under its safe name, a link's target, earlier
versions for staff only; every download counted for its month and in total."""

# The fixtures are imported by name (see factories_library); pytest passes them as arguments.
# ruff: noqa: F811

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from bfe.materials.models import DownloadMonth, Material
from bfe.materials.services import library as services

from .factories import MaterialFactory, MaterialVersionFactory
from .factories_library import coordinator, library_defaults, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def download_url(material):
    return reverse("materials:download", args=[material.pk])


def test_the_current_file_is_served_as_an_attachment_and_counted(client):
    version = MaterialVersionFactory(
        number=1,
        material__audience=Material.Audience.PUBLIC,
        file_name="Leitfaden März.txt",
        extracted_text="Inhalt",
    )
    material = version.material
    response = client.get(download_url(material))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Leitfaden" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Inhalt"
    client.get(download_url(material))

    material.refresh_from_db()
    assert material.download_count == 2
    month = DownloadMonth.objects.get(material=material)
    assert month.count == 2 and month.month.day == 1


def test_a_link_counts_too_and_leads_to_its_target(client):
    material = MaterialFactory(audience=Material.Audience.PUBLIC, url="https://example.org/x")
    response = client.get(download_url(material))
    assert response.status_code == 302 and response["Location"] == "https://example.org/x"
    material.refresh_from_db()
    assert material.download_count == 1


def test_downloads_of_each_month_have_their_own_row():
    material = MaterialFactory()
    services.record_download(material=material, today=datetime.date(2026, 1, 31))
    services.record_download(material=material, today=datetime.date(2026, 2, 1))
    services.record_download(material=material, today=datetime.date(2026, 2, 20))
    counts = dict(DownloadMonth.objects.filter(material=material).values_list("month", "count"))
    assert counts == {datetime.date(2026, 1, 1): 1, datetime.date(2026, 2, 1): 2}


def test_an_internal_file_is_private_to_caches(client, coordinator):
    material = MaterialVersionFactory(number=1).material
    client.force_login(coordinator)
    response = client.get(download_url(material))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_earlier_version_is_for_staff_only(client, coordinator, staff):
    first = MaterialVersionFactory(number=1, extracted_text="alt", current=False)
    material = first.material
    MaterialVersionFactory(material=material, number=2, extracted_text="neu")
    url = reverse("materials:version_download", args=[material.pk, 1])
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"alt"
    assert (
        client.get(reverse("materials:version_download", args=[material.pk, 9])).status_code == 404
    )
    material.refresh_from_db()
    assert material.download_count == 0  # staff looking at old versions is no download


def test_an_archived_material_cannot_be_downloaded(client, staff):
    material = MaterialVersionFactory(number=1, material__status=Material.Status.ARCHIVED).material
    client.force_login(staff)
    assert client.get(download_url(material)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_parallel_downloads_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    material = MaterialFactory()
    barrier = threading.Barrier(6)

    def download():
        try:
            barrier.wait()
            services.record_download(material=material)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    material.refresh_from_db()
    assert material.download_count == 6
    assert DownloadMonth.objects.get(material=material).count == 6
