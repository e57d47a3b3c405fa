"""Lists to import, made in the test: XLSX through openpyxl, CSV through csv."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = ["Name", "E-Mail", "Telefon", "Sprachen", "Status", "Bemerkung", "Dabei seit"]


def person_rows(count, start=0, domain="example.org"):
    return [
        [
            f"Person {n}",
            f"person{n}@{domain}",
            f"030 {1000 + n}",
            "Deutsch, Arabisch",
            "aktiv",
            f"Notiz {n}" if n % 2 == 0 else "",
            "01.03.2022",
        ]
        for n in range(start, start + count)
    ]


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, name="liste.xlsx"):
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def csv_bytes(rows, delimiter=";", encoding="utf-8"):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def csv_file(rows, name="liste.csv", delimiter=";", encoding="utf-8"):
    return SimpleUploadedFile(name, csv_bytes(rows, delimiter, encoding), content_type="text/csv")
