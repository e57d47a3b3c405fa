"""PDFs carry the project's fonts (bfe/core/pdf.py): embedded, covering every name, and laid out
the same on a server without any fonts of its own (test_pdf_without_system_fonts.py runs these
tests again with a fontconfig that sees none)."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from bfe.core import pdf
from bfe.events import exports
from bfe.events.selectors import training as selectors
from bfe.events.services import training as services
from bfe.events.services.attendance import participant_list

from .factories import JourFixeFactory, RegistrationFactory
from .training_helpers import attend, coordinator, series_with_modules

pytestmark = pytest.mark.django_db

# Latin Extended (Serbian, Croatian, Turkish), Vietnamese, and Cyrillic for Ukrainian names.
NAMES = ["Đorđe Šćepanović", "Nguyễn Thị Minh Khai", "Zeynep Ağaoğlu", "Олена Шевченко"]
# The PostScript names of fonts.css's families, as the PDF's font resources carry them.
PROJECT_FONTS = {"Source-Sans-3", "Source-Serif-4", "Source-Code-Pro"}
PDF_STATIC = Path(settings.BASE_DIR) / "bfe" / "static" / "pdf"
PDF_TEMPLATES = Path(settings.BASE_DIR) / "bfe" / "templates" / "pdf"


def embedded_fonts(document):
    """{PostScript name: whether its font program is embedded} of every font a PDF uses."""
    fonts = {}
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            # "ABCDEF+Source-Sans-3-Bold": a subset's tag, then the font's name.
            name = re.sub(r"^/?([A-Z]{6}\+)?", "", str(font["/BaseFont"])).rstrip(",")
            fonts[name] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    return fonts


def text_of(document):
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(document)).pages
    )


def family(font_name):
    return next((f for f in PROJECT_FONTS if font_name.startswith(f)), font_name)


def test_print_styles_name_only_the_project_fonts_and_generic_fallbacks():
    generic = {"sans-serif", "serif", "monospace"}
    sources = [*PDF_STATIC.glob("*.css"), *PDF_TEMPLATES.glob("*.html")]
    families = set()
    for source in sources:
        for value in re.findall(r"font-family:\s*([^;}]+)", source.read_text(encoding="utf-8")):
            families |= {family.strip().strip("\"'") for family in value.split(",")}

    assert families - generic == set(pdf.FONT_FAMILIES)
    assert {name.replace(" ", "-") for name in pdf.FONT_FAMILIES} == PROJECT_FONTS


@pytest.mark.parametrize("name", NAMES)
def test_certificate_embeds_only_the_project_fonts_and_shows_the_holders_name(name):
    person = coordinator(full_name=name)
    series = series_with_modules(first_in_days=-70)
    attend(person, series, 1, 2, 3, 4, 5, 6, 7)
    certificate = services.issue_certificate(person=person, series=series)

    document = selectors.render_certificate_pdf(certificate)

    fonts = embedded_fonts(document)
    # Sans for the text, serif for the title and the name, mono for the verification code.
    assert {family(font) for font in fonts} == PROJECT_FONTS
    assert all(fonts.values())
    assert name in text_of(document)


def test_attendance_list_embeds_only_the_project_fonts_and_shows_every_name():
    event = JourFixeFactory(title="Jour fixe Südost: Ankommen")
    for name in NAMES:
        RegistrationFactory(event=event, person=coordinator(full_name=name))

    document = exports.attendance_list_pdf(participant_list(event))

    fonts = embedded_fonts(document)
    assert {family(font) for font in fonts} == {"Source-Sans-3"}
    assert all(fonts.values())
    text = text_of(document)
    assert all(name in text for name in NAMES), text
