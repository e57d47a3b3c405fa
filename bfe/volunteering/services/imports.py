"""Import of a shelter's old volunteer list (XLSX or CSV): upload, column mapping, then one run
that checks every row and writes all of them or none.

The run reads the file once, row by row, and checks every row (counting
`ImportJob.processed_rows` up, which the progress page shows), keeping the checked rows in a
temporary file; then, if no row has an error, it writes all people in one transaction, in
batches of `BATCH_SIZE` (bulk inserts), and counts the shelter's figures anew. Any error row:
nothing is written, the job keeps the report. Memory stays flat whatever the file's length.

People already recorded for the shelter (the same e-mail address, case-insensitive) are
skipped and reported: their record stays as it is. Merging would overwrite nothing either,
but would count the import as their activity and so postpone the deletion of data that
nobody has touched for years (services/retention.py).
"""

import dataclasses
import datetime
import functools
import json
import logging
import re
import secrets
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bfe.accounts.models import Roles
from bfe.core.queue import enqueue_on_commit
from bfe.places.models import LANGUAGE_CHOICES, Shelter

from ..models import ImportJob, Note, Volunteer
from . import records
from .imports_reading import (
    FIELDS,
    Table,
    UnreadableFile,
    cell_text,
    check_import_file,
    data_rows,
    guess_mapping,
    normalise_header,
    read_table,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
PROGRESS_EVERY = 250
PREVIEW_ROWS = 10
# The report keeps this many entries of each kind; the rest are counted.
REPORT_LIMIT = 500
TASK = "bfe.volunteering.tasks.imports.run_import_job"
PHONE = re.compile(r"^[0-9+()/.\-\s]+$")
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%m/%Y", "%Y")
MAX_NAME = Volunteer._meta.get_field("full_name").max_length
MAX_PHONE = Volunteer._meta.get_field("phone").max_length
Status = ImportJob.Status


def jobs_of(user):
    """The imports a person may see: those of her current shelters (coordinators only)."""
    roles = Roles.of(user)
    if not roles.shelter_ids:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(shelter_id__in=roles.shelter_ids).select_related("shelter")


def shelters_for_import(user):
    """The shelters into whose records a person may import: her current ones."""
    return Shelter.objects.filter(pk__in=Roles.of(user).shelter_ids).order_by("name")


# Upload ----------------------------------------------------------------------------------------


def upload_list(*, shelter, uploaded_by, upload):
    """Check the file (type by content, size, readable as a table, not too many rows), store
    it under a random name and guess the mapping. Raises ValidationError (German message)."""
    kind = check_import_file(upload)
    try:
        table, count = read_table(upload, kind)
    except UnreadableFile as error:
        raise ValidationError(
            _(
                "„%(name)s“ lässt sich nicht als Tabelle lesen. "
                "Bitte speichern Sie sie als XLSX oder CSV neu."
            ),
            code="unreadable",
            params={"name": upload.name},
        ) from error
    if count > settings.VOLUNTEER_IMPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "Die Datei hat %(count)s Zeilen; importieren lassen sich höchstens "
                "%(max)s auf einmal."
            ),
            code="too_many_rows",
            params={"count": count, "max": settings.VOLUNTEER_IMPORT_MAX_ROWS},
        )
    upload.seek(0)
    job = ImportJob(
        shelter=shelter,
        uploaded_by=uploaded_by,
        original_name=str(upload.name)[:200],
        total_rows=count,
        mapping={
            "kind": kind,
            "header": table.header,
            "header_row": table.header_row,
            "columns": guess_mapping(table.header),
            "default_stage": Volunteer.Stage.ACTIVE.value,
        },
    )
    # The name is random: the original one can carry a person's or a shelter's name.
    job.file.save(f"{secrets.token_hex(16)}.{kind}", File(upload), save=False)
    job.save()
    return job


def table_of(job):
    return Table(
        header=job.mapping.get("header", []),
        header_row=job.mapping.get("header_row", 1),
        kind=job.mapping.get("kind", "csv"),
    )


