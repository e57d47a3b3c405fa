"""Importing a list: all people or none, a report naming row and reason, duplicates found."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from bfe.volunteering.models import ImportJob, Note, ShelterVolunteerFigures, Volunteer
from bfe.volunteering.services import imports, imports_reading

from .factories import VolunteerFactory
from .factories_imports import HEADER, csv_file, person_rows, xlsx_file

pytestmark = pytest.mark.django_db
MAPPING = {
    "full_name": 0,
    "email": 1,
    "phone": 2,
    "languages": 3,
    "stage": 4,
    "notes": 5,
    "start_date": 6,
}


@pytest.fixture(autouse=True)
def german():
    """Messages are checked in German, whatever an earlier test's request activated."""
    with translation.override("de"):
        yield


def run(shelter, coordinator, upload, columns=None, default_stage="active"):
    job = imports.upload_list(shelter=shelter, uploaded_by=coordinator, upload=upload)
    return imports.start_import(
        job=job,
        columns=columns or job.mapping["columns"],
        default_stage=default_stage,
        started_by=coordinator,
    )


def messages_of(job):
    errors, skipped = imports.report_of(job)
    return errors, skipped


def test_an_xlsx_list_is_imported_with_every_field(shelter, coordinator):
    job = run(shelter, coordinator, xlsx_file([HEADER, *person_rows(3)]))

    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 3 and job.processed_rows == 3
    person = Volunteer.objects.get(email="person0@example.org")
    assert person.shelter == shelter
    assert person.full_name == "Person 0"
    assert person.phone == "030 1000"
    assert person.languages == ["de", "ar"]
    assert person.stage == Volunteer.Stage.ACTIVE
    assert person.source == Volunteer.Source.IMPORT
    assert timezone.localdate(person.created_at) == datetime.date(2022, 3, 1)
    assert Note.objects.get(volunteer=person).text == "Notiz 0"
    assert not Note.objects.filter(volunteer__email="person1@example.org").exists()


def test_a_csv_list_is_imported_and_the_figures_count_it(shelter, coordinator):
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(4)]))

    assert job.status == ImportJob.Status.DONE and job.created_count == 4
    assert ShelterVolunteerFigures.objects.get(shelter=shelter).active == 4


def test_first_and_last_name_make_the_name(shelter, coordinator):
    rows = [["Vorname", "Nachname", "E-Mail"], ["Amira", "Haddad", "amira@example.org"]]
    run(shelter, coordinator, csv_file(rows))
    assert Volunteer.objects.get().full_name == "Amira Haddad"


def test_the_uploaded_file_is_deleted_once_imported(shelter, coordinator):
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(1)]))
    assert not job.file


def test_one_bad_row_imports_nobody_and_the_report_names_row_and_reason(shelter, coordinator):
    rows = [HEADER, *person_rows(8)]
    rows[6][1] = "abc"  # spreadsheet row 7 (the header is row 1)

    job = run(shelter, coordinator, xlsx_file(rows))

    assert job.status == ImportJob.Status.FAILED
    assert not Volunteer.objects.exists()
    assert not ShelterVolunteerFigures.objects.filter(shelter=shelter, active__gt=0).exists()
    errors, _skipped = messages_of(job)
    assert errors == ["Zeile 7: E-Mail-Adresse „abc“ ist ungültig."]


def test_every_kind_of_bad_cell_is_reported_with_its_row(shelter, coordinator):
    rows = [
        HEADER,
        ["", "leer@example.org", "", "", "", "", ""],
        ["Ben", "ben@example.org", "ruf mich an", "", "", "", ""],
        ["Cem", "cem@example.org", "", "Klingonisch", "", "", ""],
        ["Dana", "dana@example.org", "", "", "verschollen", "", ""],
        ["Eda", "eda@example.org", "", "", "", "", "32.13.2020"],
        ["Fia", "fia@example.org", "", "", "", "", "01.01.2999"],
    ]
    job = run(shelter, coordinator, csv_file(rows))

    errors, _skipped = messages_of(job)
    assert errors == [
        "Zeile 2: Name fehlt.",
        "Zeile 3: Telefonnummer „ruf mich an“ ist ungültig.",
        "Zeile 4: Sprache „Klingonisch“ ist unbekannt.",
        "Zeile 5: Stand „verschollen“ ist unbekannt.",
        "Zeile 6: Datum „32.13.2020“ ist ungültig (erwartet: TT.MM.JJJJ).",
        "Zeile 7: Datum „01.01.2999“ liegt in der Zukunft.",
    ]
    assert not Volunteer.objects.exists()


