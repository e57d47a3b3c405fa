"""The import pages: a coordinator uploads, maps and imports for her shelters only."""

import pytest
from django.urls import reverse

from bfe.volunteering.models import ImportJob, Volunteer
from bfe.volunteering.services import imports

from .factories_imports import HEADER, csv_file, person_rows, xlsx_file

pytestmark = pytest.mark.django_db
UPLOAD = reverse("volunteering:import_upload")


def upload(client, file, **extra):
    return client.post(UPLOAD, {"file": file, **extra})


def job_for(shelter, coordinator, rows=None):
    return imports.upload_list(
        shelter=shelter,
        uploaded_by=coordinator,
        upload=csv_file(rows or [HEADER, *person_rows(3)]),
    )


def mapping_post(job, **changes):
    data = dict.fromkeys(imports.FIELDS, "")
    data.update({name: str(index) for name, index in job.mapping["columns"].items()})
    data["default_stage"] = "active"
    data.update(changes)
    return data


def test_the_upload_page_explains_the_import_and_shows_no_imports_yet(client, coordinator):
    client.force_login(coordinator)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    content = response.content.decode()
    assert "alles oder nichts" in content
    assert "werden übersprungen" in content
    assert "Noch keine Importe" in content
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )


def test_an_upload_leads_to_the_mapping_with_guesses_and_a_preview(client, coordinator, shelter):
    client.force_login(coordinator)
    response = upload(client, xlsx_file([HEADER, *person_rows(12)]), shelter=shelter.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:import_mapping", args=[job.pk])

    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert 'value="1" selected' in content  # E-Mail guessed as column B
    assert "Person 9" in content and "Person 10" not in content  # the first ten rows
    assert "Zeile 11" in content and "Zeile 12" not in content


def test_a_wrong_file_type_is_refused_with_a_message_and_the_form_kept(client, coordinator):
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client, SimpleUploadedFile("liste.pdf", b"%PDF-1.4 ..."))
    assert response.status_code == 200
    content = response.content.decode()
    assert "erlaubt sind nur XLSX und CSV" in content
    assert 'type="file"' in content
    assert "Bitte wählen Sie die Datei noch einmal aus." in content
    assert not ImportJob.objects.exists()


def test_a_csv_that_is_no_text_is_refused(client, coordinator):
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client, SimpleUploadedFile("liste.csv", b"\x00\x01\x02binary"))
    assert "keine echte CSV-Datei" in response.content.decode()


def test_mapping_and_import_through_the_pages(client, coordinator, shelter):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    url = reverse("volunteering:import_mapping", args=[job.pk])

    response = client.post(url, mapping_post(job))

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:import_status", args=[job.pk])
    page = client.get(response["Location"])
    assert "3 Personen importiert." in page.content.decode()
    assert Volunteer.objects.filter(shelter=shelter).count() == 3


def test_the_report_names_the_bad_row_and_nothing_is_imported(client, coordinator, shelter):
    client.force_login(coordinator)
    rows = [HEADER, *person_rows(3)]
    rows[2][1] = "abc"
    job = job_for(shelter, coordinator, rows)

    response = client.post(
        reverse("volunteering:import_mapping", args=[job.pk]), mapping_post(job), follow=True
    )

    content = response.content.decode()
    assert "Nichts importiert" in content
    assert "Zeile 3: E-Mail-Adresse „abc“ ist ungültig." in content
    assert "Spalten anders zuordnen" in content
    assert not Volunteer.objects.exists()