# Rows ------------------------------------------------------------------------------------------


@dataclass
class Row:
    """A person row as it would be imported, with its problems."""

    number: int
    full_name: str = ""
    email: str = ""
    phone: str = ""
    languages: list = field(default_factory=list)
    stage: str = ""
    notes: str = ""
    start_date: datetime.date | None = None
    errors: list = field(default_factory=list)

    @property
    def stage_label(self):
        return Volunteer.Stage(self.stage).label if self.stage else ""

    @property
    def problems(self):
        return [report_message(entry) for entry in self.errors]

    @property
    def language_labels(self):
        names = dict(LANGUAGE_CHOICES)
        return [str(names[code]) for code in self.languages]


@functools.cache
def _lookup(kind):
    """Normalised German and English labels and the codes themselves -> code (built once)."""
    if kind == "languages":
        choices, extra = LANGUAGE_CHOICES, LANGUAGE_SYNONYMS
    else:
        choices, extra = Volunteer.Stage.choices, STAGE_SYNONYMS
    table = {normalise_header(code): code for code, _label in choices}
    for language in ("de", "en"):
        with translation.override(language):
            table.update({normalise_header(str(label)): code for code, label in choices})
    table.update(extra)
    return table


LANGUAGE_SYNONYMS = {
    "farsi": "fa",
    "dari": "fa",
    "persisch": "fa",
    "persian": "fa",
    "pashto": "ps",
    "paschto": "ps",
    "kurmandschi": "kmr",
    "kurmanci": "kmr",
    "kurmanji": "kmr",
    "sorani": "ckb",
    "tigrinisch": "ti",
    "tigrigna": "ti",
    "ukrainian": "uk",
    "deutsch": "de",
    "german": "de",
}
STAGE_SYNONYMS = {
    "neu": "applied",
    "bewerbung": "applied",
    "bewerberin": "applied",
    "bewerber": "applied",
    "new": "applied",
    "erstgesprach": "first_meeting",
    "einarbeitung": "onboarding",
    "inaktiv": "paused",
    "inactive": "paused",
    "pause": "paused",
    "ehemalig": "ended",
    "ausgeschieden": "ended",
    "former": "ended",
}


def _languages(text):
    known = _lookup("languages")
    whole = normalise_header(text)
    if whole in known:
        return [known[whole]], []
    codes, unknown = [], []
    for part in re.split(r"[,;+&\n]| und | and ", text):
        part = part.strip()
        if not part:
            continue
        pieces = [part] if normalise_header(part) in known else part.split("/")
        for piece in pieces:
            key = normalise_header(piece)
            if not key:
                continue
            if key in known:
                if known[key] not in codes:
                    codes.append(known[key])
            else:
                unknown.append(piece.strip())
    return codes, unknown


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).split(" ")[0].split("T")[0]
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _short(text, length=60):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def parse_row(number, cells, mapping, *, today=None):
    """The row as it would be imported, with an error entry for each problem."""
    columns = mapping.get("columns", {})
    today = today or timezone.localdate()

    def cell(name):
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    row = Row(number=number)

    def error(code, value=""):
        row.errors.append({"kind": "error", "row": number, "code": code, "value": _short(value)})

    if columns.get("full_name") is not None:
        row.full_name = " ".join(cell_text(cell("full_name")).split())
    else:
        parts = [cell_text(cell("first_name")), cell_text(cell("last_name"))]
        row.full_name = " ".join(" ".join(part for part in parts if part).split())
    if not row.full_name:
        error("name_missing")
    elif len(row.full_name) > MAX_NAME:
        error("name_too_long", row.full_name)

    email = cell_text(cell("email")).removeprefix("mailto:").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email_invalid", email)
        else:
            row.email = email

    phone = cell_text(cell("phone"))
    if phone:
        if len(phone) > MAX_PHONE or not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 3:
            error("phone_invalid", phone)
        else:
            row.phone = phone

    languages = cell_text(cell("languages"))
    if languages:
        row.languages, unknown = _languages(languages)
        for name in unknown:
            error("language_unknown", name)

    stage = cell_text(cell("stage"))
    if stage:
        stages = _lookup("stages")
        row.stage = stages.get(normalise_header(stage), "")
        if not row.stage:
            error("stage_unknown", stage)
    else:
        row.stage = mapping.get("default_stage") or Volunteer.Stage.ACTIVE

    row.notes = cell_text(cell("notes"))

    start = cell("start_date")
    if cell_text(start):
        row.start_date = _date(start)
        if row.start_date is None:
            error("date_invalid", cell_text(start))
        elif row.start_date > today:
            error("date_future", row.start_date.strftime("%d.%m.%Y"))
            row.start_date = None
    return row


