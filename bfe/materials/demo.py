"""Fictional, reproducible demo library: ~150 materials at `small` whose files the demo
generates (DOCX, ODT, ODS, XLSX, PPTX, a few PDFs, a PNG) with real German text that the real
`extraction.extract_version` reads, links, tags, languages, a public/internal mix, three
collections, pending suggestions, materials overdue for review and downloads per month.

`large` adds 50,000 materials with extracted text but without files of their own: rows are
bulk-inserted, pointing at one shared demo file, their search fields folded in Python and the
PostgreSQL search vector set with one UPDATE.

Everything the demo makes is created by a demo login (…@bfe.example), which is how
`delete_demo_data` finds it again, with the generated files.
"""

import datetime
import functools
import io
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from bfe.accounts.models import User
from bfe.places.demo import ADMIN_EMAIL, DEMO_EMAIL_DOMAIN

from .demo_texts import FILE_ONLY_PHRASE, TOPICS, VARIANTS
from .models import (
    Category,
    Collection,
    CollectionItem,
    DownloadMonth,
    Material,
    MaterialLanguage,
    MaterialVersion,
    Suggestion,
    Tag,
)
from .services import extraction, indexing

BATCH_SIZE = 2000
SHARED_FILE = "materials/demo/gemeinsam.txt"
LARGE_MATERIALS = 50_000
# The library part's data migration creates these (same slugs); the demo makes sure they exist.
CATEGORIES = [
    ("freiwilligenmanagement", "Freiwilligenmanagement", "Volunteer management"),
    ("recht-und-versicherung", "Recht und Versicherung", "Law and insurance"),
    ("datenschutz", "Datenschutz", "Data protection"),
    ("sozialraum-und-nachbarschaft", "Sozialraum und Nachbarschaft", "Neighbourhood"),
    ("methoden", "Methoden", "Methods"),
    ("vorlagen", "Vorlagen", "Templates"),
    ("mehrsprachiges", "Mehrsprachiges", "Multilingual"),
    ("foerderung", "Förderung", "Funding"),
]
# Formats the small demo rotates through; PDFs are few (WeasyPrint takes ~0.3 s each).
FORMATS = ["DOCX", "ODT", "XLSX", "PPTX", "ODS", "DOCX", "ODT", "LINK"]
PDF_TOPICS = {"fuehrungszeugnis", "versicherung", "datenschutz", "ehrenamtskarte"}
CONTENT_TYPES = {
    "PDF": "application/pdf",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PPTX": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ODT": "application/vnd.oasis.opendocument.text",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "PNG": "image/png",
    "TXT": "text/plain",
}
LINKS = [
    ("Berliner Ehrenamtskarte (Senatsseite)", "https://www.berlin.de/buergeraktiv/"),
    ("Unfallkasse Berlin: Ehrenamt", "https://www.unfallkasse-berlin.de/"),
    ("Bürgeramt: Führungszeugnis beantragen", "https://service.berlin.de/"),
    ("Landesbeauftragte für Datenschutz Berlin", "https://www.datenschutz-berlin.de/"),
]
COLLECTIONS = [
    (
        "erste-schritte-als-eak",
        "Erste Schritte als EAK",
        "First steps as a volunteer coordinator",
        "basis",
        [
            "erste-schritte",
            "fuehrungszeugnis",
            "versicherung",
            "datenschutz",
            "vereinbarung",
            "erstgespraech",
            "anerkennung",
        ],
    ),
    (
        "datenschutz-paket",
        "Datenschutz-Paket",
        "Data protection pack",
        "",
        ["datenschutz", "vereinbarung", "fuehrungszeugnis"],
    ),
    (
        "mehrsprachige-aushaenge",
        "Mehrsprachige Aushänge",
        "Multilingual notices",
        "",
        ["aushang-mehrsprachig", "sprachmittlung", "sprachcafe"],
    ),
]
LANGUAGE_SETS = [["de"], ["de"], ["de"], ["de", "en"], ["de", "ar", "fa"], ["de", "uk", "ru"]]


def demo_users():
    return User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_materials():
    return Material.objects.filter(created_by__in=demo_users())