def test_a_duplicate_in_the_file_is_an_error_naming_the_first_row(shelter, coordinator):
    rows = [HEADER, *person_rows(11)]
    rows[11][1] = "Person0@Example.org"  # row 12 repeats row 2

    job = run(shelter, coordinator, csv_file(rows))

    errors, _skipped = messages_of(job)
    assert errors == ["Zeile 12: doppelt in der Datei (wie Zeile 2)."]
    assert job.status == ImportJob.Status.FAILED
    assert not Volunteer.objects.exists()


def test_people_already_recorded_are_skipped_and_left_as_they_were(shelter, coordinator):
    existing = VolunteerFactory(
        shelter=shelter, email="PERSON1@example.org", full_name="Alt", phone=""
    )
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(3)]))

    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.duplicate_count) == (2, 1)
    existing.refresh_from_db()
    assert (existing.full_name, existing.phone) == ("Alt", "")
    assert Volunteer.objects.filter(shelter=shelter).count() == 3
    _errors, skipped = messages_of(job)
    assert skipped == ["Zeile 3: „person1@example.org“ ist schon erfasst und wird übersprungen."]


def test_the_same_address_in_another_shelter_is_no_duplicate(shelter, other_shelter, coordinator):
    VolunteerFactory(shelter=other_shelter, email="person0@example.org")
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(1)]))
    assert (job.created_count, job.duplicate_count) == (1, 0)


def test_people_without_an_address_are_imported_without_duplicate_check(shelter, coordinator):
    rows = [["Name", "E-Mail"], ["Ada", ""], ["Ada", ""]]
    job = run(shelter, coordinator, csv_file(rows))
    assert job.created_count == 2


def test_an_empty_stage_takes_the_stage_chosen_for_the_import(shelter, coordinator):
    rows = [["Name", "Stand"], ["Ada", ""], ["Bo", "pausiert"], ["Cy", "Ended"]]
    run(shelter, coordinator, csv_file(rows), default_stage="contacted")
    stages = dict(Volunteer.objects.values_list("full_name", "stage"))
    assert stages == {"Ada": "contacted", "Bo": "paused", "Cy": "ended"}
    figures = ShelterVolunteerFigures.objects.get(shelter=shelter)
    assert (figures.contacted, figures.paused, figures.ended) == (1, 1, 1)


def test_languages_are_read_in_german_english_and_with_slashes(shelter, coordinator):
    rows = [["Name", "Sprachen"], ["Ada", "Englisch; Farsi/Dari"], ["Bo", "Ukrainian / Russian"]]
    run(shelter, coordinator, csv_file(rows))
    languages = dict(Volunteer.objects.values_list("full_name", "languages"))
    assert languages == {"Ada": ["en", "fa"], "Bo": ["uk", "ru"]}


def test_dates_from_excel_cells_and_text_are_both_read(shelter, coordinator):
    rows = [
        ["Name", "Seit"],
        ["Ada", datetime.datetime(2021, 5, 4)],
        ["Bo", "2020-01-31"],
        ["Cy", "7.8.19"],
    ]
    run(shelter, coordinator, xlsx_file(rows))
    since = {v.full_name: timezone.localdate(v.created_at) for v in Volunteer.objects.all()}
    assert since == {
        "Ada": datetime.date(2021, 5, 4),
        "Bo": datetime.date(2020, 1, 31),
        "Cy": datetime.date(2019, 8, 7),
    }


def test_a_mapping_without_a_name_is_refused(shelter, coordinator):
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(1)])
    )
    with pytest.raises(ValidationError) as refused:
        imports.start_import(
            job=job, columns={"email": 1}, default_stage="active", started_by=coordinator
        )
    assert "Namen" in refused.value.messages[0]


def test_a_column_cannot_feed_two_fields(shelter, coordinator):
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(1)])
    )
    with pytest.raises(ValidationError):
        imports.start_import(
            job=job,
            columns={"full_name": 0, "notes": 0},
            default_stage="active",
            started_by=coordinator,
        )


def test_a_finished_import_cannot_run_again(shelter, coordinator):
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(2)]))
    with pytest.raises(imports.ImportNotStartable):
        imports.start_import(
            job=job, columns=MAPPING, default_stage="active", started_by=coordinator
        )
    assert imports.run_import(job_id=job.pk) is None
    assert Volunteer.objects.count() == 2


def test_a_failed_import_runs_again_with_another_mapping(shelter, coordinator):
    rows = [["Name", "Kontakt", "Telefon"], ["Ada", "ada@example.org", "nicht bekannt"]]
    job = run(shelter, coordinator, csv_file(rows))
    assert job.status == ImportJob.Status.FAILED

    job = imports.start_import(
        job=job,
        columns={"full_name": 0, "email": 1},
        default_stage="active",
        started_by=coordinator,
    )
    assert job.status == ImportJob.Status.DONE
    assert Volunteer.objects.get().phone == ""