def preview_rows(job, mapping=None, limit=PREVIEW_ROWS):
    """The first person rows as the mapping would import them, for the mapping page."""
    mapping = mapping or job.mapping
    rows = []
    with job.file.open("rb") as fileobj:
        for number, cells in data_rows(fileobj, table_of(job)):
            rows.append((parse_row(number, cells, mapping), [cell_text(c) for c in cells]))
            if len(rows) >= limit:
                break
    return rows


def validate_columns(columns, header_length):
    """Problems of a mapping: a name is needed; no column may feed two fields."""
    problems = []
    if not any(columns.get(name) is not None for name in ("full_name", "first_name", "last_name")):
        problems.append(
            _("Bitte ordnen Sie eine Spalte mit dem Namen zu (oder Vor- und Nachname).")
        )
    used = [index for index in columns.values() if index is not None]
    if len(used) != len(set(used)):
        problems.append(_("Jede Spalte kann nur einem Feld zugeordnet werden."))
    if any(not 0 <= index < max(header_length, 1) for index in used):
        problems.append(_("Diese Spalte gibt es in der Datei nicht."))
    return problems


# Running ---------------------------------------------------------------------------------------


class ImportNotStartable(Exception):
    """The job runs, ran, or lost its file: it cannot be started (again)."""


def runs_in_background(job):
    return job.total_rows > settings.VOLUNTEER_IMPORT_BACKGROUND_ROWS


def start_import(*, job, columns, default_stage, started_by):
    """Save the mapping and run the import: in this request for small files, as a background
    task (tasks/imports.py) for files of more than VOLUNTEER_IMPORT_BACKGROUND_ROWS rows.
    Returns the job, refreshed."""
    columns = {
        name: index for name, index in columns.items() if name in FIELDS and index is not None
    }
    problems = validate_columns(columns, len(job.mapping.get("header", [])))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in {Status.UPLOADED, Status.MAPPED, Status.FAILED} or not locked.file:
            raise ImportNotStartable
        locked.mapping = {**locked.mapping, "columns": columns, "default_stage": default_stage}
        locked.status = Status.MAPPED
        locked.errors = []
        locked.processed_rows = 0
        locked.uploaded_by = locked.uploaded_by or started_by
        locked.save(update_fields=["mapping", "status", "errors", "processed_rows", "uploaded_by"])
        in_background = runs_in_background(locked)
        if in_background:
            enqueue_on_commit(TASK, job_id=locked.pk)
    if not in_background:
        run_import(job_id=locked.pk)
    locked.refresh_from_db()
    return locked


@dataclass
class Report:
    errors: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    error_count: int = 0
    skipped_count: int = 0

    def add_errors(self, entries):
        self.error_count += len(entries)
        self.errors.extend(entries[: max(REPORT_LIMIT - len(self.errors), 0)])

    def add_skipped(self, entry):
        self.skipped_count += 1
        if len(self.skipped) < REPORT_LIMIT:
            self.skipped.append(entry)

    def entries(self):
        more = []
        if self.error_count > len(self.errors):
            more.append({"kind": "more_errors", "count": self.error_count - len(self.errors)})
        if self.skipped_count > len(self.skipped):
            more.append({"kind": "more_skipped", "count": self.skipped_count - len(self.skipped)})
        return [*self.errors, *self.skipped, *more]


