"""Files built from an event's participant list: CSV, XLSX and the printable attendance list.

Each builder takes a `ParticipantList` (services.attendance.participant_list) and returns bytes;
the views only wrap them in responses. `render_pdf` turns any print template (templates/pdf/)
into a PDF with WeasyPrint (through bfe.core.pdf, which every print document uses).
"""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bfe.core import pdf

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
# Characters that make spreadsheet programs treat a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Empty lines at the end of the attendance list, for people who come without registering.
MIN_EMPTY_ROWS, MAX_EMPTY_ROWS = 3, 15


def export_filename(event, stem, extension):
    """E.g. "2026-05-13_werkstatt-engagement-im-sozialraum_teilnehmende.csv"."""
    day = timezone.localtime(event.starts_at).date().isoformat()
    title = slugify(event.title)[:60].strip("-") or "veranstaltung"
    return f"{day}_{title}_{stem}.{extension}"


def headers():
    return [
        _("Name"),
        _("E-Mail"),
        _("Organisation/Unterkunft"),
        _("Status"),
        _("Warteliste seit"),
        _("teilgenommen"),
    ]


def _row(participant):
    """The cells of one participant; "Warteliste seit" as a local naive datetime or None."""
    waitlisted_at = participant.waitlisted_at if participant.waitlist_position else None
    if participant.waitlist_position:
        attended = ""
    else:
        attended = _("ja") if participant.attended else _("nein")
    return [
        participant.name,
        participant.email,
        participant.organisation,
        participant.status_label(),
        timezone.localtime(waitlisted_at).replace(tzinfo=None) if waitlisted_at else None,
        attended,
    ]


def _neutralise(value):
    """Text that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def participants_csv(participants):
    """Semicolon-separated, UTF-8 with BOM (so that Excel reads umlauts), German headers:
    the confirmed participants by name, then the waiting list in order."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for participant in participants.everyone():
        cells = _row(participant)
        if cells[4]:
            cells[4] = cells[4].strftime("%d.%m.%Y %H:%M")
        writer.writerow([_neutralise(cell if cell is not None else "") for cell in cells])
    return buffer.getvalue().encode("utf-8")


def participants_xlsx(participants):
    """A workbook with one sheet: bold, frozen header row, filters, readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    event = participants.event
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Teilnehmende")[:31]
    workbook.properties.title = event.title
    workbook.properties.creator = _("Beratungsforum Engagement")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for participant in participants.everyone():
        sheet.append(_row(participant))
        for cell in sheet[sheet.max_row]:
            # openpyxl writes text beginning with "=" as a formula; keep it text.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        sheet.cell(row=sheet.max_row, column=5).number_format = "DD.MM.YYYY HH:MM"
    widths = [28, 32, 36, 26, 18, 13]
    for index, width in enumerate(widths, start=1):
        longest = max((len(str(c.value or "")) for c in sheet[get_column_letter(index)]), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, longest + 2), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attendance_list_context(participants, empty_rows=MAX_EMPTY_ROWS):
    start = len(participants.confirmed) + 1
    return {
        "event": participants.event,
        "participants": participants.confirmed,
        "empty_rows": range(start, start + empty_rows),
        "printed_at": timezone.localtime(),
    }


def attendance_list_html(participants, *, empty_rows=MAX_EMPTY_ROWS):
    """The HTML that becomes the attendance list PDF (tests read it as text)."""
    return render_to_string(
        "pdf/attendance_list.html", attendance_list_context(participants, empty_rows)
    )


def attendance_list_document(participants):
    """The laid-out attendance list (a WeasyPrint Document).

    Empty rows for walk-ins fill the rest of the page the list ends on, so that no page holds
    a lonely empty row; only when fewer than MIN_EMPTY_ROWS fit there, they continue on a new
    page. At most two layouts: one with all empty rows to measure, one with those that fit.
    """
    document = _layout(attendance_list_html(participants))
    fitting = _empty_rows_on_last_list_page(document)
    if fitting == MAX_EMPTY_ROWS or fitting < MIN_EMPTY_ROWS:
        return document
    return _layout(attendance_list_html(participants, empty_rows=fitting))


def _empty_rows_on_last_list_page(document):
    """How many empty rows share a page with the list's last row (or its start, if empty)."""
    for mark in ("list-end", "list-start"):
        for page in document.pages:
            if mark in page.anchors:
                return sum(1 for anchor in page.anchors if anchor.startswith("blank-"))
    return 0


def attendance_list_pdf(participants):
    return attendance_list_document(participants).write_pdf()


def render_pdf(html):
    """A PDF of print HTML (templates/pdf/), in the project's fonts (bfe.core.pdf)."""
    return pdf.render_pdf(html)


def _layout(html):
    return pdf.layout(html)
