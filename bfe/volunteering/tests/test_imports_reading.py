"""Reading old lists: headers guessed, CSV dialects and encodings, row numbers as shown."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bfe.volunteering.services.imports_reading import (
    check_import_file,
    data_rows,
    guess_mapping,
    read_table,
)

from .factories_imports import HEADER, csv_bytes, csv_file, person_rows, xlsx_file


@pytest.fixture(autouse=True)
def german():
    """Messages are checked in German, whatever an earlier test's request activated."""
    with translation.override("de"):
        yield


def test_german_headers_are_guessed():
    assert guess_mapping(HEADER) == {
        "full_name": 0,
        "email": 1,
        "phone": 2,
        "languages": 3,
        "stage": 4,
        "notes": 5,
        "start_date": 6,
    }


def test_english_headers_are_guessed():
    header = ["First name", "Last name", "Email address", "Phone number", "Languages", "Notes"]
    assert guess_mapping(header) == {
        "first_name": 0,
        "last_name": 1,
        "email": 2,
        "phone": 3,
        "languages": 4,
        "notes": 5,
    }


def test_headers_that_say_more_are_guessed_by_their_telling_words():
    header = ["Vorname", "Name", "E-Mail privat", "Telefon (mobil)", "Aktiv seit"]
    assert guess_mapping(header) == {
        "first_name": 0,
        "last_name": 1,
        "email": 2,
        "phone": 3,
        "start_date": 4,
    }


def test_unknown_headers_map_to_nothing():
    assert guess_mapping(["Lieblingsfarbe", "Schuhgröße"]) == {}


def test_a_semicolon_csv_is_read_with_its_header_and_rows():
    upload = csv_file([HEADER, *person_rows(3)], delimiter=";")
    table, count = read_table(upload, "csv")
    assert table.header == HEADER
    assert count == 3
    rows = list(data_rows(upload, table))
    assert [number for number, _cells in rows] == [2, 3, 4]
    assert rows[0][1][:2] == ["Person 0", "person0@example.org"]


def test_a_comma_csv_is_read_as_well():
    upload = csv_file([HEADER, *person_rows(2)], delimiter=",")
    table, count = read_table(upload, "csv")
    assert table.header == HEADER and count == 2


def test_a_windows_csv_from_excel_is_accepted_and_its_umlauts_read():
    upload = csv_file([["Name", "E-Mail"], ["Jürgen Weiß", "j@example.org"]], encoding="cp1252")
    assert check_import_file(upload) == "csv"
    table, _count = read_table(upload, "csv")
    _number, cells = next(data_rows(upload, table))
    assert cells[0] == "Jürgen Weiß"


def test_a_utf8_csv_with_byte_order_mark_loses_the_mark():
    upload = SimpleUploadedFile("liste.csv", b"\xef\xbb\xbf" + csv_bytes([["Name"], ["Ada"]]))
    table, _count = read_table(upload, "csv")
    assert table.header == ["Name"]


def test_empty_rows_count_as_rows_of_the_sheet_but_are_not_people():
    upload = xlsx_file([[], HEADER, *person_rows(1), [None, None], *person_rows(1, start=1)])
    table, count = read_table(upload, "xlsx")
    assert table.header_row == 2
    assert count == 2
    assert [number for number, _cells in data_rows(upload, table)] == [3, 5]


def test_a_file_with_only_a_header_is_refused():
    with pytest.raises(ValidationError) as refused:
        read_table(csv_file([HEADER]), "csv")
    assert "keine Personen" in refused.value.messages[0]


def test_a_pdf_named_csv_is_refused_by_its_content():
    upload = SimpleUploadedFile("liste.csv", b"%PDF-1.7 binary \x00\x01")
    with pytest.raises(ValidationError) as refused:
        check_import_file(upload)
    assert "keine echte CSV-Datei" in refused.value.messages[0]


def test_a_csv_named_xlsx_is_refused_by_its_content():
    upload = SimpleUploadedFile("liste.xlsx", csv_bytes([HEADER]))
    with pytest.raises(ValidationError) as refused:
        check_import_file(upload)
    assert "keine echte XLSX-Datei" in refused.value.messages[0]


def test_an_old_excel_file_is_refused_with_the_types_allowed():
    upload = SimpleUploadedFile("liste.xls", b"\xd0\xcf\x11\xe0 old excel")
    with pytest.raises(ValidationError) as refused:
        check_import_file(upload)
    assert "XLSX und CSV" in refused.value.messages[0]


def test_an_xlsx_with_a_wrong_used_range_is_read_whole():
    import io
    import zipfile

    from .factories_imports import xlsx_bytes

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, *person_rows(3)])))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1"', data)
            target.writestr(item, data)
    upload = SimpleUploadedFile("liste.xlsx", patched.getvalue())
    table, count = read_table(upload, "xlsx")
    assert count == 3
    assert table.header == HEADER
