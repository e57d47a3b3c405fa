"""Import of a generated 10,000-row volunteer list (XLSX) through the import service, on a
fresh PostgreSQL database: the time of the upload (type check, counting the rows) and of the
run (check every row, then write all in batches), and the peak of Python's memory in each
(tracemalloc, in a second run of its own, because tracing slows Python down).

    .venv/bin/python -m bench.import_volunteers            # 10,000 rows
    .venv/bin/python -m bench.import_volunteers 2000       # another size

Prints the figures as JSON and a row for BENCHMARKS.md. The database `bfe_bench_import` is
dropped and made anew on each run.
"""

import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import harness

DATABASE = "bfe_bench_import"
LANGUAGES = ["Deutsch", "Arabisch, Englisch", "Ukrainisch / Russisch", "Farsi/Dari", ""]
STAGES = ["aktiv", "pausiert", "Einarbeitung", "beendet", ""]


def write_list(path, rows):
    """An XLSX as Excel saves it: shared strings and the sheet's dimension (openpyxl's normal
    writer; its write-only mode writes inline strings and no dimension, which Excel does not)."""
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Freiwillige"
    sheet.append(
        ["Vorname", "Nachname", "E-Mail", "Telefon", "Sprachen", "Status", "Notizen", "Dabei seit"]
    )
    start = datetime.date(2016, 1, 1)
    for n in range(rows):
        sheet.append(
            [
                f"Vorname{n}",
                f"Nachname{n}",
                f"freiwillige{n}@example.org",
                f"030 {1000000 + n}",
                LANGUAGES[n % len(LANGUAGES)],
                STAGES[n % len(STAGES)],
                f"Kann dienstags, Notiz {n}" if n % 3 == 0 else None,
                start + datetime.timedelta(days=n % 3000),
            ]
        )
    workbook.save(path)


def one_import(path, shelter, *, trace):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bfe.volunteering.services import imports

    figures = {}
    upload = SimpleUploadedFile("freiwillige.xlsx", Path(path).read_bytes())
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    job = imports.upload_list(shelter=shelter, uploaded_by=None, upload=upload)
    figures["upload_s"] = time.perf_counter() - started
    if trace:
        figures["upload_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
    started = time.perf_counter()
    job = imports.start_import(
        job=job, columns=job.mapping["columns"], default_stage="active", started_by=None
    )
    figures["run_s"] = time.perf_counter() - started
    if trace:
        figures["run_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    figures["status"] = job.status
    figures["created"] = job.created_count
    return figures


def main(rows=10_000):
    database_url = harness.fresh_database(DATABASE)
    media = tempfile.mkdtemp(prefix="bfe-bench-import-")
    os.environ["MEDIA_ROOT"] = media
    harness.use_django(database_url)
    from django.test import override_settings

    from bfe.places.tests.factories import ShelterFactory

    path = Path(media) / "liste.xlsx"
    write_list(path, rows)
    # In the request or as a task, the run is the same function: measure it inline here.
    with override_settings(VOLUNTEER_IMPORT_BACKGROUND_ROWS=rows + 1, MEDIA_ROOT=media):
        timed = one_import(path, ShelterFactory(), trace=False)
        traced = one_import(path, ShelterFactory(), trace=True)
    result = {
        "rows": rows,
        "file_kib": round(path.stat().st_size / 1024),
        "upload_s": round(timed["upload_s"], 2),
        "run_s": round(timed["run_s"], 2),
        "total_s": round(timed["upload_s"] + timed["run_s"], 2),
        "rows_per_s": round(rows / (timed["upload_s"] + timed["run_s"])),
        "upload_peak_mib": round(traced["upload_peak_mib"], 1),
        "run_peak_mib": round(traced["run_peak_mib"], 1),
        "created": timed["created"],
        "status": timed["status"],
    }
    print(json.dumps(result, indent=2))
    print(
        f"| Import of a {rows:,}-row XLSX ({result['file_kib']} KiB), service on PostgreSQL "
        f"| upload {result['upload_s']} s + run {result['run_s']} s = {result['total_s']} s "
        f"({result['rows_per_s']:,} rows/s) | peak Python memory: upload "
        f"{result['upload_peak_mib']} MiB, run {result['run_peak_mib']} MiB "
        f"| {result['created']:,} created, {result['status']} |"
    )
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