def test_too_many_rows_are_refused_at_upload(shelter, coordinator, settings):
    settings.VOLUNTEER_IMPORT_MAX_ROWS = 3
    with pytest.raises(ValidationError) as refused:
        imports.upload_list(
            shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(4)])
        )
    assert "höchstens 3" in refused.value.messages[0]


def test_a_damaged_xlsx_is_refused_at_upload(shelter, coordinator):
    good = xlsx_file([HEADER, *person_rows(1)]).read()
    damaged = xlsx_file([])
    damaged.file.write(good[:-200])
    damaged.file.seek(0)
    damaged.size = len(good) - 200
    with pytest.raises(ValidationError):
        imports.upload_list(shelter=shelter, uploaded_by=coordinator, upload=damaged)
    assert not ImportJob.objects.exists()


def test_the_report_keeps_a_limited_number_of_errors_and_counts_the_rest(
    shelter, coordinator, monkeypatch
):
    monkeypatch.setattr(imports, "REPORT_LIMIT", 3)
    rows = [["Name", "E-Mail"], *[[f"P{n}", "kaputt"] for n in range(5)]]
    job = run(shelter, coordinator, csv_file(rows))
    errors, _skipped = messages_of(job)
    assert len(errors) == 4
    assert errors[-1] == "… und 2 weitere Fehler."


def test_a_large_file_runs_as_a_task_and_counts_its_progress(
    shelter, coordinator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.VOLUNTEER_IMPORT_BACKGROUND_ROWS = 5
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 4)
    seen = []
    original = imports.data_rows

    def watching(fileobj, table):
        for row in original(fileobj, table):
            seen.append(ImportJob.objects.values_list("status", "processed_rows").get())
            yield row

    monkeypatch.setattr(imports, "data_rows", watching)
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=xlsx_file([HEADER, *person_rows(12)])
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        started = imports.start_import(
            job=job, columns=job.mapping["columns"], default_stage="active", started_by=coordinator
        )
        # The request only enqueues: the task runs once the transaction commits.
        assert started.status == ImportJob.Status.MAPPED

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 12
    # One pass over the spreadsheet during the run: the writing reads the checked rows.
    checked = [done for status, done in seen]
    assert checked == [0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8]
    assert {status for status, _done in seen} == {ImportJob.Status.RUNNING}
    assert job.processed_rows == 12


def test_rows_are_written_in_batches(
    shelter, coordinator, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(95)])
    )
    job.status = ImportJob.Status.MAPPED
    job.save()
    with django_assert_max_num_queries(60):
        imports.run_import(job_id=job.pk)
    assert Volunteer.objects.count() == 95


def test_a_person_recorded_between_check_and_write_is_skipped(shelter, coordinator, monkeypatch):
    original = imports._write

    def someone_adds_her_meanwhile(job, spool):
        VolunteerFactory(shelter=shelter, email="person2@example.org")
        return original(job, spool)

    monkeypatch.setattr(imports, "_write", someone_adds_her_meanwhile)
    job = run(shelter, coordinator, csv_file([HEADER, *person_rows(3)]))
    assert (job.created_count, job.duplicate_count) == (2, 1)


def test_mapping_guesses_are_stored_with_the_upload(shelter, coordinator):
    job = imports.upload_list(
        shelter=shelter, uploaded_by=coordinator, upload=csv_file([HEADER, *person_rows(1)])
    )
    assert job.mapping["columns"] == imports_reading.guess_mapping(HEADER)
    assert job.total_rows == 1
    assert job.status == ImportJob.Status.UPLOADED
    assert job.file.name.endswith(".csv") and "liste" not in job.file.name


def test_a_clash_with_the_unique_address_rule_fails_the_import_and_keeps_nothing(
    shelter, coordinator, monkeypatch
):
    rows = [HEADER, *person_rows(3)]
    job = imports.upload_list(shelter=shelter, uploaded_by=coordinator, upload=csv_file(rows))
    VolunteerFactory(shelter=shelter, email="person1@example.org")
    # As if someone recorded her after the second pass had counted the addresses.
    monkeypatch.setattr(imports, "_existing_emails", lambda shelter_id: set())

    job = imports.start_import(
        job=job, columns=job.mapping["columns"], default_stage="active", started_by=coordinator
    )

    assert job.status == ImportJob.Status.FAILED
    errors, _skipped = messages_of(job)
    assert "Bitte starten Sie den Import noch einmal." in errors[0]
    assert Volunteer.objects.filter(shelter=shelter).count() == 1
    assert job.file  # kept, so that it can run again


def test_retention_counts_from_the_import_not_from_the_start_date(shelter, coordinator):
    before = timezone.now()
    run(shelter, coordinator, csv_file([HEADER, *person_rows(1)]))
    person = Volunteer.objects.get()
    assert person.last_activity_at >= before
    assert person.retention_notice_sent_at is None
