"""The organisers' files: participants as CSV and XLSX, the attendance list as PDF."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.events import exports
from bfe.events.models import Registration
from bfe.events.services.attendance import participant_list
from bfe.events.tests.factories import (
    GuestRegistrationFactory,
    JourFixeFactory,
    RegistrationFactory,
)
from bfe.places.tests.factories import berlin_region

pytestmark = pytest.mark.django_db
Status = Registration.Status
HEADERS = ["Name", "E-Mail", "Organisation/Unterkunft", "Status", "Warteliste seit", "teilgenommen"]


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def organiser():
    person = UserFactory()
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    return person


@pytest.fixture
def event(organiser):
    starts = timezone.make_aware(datetime.datetime(2030, 3, 12, 10))
    return JourFixeFactory(
        title="Jour fixe Nord: Ankommen & Bleiben",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        organisers=[organiser],
    )


@pytest.fixture
def people(event):
    RegistrationFactory(
        event=event,
        person=UserFactory(full_name="Jürgen Özdemir", email="juergen@example.org"),
        attended=True,
    )
    GuestRegistrationFactory(
        event=event,
        guest_name='=HYPERLINK("http://evil.example")',
        guest_email="boese@example.org",
        guest_organisation="@Verein",
    )
    RegistrationFactory(
        event=event,
        person=UserFactory(full_name="Wanda Warteliste", email="wanda@example.org"),
        status=Status.WAITLISTED,
        waitlisted_at=timezone.make_aware(datetime.datetime(2030, 3, 1, 9, 30)),
        confirmed_at=None,
    )


# CSV -------------------------------------------------------------------------------------------


def test_csv_is_semicolon_separated_utf8_with_bom_and_german_headers(
    client, organiser, event, people
):
    client.force_login(organiser)

    response = client.get(reverse("events:participants_csv", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="2030-03-12_jour-fixe-nord-ankommen-bleiben_teilnehmende.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    # Confirmed by name, then the waiting list.
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][2] == "'@Verein"
    assert rows[1][3] == "angemeldet"
    assert rows[2] == ["Jürgen Özdemir", "juergen@example.org", "", "angemeldet", "", "ja"]
    assert rows[3] == [
        "Wanda Warteliste",
        "wanda@example.org",
        "",
        "Warteliste (Platz 1)",
        "01.03.2030 09:30",
        "",
    ]
    assert len(rows) == 4


def test_csv_of_an_event_without_registrations_has_the_header_only(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("events:participants_csv", args=[event.pk]))
    assert response.content.decode("utf-8-sig").splitlines() == [";".join(HEADERS)]


# XLSX ------------------------------------------------------------------------------------------


def test_xlsx_has_a_bold_frozen_header_widths_and_the_people(client, organiser, event, people):
    client.force_login(organiser)

    response = client.get(reverse("events:participants_xlsx", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('_teilnehmende.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 20
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    # A name that looks like a formula stays text.
    assert values[0][0] == '=HYPERLINK("http://evil.example")'
    assert sheet["A2"].data_type == "s"
    assert values[1][:4] == ["Jürgen Özdemir", "juergen@example.org", None, "angemeldet"]
    assert values[1][5] == "ja"
    assert values[2][3] == "Warteliste (Platz 1)"
    assert values[2][4] == datetime.datetime(2030, 3, 1, 9, 30)


# PDF -------------------------------------------------------------------------------------------


def test_the_attendance_list_names_the_event_and_the_confirmed_without_emails(event, people):
    html = exports.attendance_list_html(participant_list(event))

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Anwesenheitsliste" in text
    assert "Jour fixe Nord: Ankommen &amp; Bleiben" in text
    assert "Dienstag, 12. März 2030, 10:00–12:00 Uhr" in text
    assert "Haus der Demokratie" in text
    assert "Unterschrift" in text
    assert "Jürgen Özdemir" in text
    # Privacy: no e-mail addresses on paper that lies on a table; no waiting list.
    assert "@example.org" not in html
    assert "Wanda Warteliste" not in text
    # Numbered rows for the confirmed, then empty ones for walk-ins.
    assert html.count('<tr class="empty"') == exports.MAX_EMPTY_ROWS
    assert "counter(pages)" in html


def test_the_attendance_pdf_is_a4_with_one_row_per_person_over_several_pages(event):
    for index in range(45):
        RegistrationFactory(event=event, person=UserFactory(full_name=f"Person {index:02d}"))
    participants = participant_list(event)
    document = exports.attendance_list_document(participants)

    assert len(document.pages) >= 3
    width, height = document.pages[0].width, document.pages[0].height
    # A4 in CSS pixels (96 per inch).
    assert round(width / 96 * 25.4) == 210 and round(height / 96 * 25.4) == 297
    assert exports.attendance_list_pdf(participants).startswith(b"%PDF-")


@pytest.mark.parametrize("size", [0, 12, 19, 40])
def test_empty_rows_fill_the_last_page_and_never_stand_alone(event, size):
    for index in range(size):
        RegistrationFactory(event=event, person=UserFactory(full_name=f"Person {index:02d}"))

    document = exports.attendance_list_document(participant_list(event))

    blanks = [sum(a.startswith("blank-") for a in page.anchors) for page in document.pages]
    assert exports.MIN_EMPTY_ROWS <= sum(blanks) <= exports.MAX_EMPTY_ROWS
    last = document.pages[-1].anchors
    # The last page carries the end of the list, or enough empty rows to be worth a page.
    assert {"list-end", "list-start"} & set(last) or blanks[-1] >= exports.MIN_EMPTY_ROWS


def test_the_attendance_pdf_is_served_inline(client, organiser, event, people):
    client.force_login(organiser)

    response = client.get(reverse("events:attendance_pdf", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="2030-03-12_jour-fixe-nord-ankommen-bleiben_anwesenheitsliste.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_pdf_renderer_fetches_nothing_from_outside(monkeypatch):
    html = '<html><body><img src="http://169.254.169.254/latest"><p>ok</p></body></html>'
    import urllib.request

    fetched = []

    def record(self, request, *args, **kwargs):
        fetched.append(request)
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    assert exports.render_pdf(html).startswith(b"%PDF-")
    assert fetched == []


def test_export_filenames_carry_the_date_and_a_slug(event):
    event.title = "Werkstatt: Gewinnung / Bindung?"
    assert exports.export_filename(event, "teilnehmende", "csv") == (
        "2030-03-12_werkstatt-gewinnung-bindung_teilnehmende.csv"
    )
