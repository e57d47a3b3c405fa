"""manage.py backup and restore: a restore into an empty database is identical, row for row.

The tests run on whichever database the suite uses (CI runs both). The restore goes into a
second, empty database under its own alias: a temporary file on SQLite, a database created on
the server (and dropped again) on PostgreSQL. Both need committed data, so the tests are
transactional: pg_dump reads the database from another process.
"""

import io
import json
import uuid

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from psycopg import sql

from bfe.consultations.tests.factories import AttachmentFactory, FollowUpFactory
from bfe.core.backup import table_fingerprints
from bfe.events.tests.factories import EnrolmentFactory, RegistrationFactory
from bfe.places.models import Shelter
from bfe.places.tests.factories import ShelterFactory

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = "restore_target"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _server_connection(settings_dict):
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    return psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The alias of a second, empty database of the same kind as the test database."""
    default = connections["default"].settings_dict
    target = {**default}
    if connections["default"].vendor == "postgresql":
        target["NAME"] = f"test_bfe_restore_{uuid.uuid4().hex[:12]}"
        with _server_connection(default) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target["NAME"])))
    else:
        target["NAME"] = str(tmp_path / "restored.sqlite3")
    connections.settings[TARGET] = target
    # Django's test case refuses to open connections for aliases it does not manage; one that
    # is open already may be used.
    connections[TARGET].connect()
    yield TARGET
    connections[TARGET].close()
    del connections[TARGET]
    del connections.settings[TARGET]
    if connections["default"].vendor == "postgresql":
        with _server_connection(default) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target["NAME"])
                )
            )


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of this test; `media.use("restored")` switches to an
    empty one, as on the machine the backup is restored on."""

    class Media:
        def use(self, name):
            settings.MEDIA_ROOT = tmp_path / name
            settings.MEDIA_ROOT.mkdir()
            return settings.MEDIA_ROOT

    media = Media()
    media.root = media.use("media")
    return media


@pytest.fixture
def data(media):
    """Some of everything: shelters, an event registration, a training enrolment, a follow-up,
    and a consultation with an uploaded PDF."""
    ShelterFactory.create_batch(3)
    RegistrationFactory.create_batch(2)
    EnrolmentFactory()
    FollowUpFactory()
    return AttachmentFactory(file=ContentFile(PDF, name="protokoll.pdf"))


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_a_restored_backup_has_the_same_rows_in_every_table_and_the_same_files(
    data, media, empty_database, tmp_path
):
    folder = tmp_path / "backup"
    run("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    restored_media = media.use("restored")

    output = run("restore", str(folder), database=empty_database)

    assert output.startswith("OK")
    original = table_fingerprints(connections["default"])
    restored = table_fingerprints(connections[empty_database])
    assert restored == original == manifest["tables"]
    assert "django_migrations" in restored
    assert restored["places_shelter"]["rows"] == Shelter.objects.count() >= 3
    assert restored["consultations_attachment"]["rows"] == 1
    assert restored["events_registration"]["rows"] == 2
    assert (restored_media / data.file.name).read_bytes() == PDF
    assert manifest["media"][data.file.name]["size"] == len(PDF)


def test_the_check_fails_when_a_row_or_a_file_differs_from_the_backup(
    data, media, empty_database, tmp_path
):
    folder = tmp_path / "backup"
    run("backup", str(folder))
    restored_media = media.use("restored")
    run("restore", str(folder), database=empty_database)
    target = connections[empty_database]
    with target.cursor() as cursor:
        cursor.execute(
            "UPDATE places_shelter SET name = 'Geändert' WHERE id = %s",
            [data.consultation.shelter_id],
        )
    (restored_media / data.file.name).write_bytes(PDF + b"x")

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 Tabelle"):
        call_command("restore", str(folder), "--verify-only", database=empty_database, stdout=out)

    assert out.getvalue().splitlines() == [
        "Tabelle weicht ab: places_shelter",
        f"Datei weicht ab: {data.file.name}",
    ]


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    data, media, empty_database, tmp_path
):
    folder = tmp_path / "backup"
    run("backup", str(folder))
    media.use("restored")
    run("restore", str(folder), database=empty_database)
    with connections[empty_database].cursor() as cursor:
        cursor.execute("UPDATE places_shelter SET name = 'Geändert'")
    changed = table_fingerprints(connections[empty_database])

    with pytest.raises(CommandError, match="ist nicht leer"):
        run("restore", str(folder), database=empty_database)
    assert table_fingerprints(connections[empty_database]) == changed

    assert run("restore", str(folder), "--force", database=empty_database).startswith("OK")
    assert table_fingerprints(connections[empty_database]) == table_fingerprints(
        connections["default"]
    )
