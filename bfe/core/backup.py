"""Backup and restore of the database and the uploaded files, with a manifest to check against.

A backup folder holds the database (PostgreSQL: `pg_dump --format=custom`; SQLite: a copy made
with the sqlite3 online backup API), the uploaded files (MEDIA_ROOT as media.tar.gz) and
manifest.json: per table the number of rows and a SHA-256 of its rows in primary-key order,
per uploaded file its size and SHA-256. The fingerprints are computed through Django's
connection, so they mean the same on both databases, and in the same snapshot as the dump.
"""

import datetime
import decimal
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT = 1
CHUNK_ROWS = 2000


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Comparison:
    """Tables and files whose content differs from the manifest (empty when all is equal)."""

    tables: list[str]
    files: list[str]

    @property
    def ok(self):
        return not self.tables and not self.files


# Fingerprints


def _canonical(value):
    """A JSON-safe, type-stable form of the values json cannot write itself."""
    if isinstance(value, memoryview | bytes | bytearray):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def table_fingerprints(connection):
    """{table: {"rows": n, "sha256": hex}} for every table of the database behind a Django
    connection, its rows read in primary-key order (all columns where there is no key)."""
    quote = connection.ops.quote_name
    fingerprints = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        orders = {}
        for table in tables:
            columns = connection.introspection.get_primary_key_columns(cursor, table) or [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            orders[table] = ", ".join(quote(column) for column in columns)
    for table in tables:
        digest = hashlib.sha256()
        rows = 0
        # A server-side cursor on PostgreSQL: big tables are read in chunks, not all at once.
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {orders[table]}")  # noqa: S608
            while chunk := cursor.fetchmany(CHUNK_ROWS):
                for row in chunk:
                    line = json.dumps(
                        list(row), default=_canonical, ensure_ascii=False, sort_keys=True
                    )
                    digest.update(line.encode())
                    digest.update(b"\n")
                rows += len(chunk)
        fingerprints[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return fingerprints


def media_fingerprints(root=None):
    """{relative path: {"size": bytes, "sha256": hex}} of every file under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    files = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            files[path.relative_to(root).as_posix()] = {
                "size": path.stat().st_size,
                "sha256": digest.hexdigest(),
            }
    return files


def compare(manifest, *, tables, files):
    """What differs between the manifest and the fingerprints of a restored installation:
    tables missing, added, or with other rows; files missing, added, or with other bytes."""
    expected_tables = manifest["tables"]
    expected_files = manifest["media"]
    return Comparison(
        tables=sorted(
            name
            for name in expected_tables.keys() | tables.keys()
            if expected_tables.get(name) != tables.get(name)
        ),
        files=sorted(
            name
            for name in expected_files.keys() | files.keys()
            if expected_files.get(name) != files.get(name)
        ),
    )


# PostgreSQL tools


def _libpq_arguments(connection):
    """Command-line connection options and environment for pg_dump/pg_restore."""
    params = connection.settings_dict
    arguments = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        arguments += ["--host", params["HOST"]]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return arguments, env


def _tool(name, connection):
    """The path of pg_dump or pg_restore, refused when older than the server."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} fehlt: Debians Paket postgresql-client installieren "
            "(apt-get install postgresql-client)."
        )
    output = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"\) (\d+)", output)
    client = int(match.group(1)) if match else 0
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(
            f"{name} ist Version {client}, der Server {server}: postgresql-client {server} "
            "oder neuer installieren."
        )
    return path


def _run(command, env):
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ist fehlgeschlagen: {result.stderr.strip()}")


# Backup


def backup(folder, *, using="default"):
    """Write database, uploaded files and manifest into `folder` (created if missing, refused
    if it already holds a backup). Returns the manifest."""
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise BackupError(f"{folder} enthält schon eine Sicherung: einen neuen Ordner angeben.")
    folder.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Die Sicherung braucht eine eigene Transaktion.")
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt.")
    database_file = folder / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        # Connect (and pass the health check) now: SET TRANSACTION must come first in it.
        with connection.cursor():
            pass
        with transaction.atomic(using=using):
            tables = _dump_postgresql(connection, database_file)
    else:
        tables = _copy_sqlite(connection, database_file)
    files = media_fingerprints()
    _archive_media(folder / MEDIA_ARCHIVE)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database": database_file.name,
        "media_archive": MEDIA_ARCHIVE,
        "tables": tables,
        "media": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _dump_postgresql(connection, target):
    """pg_dump and the fingerprints read the same snapshot, so they agree under live writes."""
    pg_dump = _tool("pg_dump", connection)
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    arguments, env = _libpq_arguments(connection)
    _run(
        [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(target), *arguments],
        env,
    )
    return table_fingerprints(connection)


def _copy_sqlite(connection, target):
    """The online backup API copies in one step, a consistent snapshot; the fingerprints are
    then read from the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    backend = load_backend(connection.settings_dict["ENGINE"])
    # Plain options: the WAL pragma of the settings would leave -wal files beside the copy.
    settings_dict = {**connection.settings_dict, "NAME": str(target), "OPTIONS": {}}
    reader = backend.DatabaseWrapper(settings_dict, alias="backup_copy")
    try:
        return table_fingerprints(reader)
    finally:
        reader.close()


def _archive_media(target):
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.iterdir()):
                archive.add(path, arcname=path.name)


# Restore


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} fehlt: das ist kein Sicherungsordner.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unbekanntes Format der Sicherung: {manifest.get('format')}.")
    return manifest


def is_empty(using="default"):
    """Whether the database has no tables at all (not even migrated ones)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(folder, *, using="default", force=False):
    """Restore database and uploaded files from `folder` into an empty database (and media
    folder), or over existing data with `force`; then compare with the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[using]
    if connection.vendor != manifest["vendor"]:
        raise BackupError(
            f"Die Sicherung stammt aus {manifest['vendor']}, das Ziel ist {connection.vendor}."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if not is_empty(using):
            raise BackupError(
                f"Die Datenbank {connection.settings_dict['NAME']} ist nicht leer. In eine "
                "leere Datenbank wiederherstellen oder mit --force überschreiben."
            )
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(
                f"Der Ordner {media_root} (MEDIA_ROOT) ist nicht leer. Einen leeren Ordner "
                "angeben oder mit --force überschreiben."
            )
    database_file = folder / manifest["database"]
    if manifest["vendor"] == "postgresql":
        _restore_postgresql(connection, database_file, clean=force)
    else:
        _restore_sqlite(connection, database_file)
    _extract_media(folder / manifest["media_archive"], media_root)
    return verify(folder, using=using)


def _restore_postgresql(connection, source, *, clean):
    pg_restore = _tool("pg_restore", connection)
    arguments, env = _libpq_arguments(connection)
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        options += ["--clean", "--if-exists"]
    _run([pg_restore, *options, *arguments, str(source)], env)


def _restore_sqlite(connection, source):
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _extract_media(archive_path, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(media_root, filter="data")


def verify(folder, *, using="default"):
    """Compare the database and MEDIA_ROOT as they are now with the backup's manifest."""
    manifest = read_manifest(folder)
    return compare(
        manifest, tables=table_fingerprints(connections[using]), files=media_fingerprints()
    )