def _existing_emails(shelter_id):
    return set(
        Volunteer.objects.filter(shelter_id=shelter_id)
        .exclude(email="")
        .annotate(key=Lower("email"))
        .values_list("key", flat=True)
        .iterator(chunk_size=2000)
    )


def run_import(*, job_id):
    """Check every row, then write all of them or none. Runs once per start (the job is
    claimed); returns the job, or None when it was not waiting to run."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.MAPPED).update(
        status=Status.RUNNING, processed_rows=0, errors=[], created_count=0, duplicate_count=0
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("shelter").get(pk=job_id)
    # The checked rows wait on disk for the second pass: flat in memory, and the spreadsheet
    # is parsed only once. An unnamed temporary file, gone when closed.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as spool:
        try:
            report = _check(job, spool)
            if report.error_count:
                return _finish(
                    job, Status.FAILED, report.entries(), duplicates=report.skipped_count
                )
            created, duplicates = _write(job, spool)
        except UnreadableFile:
            return _finish(job, Status.FAILED, [{"kind": "error", "row": 0, "code": "unreadable"}])
        except IntegrityError:
            return _finish(job, Status.FAILED, [{"kind": "error", "row": 0, "code": "conflict"}])
        except Exception:
            logger.exception("Import %s failed", job_id)
            _finish(job, Status.FAILED, [{"kind": "error", "row": 0, "code": "internal"}])
            raise
    job.file.delete(save=False)  # the list holds personal data; the records have it now
    job.file = ""
    return _finish(job, Status.DONE, report.skipped, created=created, duplicates=duplicates)


def _finish(job, status, entries, *, created=0, duplicates=0):
    job.status = status
    job.errors = entries
    job.created_count = created
    job.duplicate_count = duplicates
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "errors",
            "created_count",
            "duplicate_count",
            "finished_at",
            "file",
        ]
    )
    return job


def _check(job, spool):
    """First pass: every row's problems, duplicates in the file and against the shelter; the
    rows as they will be written go to `spool` (one JSON line each) while none has failed."""
    report = Report()
    existing = _existing_emails(job.shelter_id)
    first_row_of = {}
    today = timezone.localdate()
    processed = 0
    with job.file.open("rb") as fileobj:
        for number, cells in data_rows(fileobj, table_of(job)):
            row = parse_row(number, cells, job.mapping, today=today)
            key = row.email.lower()
            if key and key in first_row_of:
                row.errors.append(
                    {
                        "kind": "error",
                        "row": number,
                        "code": "duplicate_in_file",
                        "other_row": first_row_of[key],
                        "value": _short(row.email),
                    }
                )
            elif key:
                first_row_of[key] = number
                if key in existing:
                    report.add_skipped(
                        {
                            "kind": "skipped",
                            "row": number,
                            "code": "exists",
                            "value": _short(row.email),
                        }
                    )
            report.add_errors(row.errors)
            if not report.error_count:
                spool.write(_spooled(row) + "\n")
            processed += 1
            if processed % PROGRESS_EVERY == 0:
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)
    job.processed_rows = processed
    return report


def _spooled(row):
    fields = dataclasses.asdict(row)
    del fields["errors"]
    fields["start_date"] = row.start_date.isoformat() if row.start_date else None
    return json.dumps(fields, ensure_ascii=False)


def _unspooled(line):
    fields = json.loads(line)
    if fields["start_date"]:
        fields["start_date"] = datetime.date.fromisoformat(fields["start_date"])
    return Row(**fields)


def _write(job, spool):
    """Second pass, in one transaction: the people in batches, their notes, the figures."""
    now = timezone.now()
    created = duplicates = 0
    spool.seek(0)
    with transaction.atomic():
        # Counted again under the transaction: someone may have been added since the check.
        existing = _existing_emails(job.shelter_id)
        batch = []
        for line in spool:
            row = _unspooled(line)
            key = row.email.lower()
            if key and key in existing:
                duplicates += 1
                continue
            if key:
                existing.add(key)
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                created += _insert(job, batch, now)
                batch = []
        created += _insert(job, batch, now)
        records.recompute_figures([job.shelter_id])
    return created, duplicates


def _insert(job, rows, now):
    if not rows:
        return 0
    people = []
    for row in rows:
        since = now
        if row.start_date:
            since = timezone.make_aware(datetime.datetime.combine(row.start_date, datetime.time()))
        people.append(
            Volunteer(
                shelter_id=job.shelter_id,
                full_name=row.full_name,
                email=row.email,
                phone=row.phone,
                languages=row.languages,
                stage=row.stage,
                stage_changed_at=since,
                created_at=since,
                # Retention counts from the import: the coordinator has just vouched for them.
                last_activity_at=now,
                source=Volunteer.Source.IMPORT,
            )
        )
    people = Volunteer.objects.bulk_create(people)
    Note.objects.bulk_create(
        [
            Note(
                volunteer_id=person.pk, author_id=job.uploaded_by_id, text=row.notes, created_at=now
            )
            for person, row in zip(people, rows, strict=True)
            if row.notes
        ]
    )
    return len(people)


# The report ------------------------------------------------------------------------------------

MESSAGES = {
    "name_missing": gettext_lazy("Zeile %(row)s: Name fehlt."),
    "name_too_long": gettext_lazy(
        "Zeile %(row)s: Name „%(value)s“ ist zu lang (höchstens %(max)s Zeichen)."
    ),
    "email_invalid": gettext_lazy("Zeile %(row)s: E-Mail-Adresse „%(value)s“ ist ungültig."),
    "duplicate_in_file": gettext_lazy(
        "Zeile %(row)s: doppelt in der Datei (wie Zeile %(other_row)s)."
    ),
    "phone_invalid": gettext_lazy("Zeile %(row)s: Telefonnummer „%(value)s“ ist ungültig."),
    "language_unknown": gettext_lazy("Zeile %(row)s: Sprache „%(value)s“ ist unbekannt."),
    "stage_unknown": gettext_lazy("Zeile %(row)s: Stand „%(value)s“ ist unbekannt."),
    "date_invalid": gettext_lazy(
        "Zeile %(row)s: Datum „%(value)s“ ist ungültig (erwartet: TT.MM.JJJJ)."
    ),
    "date_future": gettext_lazy("Zeile %(row)s: Datum „%(value)s“ liegt in der Zukunft."),
    "exists": gettext_lazy("Zeile %(row)s: „%(value)s“ ist schon erfasst und wird übersprungen."),
    "unreadable": gettext_lazy(
        "Die Datei lässt sich nicht mehr lesen. Bitte laden Sie sie neu hoch."
    ),
    "conflict": gettext_lazy(
        "Während des Imports wurde eine Person mit einer der E-Mail-Adressen angelegt. "
        "Bitte starten Sie den Import noch einmal."
    ),
    "internal": gettext_lazy(
        "Der Import ist mit einem technischen Fehler abgebrochen. "
        "Bitte versuchen Sie es noch einmal."
    ),
}


def report_message(entry):
    """One entry of a job's report in the current language."""
    if entry.get("kind") == "more_errors":
        return _("… und %(count)s weitere Fehler.") % entry
    if entry.get("kind") == "more_skipped":
        return _("… und %(count)s weitere schon erfasste Personen.") % entry
    return str(MESSAGES[entry["code"]]) % {"max": MAX_NAME, "value": "", **entry}


def report_of(job):
    """(errors, skipped) of a job's report, as messages in the current language."""
    errors = [report_message(e) for e in job.errors if e.get("kind") in {"error", "more_errors"}]
    skipped = [
        report_message(e) for e in job.errors if e.get("kind") in {"skipped", "more_skipped"}
    ]
    return errors, skipped