def test_a_mapping_without_a_name_shows_its_error_and_keeps_the_choices(
    client, coordinator, shelter
):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    response = client.post(
        reverse("volunteering:import_mapping", args=[job.pk]), mapping_post(job, full_name="")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte ordnen Sie eine Spalte mit dem Namen zu" in content
    assert 'value="1" selected' in content
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_the_preview_follows_a_changed_mapping_without_importing(client, coordinator, shelter):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    url = reverse("volunteering:import_mapping", args=[job.pk])

    plain = client.post(url, {**mapping_post(job, full_name="1", email=""), "preview": "1"})
    htmx = client.post(
        url + "?vorschau=1", mapping_post(job, full_name="1", email=""), HTTP_HX_REQUEST="true"
    )

    assert '<td data-label="Name">person0@example.org</td>' in plain.content.decode()
    assert htmx.content.decode().lstrip().startswith('<section id="preview"')
    assert "person0@example.org" in htmx.content.decode()
    assert not Volunteer.objects.exists()


def test_a_running_import_shows_its_progress_and_refreshes_without_javascript(
    client, coordinator, shelter
):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator, [HEADER, *person_rows(12)])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, processed_rows=5)
    url = reverse("volunteering:import_status", args=[job.pk])

    page = client.get(url).content.decode()
    partial = client.get(url, HTTP_HX_REQUEST="true")

    assert '<progress class="import-progress" max="12" value="5"' in page
    assert "5 von 12 Zeilen geprüft." in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Seite neu laden" in page
    assert partial.content.decode().lstrip().startswith('<section id="progress"')
    assert 'hx-trigger="every 2s"' in partial.content.decode()


def test_the_polling_reloads_the_page_once_the_import_is_finished(client, coordinator, shelter):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    response = client.get(
        reverse("volunteering:import_status", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_a_finished_import_cannot_be_mapped_again(client, coordinator, shelter):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    client.post(reverse("volunteering:import_mapping", args=[job.pk]), mapping_post(job))
    response = client.get(reverse("volunteering:import_mapping", args=[job.pk]))
    assert response.status_code == 302
    assert Volunteer.objects.count() == 3


def test_a_coordinator_of_two_shelters_chooses_one(client, coordinator, shelter, other_shelter):
    from bfe.places.tests.factories import CoordinatorPositionFactory

    CoordinatorPositionFactory(shelter=other_shelter, person=coordinator)
    client.force_login(coordinator)
    assert 'name="shelter"' in client.get(UPLOAD).content.decode()
    upload(client, csv_file([HEADER, *person_rows(1)]), shelter=other_shelter.pk)
    assert ImportJob.objects.get().shelter == other_shelter


def test_a_coordinator_cannot_import_into_another_shelter(client, coordinator, other_shelter):
    client.force_login(coordinator)
    response = upload(client, csv_file([HEADER, *person_rows(1)]), shelter=other_shelter.pk)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_another_shelters_import_is_not_found(
    client, coordinator, other_coordinator, other_shelter
):
    job = job_for(other_shelter, other_coordinator)
    client.force_login(coordinator)
    for name in ("volunteering:import_status", "volunteering:import_mapping"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    response = client.post(reverse("volunteering:import_mapping", args=[job.pk]), mapping_post(job))
    assert response.status_code == 404
    assert ImportJob.objects.get().status == ImportJob.Status.UPLOADED


@pytest.mark.parametrize("role", ["regional_coordinator", "lead", "partner", "volunteer_user"])
def test_staff_partners_and_volunteers_find_no_import(request, client, role, coordinator, shelter):
    job = job_for(shelter, coordinator)
    client.force_login(request.getfixturevalue(role))
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {"file": csv_file([HEADER])}).status_code == 404
    for name in ("volunteering:import_status", "volunteering:import_mapping"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_pages_speak_english(client, coordinator, shelter, settings):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [HEADER, *person_rows(2)]
    rows[1][1] = "abc"
    job = job_for(shelter, coordinator, rows)
    client.post(reverse("volunteering:import_mapping", args=[job.pk]), mapping_post(job))
    content = client.get(reverse("volunteering:import_status", args=[job.pk])).content.decode()
    assert "Nothing imported" in content
    assert "Row 2: e-mail address “abc” is not valid." in content


def test_an_import_whose_file_was_purged_asks_for_a_new_upload(client, coordinator, shelter):
    client.force_login(coordinator)
    job = job_for(shelter, coordinator)
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")

    mapping = client.get(reverse("volunteering:import_mapping", args=[job.pk]))
    status = client.get(reverse("volunteering:import_status", args=[job.pk]))

    assert mapping.status_code == 302
    assert "nicht mehr gespeichert" in status.content.decode()
    assert reverse("volunteering:import_mapping", args=[job.pk]) not in status.content.decode()
