"""The Teilnahmebescheinigung: what it says, that it is one A4 page, and its QR code.

WeasyPrint cannot give text back from a PDF, so the content is checked in the HTML it is
rendered from, and the PDF for being a PDF of exactly one page.
"""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from bfe.events.selectors import training as selectors
from bfe.events.services import training as services

from .factories import (
    EnrolmentFactory,
    RegistrationFactory,
    TrainingModuleEventFactory,
    TrainingSeriesFactory,
    in_days,
    module,
)
from .training_helpers import attend, coordinator, series_with_modules

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def certificate(settings):
    """Eva took Basis 1, 2, 4–7 in this year's series and caught up module 3 from last year."""
    settings.SITE_URL = "https://bfe.example.org"
    last_year = TrainingSeriesFactory(
        year=THIS_YEAR - 1, title=f"Freiwilligenkoordination BfE – Basis {THIS_YEAR - 1}"
    )
    caught_up = TrainingModuleEventFactory(
        training_series=last_year, module=module("basis", 3), starts_at=in_days(-300, 9)
    )
    series = series_with_modules(
        year=THIS_YEAR,
        first_in_days=-70,
        numbers=[1, 2, 4, 5, 6, 7, 8],
        title=f"Freiwilligenkoordination BfE – Basis {THIS_YEAR}",
    )
    eva = coordinator(full_name="Eva Gruber")
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 4, 5, 6, 7)
    RegistrationFactory(event=caught_up, person=eva, attended=True)
    return services.issue_certificate(person=eva, series=series)


def text_of(html):
    """The visible text of the certificate's HTML, whitespace collapsed."""
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_certificate_names_holder_series_year_and_hours(certificate):
    text = text_of(selectors.render_certificate_html(certificate))

    assert "Teilnahmebescheinigung" in text
    assert "Eva Gruber" in text
    assert (
        f"an der Fortbildungsreihe „Freiwilligenkoordination BfE – Basis“ {THIS_YEAR} für "
        "Ehrenamtskoordinator:innen in Unterkünften für Geflüchtete teilgenommen hat"
    ) in text
    assert "Besucht wurden 7 von 8 Modulen mit insgesamt 42 Stunden" in text
    assert "Beratungsforum Engagement" in text
    assert "Landesfreiwilligenagentur Berlin" in text


def test_certificate_lists_each_module_attended_with_its_date_and_hours(certificate):
    text = text_of(selectors.render_certificate_html(certificate))
    caught_up = timezone.localdate(in_days(-300, 9)).strftime("%d.%m.%Y")
    first = timezone.localdate(in_days(-70, 9)).strftime("%d.%m.%Y")

    assert f"1 Systeme des Freiwilligenmanagements {first} 6" in text
    assert f"3 Gewinnung {caught_up} 6" in text
    assert "7 Resilienz" in text
    assert "Angebote, Bedürfnisse und Beteiligung von Geflüchteten" not in text  # not attended
    assert "Gesamt 42" in text


def test_certificate_has_place_date_signature_line_and_verification(certificate):
    html = selectors.render_certificate_html(certificate)
    text = text_of(html)
    issued = timezone.localdate(certificate.issued_at)
    code = certificate.verification_code

    months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"]
    months += ["September", "Oktober", "November", "Dezember"]
    assert f"Berlin, {issued.day}. {months[issued.month - 1]} {issued.year}" in text
    assert "Ort, Datum" in text
    assert "Projektleitung Beratungsforum Engagement" in text
    assert f"Prüfnummer {code[:4]}-{code[4:]}" in text
    assert f"https://bfe.example.org/bescheinigungen/pruefen/{code}/" in text
    assert 'src="data:image/svg+xml' in html


def test_certificate_lists_only_what_was_attended_when_it_was_issued(certificate):
    later = series_with_modules(year=THIS_YEAR + 1, numbers=[8], first_in_days=-1)
    attend(certificate.person, later, 8)
    certificate.issued_at = timezone.now() - datetime.timedelta(days=3)
    certificate.save(update_fields=["issued_at"])

    text = text_of(selectors.render_certificate_html(certificate))

    assert "Angebote, Bedürfnisse und Beteiligung von Geflüchteten" not in text


def test_certificate_is_in_the_holders_language(certificate):
    certificate.person.language = "en"
    certificate.person.save(update_fields=["language"])

    html = selectors.render_certificate_html(certificate)

    assert '<html lang="en">' in html
    assert "Systems of volunteer management" in html


def test_certificate_pdf_is_one_a4_page(certificate):
    pdf = selectors.render_certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF")

    document = selectors.certificate_document(certificate)
    assert len(document.pages) == 1
    width, height = document.pages[0].width, document.pages[0].height
    # A4 in CSS pixels (96 per inch): 210 mm × 297 mm.
    assert round(width / 96 * 25.4) == 210
    assert round(height / 96 * 25.4) == 297


def test_certificate_with_long_names_stays_on_one_page(certificate):
    certificate.holder_name = "Maria-Magdalena Alexandra von Hohenzollern-Sigmaringen-Schmidt"
    certificate.save(update_fields=["holder_name"])
    attend(
        certificate.person,
        series_with_modules(year=THIS_YEAR - 2, numbers=[8], first_in_days=-700),
        8,
    )

    assert len(selectors.certificate_document(certificate).pages) == 1
