"""Text extraction of the materials library (issue 11): files per second per format, and whether
one 50 MB PDF holds up the other tasks.

`python -m bench.extraction` makes a fresh PostgreSQL database (bfe_bench_extraction), writes
generated files into a temporary MEDIA_ROOT and
1. reads FILES_PER_FORMAT files of each format through `extraction.extract_version` in this
   process (files/s per format),
2. reads one 50 MB PDF (1,000 text pages and an incompressible 45 MB attachment, like a scan)
   the same way,
3. enqueues the 50 MB PDF first and SMALL_TASKS small files after it on the database queue and
   starts `manage.py db_worker` processes (`--queue-name '*'`), once with one
   worker and once with two: how long the small files wait behind the big one.
Prints the figures as text; BENCHMARKS.md has them in its "Text extraction" section.
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

from bench import harness

FILES_PER_FORMAT = 30
SMALL_TASKS = 20
BIG_BYTES = 50 * 1024 * 1024
FORMATS = ["PDF", "DOCX", "XLSX", "PPTX", "ODT", "ODS", "TXT"]


def big_pdf():
    """A 50 MB PDF: 1,000 pages of text (beyond the readers' page limit) and a 45 MB blob."""
    from pypdf import PdfReader, PdfWriter

    from bfe.materials import demo
    from bfe.materials.demo_texts import TOPICS

    paragraphs = [p for topic in TOPICS.values() for p in topic[4]]
    source = PdfReader(io.BytesIO(demo.make_pdf("Großes Handbuch", paragraphs)))
    writer = PdfWriter()
    while len(writer.pages) < 1000:
        for page in source.pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    missing = BIG_BYTES - out.tell()
    if missing > 0:
        writer.add_attachment("scan.bin", os.urandom(missing))
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def setup_rows():
    from bfe.accounts.tests.factories import UserFactory
    from bfe.materials.models import Category

    category, _created = Category.objects.get_or_create(
        slug="methoden", defaults={"name": "Methoden"}
    )
    return category, UserFactory(email="bench-extraction@example.org")


def new_version(category, user, file_type, content, title):
    from django.core.files.base import ContentFile

    from bfe.materials.demo import CONTENT_TYPES
    from bfe.materials.models import Material, MaterialVersion

    material = Material.objects.create(
        kind=Material.Kind.FILE, title=title, category=category, created_by=user
    )
    version = MaterialVersion(
        material=material,
        number=1,
        file_name=f"datei.{file_type.lower()}",
        file_type=file_type,
        content_type=CONTENT_TYPES[file_type],
        size=len(content),
    )
    version.file.save(version.file_name, ContentFile(content), save=False)
    version.save()
    Material.objects.filter(pk=material.pk).update(current_version=version, file_type=file_type)
    return version


def throughput(category, user):
    from bfe.materials import demo
    from bfe.materials.demo_texts import TOPICS
    from bfe.materials.services import extraction

    rows = {}
    topics = list(TOPICS.values())
    for file_type in FORMATS:
        versions = []
        for n in range(FILES_PER_FORMAT):
            title, _category, _tags, _summary, paragraphs = topics[n % len(topics)]
            content = demo.make_file(file_type, title, paragraphs)
            versions.append(new_version(category, user, file_type, content, title))
        size = sum(v.size for v in versions) / len(versions)
        started = time.perf_counter()
        for version in versions:
            extraction.extract_version(version.pk)
        seconds = time.perf_counter() - started
        rate = FILES_PER_FORMAT / seconds
        rows[file_type] = (rate, size)
        print(f"  {file_type:5} {rate:7.1f} files/s  (avg {size / 1024:.0f} KiB)")
    return rows


def worker_run(database_url, env, category, user, big, workers):
    """The big PDF first, then small files; `workers` db_worker processes like `make run`."""
    from bfe.materials import demo
    from bfe.materials.models import MaterialVersion
    from bfe.materials.tasks import extract_version_text

    big_version = new_version(category, user, "PDF", big, "Großes Handbuch")
    extract_version_text.enqueue(version_id=big_version.pk)
    small = []
    for n in range(SMALL_TASKS):
        content = demo.make_file("DOCX", f"Kleine Datei {n}", ["Sprachcafé am Mittwoch."])
        version = new_version(category, user, "DOCX", content, f"Kleine Datei {n}")
        extract_version_text.enqueue(version_id=version.pk)
        small.append(version.pk)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own manage.py
            [harness.PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.1",
             "--no-startup-delay", "--worker-id", f"bench-{n}"],
            cwd=harness.REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(workers)
    ]  # fmt: skip
    done_small = big_done = None
    try:
        while time.perf_counter() - started < 300:
            statuses = dict(
                MaterialVersion.objects.filter(pk__in=[*small, big_version.pk]).values_list(
                    "pk", "extraction_status"
                )
            )
            if done_small is None and all(statuses[pk] != "pending" for pk in small):
                done_small = time.perf_counter() - started
            if big_done is None and statuses[big_version.pk] != "pending":
                big_done = time.perf_counter() - started
            if done_small is not None and big_done is not None:
                break
            time.sleep(0.1)
    finally:
        for process in processes:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
    big_version.refresh_from_db()
    print(
        f"  {workers} worker(s): {SMALL_TASKS} small files done after {done_small:.1f} s, "
        f"the 50 MB PDF after {big_done:.1f} s ({big_version.extraction_status}, "
        f"{len(big_version.extracted_text):,} characters)"
    )
    return done_small, big_done


def main():
    database_url = harness.fresh_database("bfe_bench_extraction")
    media = tempfile.mkdtemp(prefix="bench-extraction-media-")
    os.environ["MEDIA_ROOT"] = media
    harness.use_django(database_url)
    env = {**harness.server_env(database_url), "MEDIA_ROOT": media}

    from bfe.materials.services import extraction

    category, user = setup_rows()
    print(f"Throughput, in-process, {FILES_PER_FORMAT} generated files per format:")
    throughput(category, user)

    big = big_pdf()
    print(f"One {len(big) / 1024 / 1024:.1f} MB PDF (1,000 pages), in-process:")
    version = new_version(category, user, "PDF", big, "Großes Handbuch")
    started = time.perf_counter()
    version = extraction.extract_version(version.pk)
    print(
        f"  read in {time.perf_counter() - started:.1f} s: {version.extraction_status}, "
        f"{len(version.extracted_text):,} characters (limit {extraction.indexing.MAX_FILE_TEXT:,}"
        f", {extraction.MAX_PAGES} pages)"
    )
    print(f"The 50 MB PDF enqueued first, {SMALL_TASKS} small DOCX after it, db_worker:")
    for workers in (1, 2):
        worker_run(database_url, env, category, user, big, workers)
    shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