@transaction.atomic
def delete_demo_data():
    """Delete the materials demo logins created (with versions, downloads, languages and
    collection items by cascade), their generated files, the demo's collections and
    suggestions, and tags no material uses any more."""
    materials = demo_materials()
    names = set(
        MaterialVersion.objects.filter(material__in=materials)
        .values_list("file", flat=True)
        .distinct()
    )
    Suggestion.objects.filter(suggested_by__in=demo_users()).delete()
    Collection.objects.filter(slug__in=[slug for slug, *_ in COLLECTIONS]).delete()
    Material.objects.filter(pk__in=materials).update(current_version=None)
    ids = list(materials.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        MaterialVersion.objects.filter(material_id__in=chunk)._raw_delete(connection.alias)
        DownloadMonth.objects.filter(material_id__in=chunk)._raw_delete(connection.alias)
        MaterialLanguage.objects.filter(material_id__in=chunk)._raw_delete(connection.alias)
        CollectionItem.objects.filter(material_id__in=chunk).delete()
        Material.tags.through.objects.filter(material_id__in=chunk)._raw_delete(connection.alias)
        Suggestion.objects.filter(material_id__in=chunk).delete()
        Material.objects.filter(pk__in=chunk)._raw_delete(connection.alias)
    Tag.objects.filter(materials__isnull=True).delete()

    def remove_files():
        for name in names:
            if name and default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def seed(scale="small", seed=2016):
    """Create the demo library; returns {German label: count}."""
    admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
    if admin is None:  # the places demo was not seeded: nothing to hang the library on
        return {}
    generator = _Generator(random.Random(seed), admin)
    counts = generator.small()
    if scale == "large":
        counts.update(generator.large(LARGE_MATERIALS - counts["Materialien"]))
    return counts


# --- Files -----------------------------------------------------------------------------------


def make_docx(title, paragraphs, table=None):
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(title, paragraphs):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=title))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def make_ods(title, rows):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=title[:30])
    for row in rows:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def make_xlsx(title, rows):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:30].replace("/", "-").replace(":", "")
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_pptx(title, paragraphs):
    import pptx

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    slide.shapes.title.text = title
    slide.placeholders[1].text = "BfE – Werkstatt der Regionalkoordination"
    for number, paragraph in enumerate(paragraphs, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"{title} ({number})"
        slide.placeholders[1].text = paragraph
        slide.notes_slide.notes_text_frame.text = f"Hinweis für Moderierende: {paragraph[:80]}"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def make_pdf(title, paragraphs):
    from bfe.core.pdf import render_pdf

    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return render_pdf(f"<html lang='de'><body><h1>{escape(title)}</h1>{body}</body></html>")


def make_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (240, 244, 248))
    ImageDraw.Draw(image).rectangle((40, 40, 600, 320), outline=(30, 90, 160), width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def _cached_file(file_type, title, paragraphs):
    return make_file(file_type, title, list(paragraphs))


def make_file(file_type, title, paragraphs):
    rows = [["Nr.", "Punkt"], *[[str(n), p] for n, p in enumerate(paragraphs, start=1)]]
    if file_type == "DOCX":
        return make_docx(title, paragraphs, table=rows)
    if file_type == "ODT":
        return make_odt(title, paragraphs)
    if file_type == "ODS":
        return make_ods(title, rows)
    if file_type == "XLSX":
        return make_xlsx(title, rows)
    if file_type == "PPTX":
        return make_pptx(title, paragraphs)
    if file_type == "PDF":
        return make_pdf(title, paragraphs)
    if file_type == "PNG":
        return make_png()
    return "\n\n".join([title, *paragraphs]).encode()


# --- Rows ------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, rng, admin):
        self.rng = rng
        self.admin = admin
        self.today = timezone.localdate()
        self.categories = {}
        for position, (slug, name, name_en) in enumerate(CATEGORIES):
            self.categories[slug], _created = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )
        self.tags = {}

    def tag(self, name):
        if name not in self.tags:
            slug = slugify(name.replace("§", "paragraph-"))[:60] or "tag"
            self.tags[name] = Tag.objects.filter(name=name).first() or Tag.objects.create(
                name=name, slug=self._free_tag_slug(slug)
            )
        return self.tags[name]

    def _free_tag_slug(self, slug):
        candidate, number = slug, 2
        while Tag.objects.filter(slug=candidate).exists():
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def _dates(self, overdue=False):
        published = self.today - datetime.timedelta(days=self.rng.randint(10, 900))
        if overdue:
            reviewed = self.today - datetime.timedelta(
                days=settings.MATERIAL_REVIEW_AFTER_DAYS + self.rng.randint(20, 400)
            )
        else:
            reviewed = self.today - datetime.timedelta(days=self.rng.randint(0, 200))
        return published, reviewed

    def _material(
        self, *, kind, title, summary, category, audience, tags, languages, overdue, url=""
    ):
        published, reviewed = self._dates(overdue)
        material = Material.objects.create(
            kind=kind,
            title=title[:200],
            summary=summary,
            category=self.categories[category],
            audience=audience,
            source="BfE – Regionalkoordination",
            licence=self.rng.choice(["CC BY 4.0", "CC BY-SA 4.0", "Alle Rechte vorbehalten"]),
            published_on=published,
            reviewed_on=reviewed,
            url=url,
            file_type="LINK" if kind == Material.Kind.LINK else "",
            created_by=self.admin,
            created_at=timezone.now() - datetime.timedelta(days=(self.today - published).days),
        )
        material.tags.set([self.tag(name) for name in tags])
        MaterialLanguage.objects.bulk_create(
            [MaterialLanguage(material=material, language=code) for code in languages]
        )
        return material

    def _attach(self, material, file_type, title, paragraphs, number=1):
        # Cached: the same seed makes the same files, and tests seed more than once.
        content = _cached_file(file_type, title, tuple(paragraphs))
        name = f"{slugify(title)[:60] or 'material'}.{file_type.lower()}"
        version = MaterialVersion(
            material=material,
            number=number,
            file_name=name,
            file_type=file_type,
            content_type=CONTENT_TYPES[file_type],
            size=len(content),
            uploaded_by=self.admin,
            note="" if number == 1 else "Aktualisiert nach Gesetzesänderung",
        )
        version.file.save(name, ContentFile(content), save=False)
        version.save()
        Material.objects.filter(pk=material.pk).update(current_version=version, file_type=file_type)
        # The real reader, as the worker would run it after an upload.
        extraction.extract_version(version.pk)
        return version

    def small(self):
        topics = list(TOPICS.items())
        materials, by_topic, files = [], {}, 0
        for index in range(150):
            slug, (title, category, tags, summary, paragraphs) = topics[index % len(topics)]
            prefix, extra = VARIANTS[(index // len(topics)) % len(VARIANTS)]
            first = slug not in by_topic
            file_type = FORMATS[index % len(FORMATS)]
            if first and slug in PDF_TOPICS:
                file_type = "PDF"
            if index == 149:
                file_type = "PNG"
            variant_title = title if first else f"{prefix}{title}"
            if not first and prefix and ":" in title:
                # "Merkblatt: Leitfaden: …" reads badly; the kind goes behind.
                variant_title = f"{title} ({prefix.rstrip(': ')})"
            if not first and not prefix:
                variant_title = (
                    f"{title} – {self.rng.choice(['Stand 2025', 'Bezirk Nord', 'Kurzfassung'])}"
                )
            text = list(paragraphs)
            if not first:
                self.rng.shuffle(text)
                text = text[: max(2, len(text) - 1)]
                # Combine with a neighbouring topic, as real handouts do.
                text.append(self.rng.choice(topics[(index + 7) % len(topics)][1][4]))
            if slug == "fuehrungszeugnis" and not first:
                text = [p for p in text if FILE_ONLY_PHRASE not in p]
            kind = Material.Kind.LINK if file_type == "LINK" else Material.Kind.FILE
            url = ""
            if kind == Material.Kind.LINK:
                url = LINKS[index % len(LINKS)][1]
            audience = (
                Material.Audience.PUBLIC
                if (slug == "fuehrungszeugnis" and first) or self.rng.random() < 0.45
                else Material.Audience.INTERNAL
            )
            material = self._material(
                kind=kind,
                title=variant_title,
                summary=f"{summary} {extra}".strip(),
                category=category,
                audience=audience,
                tags=tags[: self.rng.randint(1, len(tags))] if not first else tags,
                languages=LANGUAGE_SETS[index % len(LANGUAGE_SETS)]
                if category == "mehrsprachiges" or index % 5 == 0
                else ["de"],
                overdue=index % 17 == 3,
                url=url,
            )
            if kind == Material.Kind.FILE:
                if first and slug == "fuehrungszeugnis":
                    # An earlier DOCX, replaced by the PDF: earlier versions stay listed.
                    old = self._attach(material, "DOCX", variant_title, text, number=1)
                    MaterialVersion.objects.filter(pk=old.pk).update(
                        uploaded_at=timezone.now() - datetime.timedelta(days=400)
                    )
                    files += 1
                number = material.versions.count() + 1
                self._attach(material, file_type, variant_title, text, number=number)
                files += 1
            by_topic.setdefault(slug, material)
            materials.append(material)
        indexing.reindex([m.pk for m in materials])
        counts = {
            "Materialien": len(materials),
            "Dateien (Versionen)": files,
            "  davon öffentlich": sum(m.audience == Material.Audience.PUBLIC for m in materials),
        }
        counts["Sammlungen"] = self._collections(by_topic)
        counts["Vorschläge (offen)"] = self._suggestions(materials)
        counts["Downloads (Monatszeilen)"] = self._downloads(materials)
        counts["Schlagwörter"] = len(self.tags)
        return counts

    def _collections(self, by_topic):
        for position, (slug, name, name_en, level, topics) in enumerate(COLLECTIONS):
            collection, _created = Collection.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "summary": f"Von der BfE zusammengestellt: {name}.",
                    "position": position,
                    "training_level": level,
                },
            )
            CollectionItem.objects.bulk_create(
                [
                    CollectionItem(collection=collection, material=by_topic[topic], position=n)
                    for n, topic in enumerate(topics)
                ]
            )
        return len(COLLECTIONS)

    def _suggestions(self, materials):
        coordinator = User.objects.filter(email__iexact=f"eak1@{DEMO_EMAIL_DOMAIN}").first()
        if coordinator is None:
            return 0
        rows = [
            Suggestion(
                kind=Suggestion.Kind.NEW,
                title="Merkblatt Schwimmbadbesuch mit Kindern",
                url="https://example.org/schwimmbad",
                message="Wir haben ein gutes Merkblatt für Ausflüge ins Schwimmbad – vielleicht "
                "für alle nützlich?",
                category=self.categories["methoden"],
                suggested_by=coordinator,
            ),
            Suggestion(
                kind=Suggestion.Kind.CORRECTION,
                material=materials[18],
                message="Die Ehrenamtspauschale ist gestiegen, bitte den Betrag prüfen.",
                suggested_by=coordinator,
            ),
            Suggestion(
                kind=Suggestion.Kind.CORRECTION,
                material=materials[7],
                message="Der Antrag geht inzwischen auch online, das fehlt noch.",
                suggested_by=coordinator,
            ),
        ]
        Suggestion.objects.bulk_create(rows)
        return len(rows)

    def _downloads(self, materials):
        first = self.today.replace(day=1)
        months = []
        for back in range(6):
            month = first
            for _ in range(back):
                month = (month - datetime.timedelta(days=1)).replace(day=1)
            months.append(month)
        rows = []
        for material in materials:
            if material.kind == Material.Kind.LINK:
                continue
            popularity = self.rng.choice([0, 1, 2, 5, 12, 30])
            for month in months:
                count = self.rng.randint(0, popularity)
                if count:
                    rows.append(DownloadMonth(material=material, month=month, count=count))
        DownloadMonth.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        totals = {}
        for row in rows:
            totals[row.material_id] = totals.get(row.material_id, 0) + row.count
        for material_id, total in totals.items():
            Material.objects.filter(pk=material_id).update(download_count=total)
        return len(rows)

    def large(self, number):
        """Rows only, in batches: one shared file, search fields folded here (per piece, each
        piece once), COPY with pre-allocated keys on PostgreSQL (the material and its version
        point at each other; PostgreSQL checks those keys at commit), the vector in one UPDATE."""
        if not default_storage.exists(SHARED_FILE):
            default_storage.save(SHARED_FILE, ContentFile(b"BfE Demo: gemeinsame Datei"))
        paragraphs = [p for topic in TOPICS.values() for p in topic[4]]
        folded = {p: indexing.fold(p) for p in paragraphs}
        topics = [
            (title, self.categories[category].pk, tags, summary, indexing.fold(summary))
            for title, category, tags, summary, _text in TOPICS.values()
        ]
        tag_ids = {name: self.tag(name).pk for topic in topics for name in topic[2]}
        now = timezone.now()
        postgres = connection.vendor == "postgresql"
        for start in range(0, number, BATCH_SIZE):
            size = min(BATCH_SIZE, number - start)
            ids = _next_ids(Material, size) if postgres else [None] * size
            version_ids = _next_ids(MaterialVersion, size) if postgres else [None] * size
            materials, versions, tags_rows, languages = [], [], [], []
            for offset in range(size):
                n = start + offset
                title, category_id, tags, summary, summary_folded = topics[n % len(topics)]
                pieces = self.rng.sample(paragraphs, 3)
                text = " ".join(pieces)
                tags = tags[: 1 + n % len(tags)]
                full_title = f"{title} ({n + 1})"
                tag_text = " ".join(tags)
                terms = indexing.fold(f"{full_title} {tag_text}")
                published = self.today - datetime.timedelta(days=n % 1500)
                materials.append(
                    {
                        "id": ids[offset],
                        "kind": Material.Kind.FILE,
                        "title": full_title,
                        "summary": summary,
                        "category_id": category_id,
                        "audience": "public" if n % 3 == 0 else "internal",
                        "status": Material.Status.PUBLISHED,
                        "source": "BfE – Regionalkoordination",
                        "licence": "CC BY 4.0",
                        "published_on": published,
                        "reviewed_on": published,
                        "url": "",
                        "current_version_id": version_ids[offset],
                        "file_type": "TXT",
                        "download_count": 0,
                        "tags_text": tag_text,
                        "file_text": text,
                        "search_terms": terms,
                        "search_text": " ".join(
                            [terms, summary_folded, *(folded[p] for p in pieces)]
                        ),
                        "created_by_id": self.admin.pk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                versions.append(
                    {
                        "id": version_ids[offset],
                        "material_id": ids[offset],
                        "number": 1,
                        "file": SHARED_FILE,
                        "file_name": "gemeinsam.txt",
                        "file_type": "TXT",
                        "content_type": "text/plain",
                        "size": 26,
                        "note": "",
                        "uploaded_by_id": self.admin.pk,
                        "uploaded_at": now,
                        "extraction_status": MaterialVersion.Extraction.DONE,
                        "extraction_error": "",
                        "extracted_text": text,
                        "extracted_at": now,
                    }
                )
                tags_rows.append([tag_ids[name] for name in tags])
                languages.append("de")
            self._write_batch(materials, versions, tags_rows, languages, postgres)
        if not postgres:
            demo_materials().filter(current_version__isnull=True, file_type="TXT").update(
                current_version=Subquery(
                    MaterialVersion.objects.filter(material=OuterRef("pk")).values("pk")[:1]
                )
            )
        if postgres:
            demo_materials().update(search_vector=indexing.search_vector())
        return {"Materialien (large, ohne eigene Datei)": number}

    def _write_batch(self, materials, versions, tags_rows, languages, postgres):
        Through = Material.tags.through
        if postgres:
            _copy(Material, materials)
            _copy(MaterialVersion, versions)
            ids = [row["id"] for row in materials]
        else:
            objects = [
                Material(**{k: v for k, v in row.items() if k not in ("id", "current_version_id")})
                for row in materials
            ]
            Material.objects.bulk_create(objects)
            ids = [m.pk for m in objects]
            for row, material_id in zip(versions, ids, strict=True):
                row["material_id"] = material_id
            MaterialVersion.objects.bulk_create(
                [MaterialVersion(**{k: v for k, v in r.items() if k != "id"}) for r in versions]
            )
        links = [
            {"material_id": material_id, "tag_id": tag_id}
            for material_id, tag_list in zip(ids, tags_rows, strict=True)
            for tag_id in tag_list
        ]
        spoken = [
            {"material_id": material_id, "language": code}
            for material_id, code in zip(ids, languages, strict=True)
        ]
        if postgres:
            _copy(Through, links)
            _copy(MaterialLanguage, spoken)
        else:
            Through.objects.bulk_create([Through(**row) for row in links])
            MaterialLanguage.objects.bulk_create([MaterialLanguage(**row) for row in spoken])


def _next_ids(model, count):
    """`count` primary keys from the table's sequence (PostgreSQL), for COPY with keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, rows):
    """COPY plain rows (dicts of column names) into the model's table (PostgreSQL)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])
