"""Backup and restore at bench scale: `manage.py backup` of a seeded database and its uploaded
files, `manage.py restore` into an empty database, and the restore's own comparison of every
table's row count and checksum (and every file's) with the manifest.

Run after the pages bench, on its largest database: `python -m bench.backup_check <database>`.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench import harness

RESTORE_DATABASE = "bfe_bench_restore"


def _manage(database_url, media_root, *args):
    environment = {**harness.server_env(database_url), "MEDIA_ROOT": str(media_root)}
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [harness.PYTHON, "manage.py", *args],
        cwd=harness.REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    return result, time.monotonic() - started


def _empty_database(name):
    with psycopg.connect(harness.PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def check(source_database):
    """Backs up `source_database` with an uploaded file beside it, restores both into an empty
    database and folder, and returns the figures and whether restore reported them identical."""
    source_url = f"postgres://postgres@127.0.0.1:5432/{source_database}"
    with tempfile.TemporaryDirectory(prefix="bfe-bench-backup-") as scratch:
        scratch = Path(scratch)
        source_media, target_media = scratch / "media", scratch / "restored-media"
        (source_media / "documents").mkdir(parents=True)
        target_media.mkdir()
        upload = b"%PDF-1.7\n" + b"x" * 4096
        (source_media / "documents" / "protokoll.pdf").write_bytes(upload)
        folder = scratch / "backup"
        backed_up, backup_seconds = _manage(source_url, source_media, "backup", str(folder))
        if backed_up.returncode != 0:
            return {"ok": False, "failure": backed_up.stderr.strip()[-500:]}
        manifest = json.loads((folder / "manifest.json").read_text())
        target_url = _empty_database(RESTORE_DATABASE)
        restored, restore_seconds = _manage(target_url, target_media, "restore", str(folder))
        size = sum(path.stat().st_size for path in folder.iterdir())
        restored_file = target_media / "documents" / "protokoll.pdf"
        return {
            "ok": restored.returncode == 0
            and restored.stdout.startswith("OK")
            and restored_file.exists()
            and restored_file.read_bytes() == upload,
            "report": (restored.stdout + restored.stderr).strip()[-500:],
            "tables": len(manifest["tables"]),
            "rows": sum(table["rows"] for table in manifest["tables"].values()),
            "files": len(manifest["media"]),
            "megabytes": size / 1e6,
            "backup_seconds": backup_seconds,
            "restore_seconds": restore_seconds,
        }


def markdown(source_database, result):
    lines = [
        "## Backup and restore",
        "",
        f"`manage.py backup` of `{source_database}` with one uploaded file, `manage.py restore` "
        f"into the empty database `{RESTORE_DATABASE}` and an empty media folder; restore compares "
        "every table's row count and checksum and every file with the manifest.",
        "",
    ]
    if "tables" not in result:
        return "\n".join([*lines, f"**FAILED**: backup did not finish: {result['failure']}", ""])
    lines += [
        "| tables | rows | files | backup MB | backup s | restore + verify s | result |",
        "|--:|--:|--:|--:|--:|--:|---|",
        f"| {result['tables']} | {result['rows']} | {result['files']} | {result['megabytes']:.1f}"
        f" | {result['backup_seconds']:.1f} | {result['restore_seconds']:.1f}"
        f" | {'OK' if result['ok'] else '**FAILED**'} |",
        "",
        f"- restore said: {result['report'].splitlines()[-1] if result['report'] else '(nothing)'}",
        "",
    ]
    return "\n".join(lines)


def main(source_database):
    result = check(source_database)
    return markdown(source_database, result), result["ok"]


if __name__ == "__main__":
    text, ok = main(sys.argv[1] if len(sys.argv) > 1 else "bfe_bench_large")
    print(text)
    sys.exit(0 if ok else 1)
