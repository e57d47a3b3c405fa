"""bfe.core.pdf fetches the project's static files for WeasyPrint, and nothing beyond them."""

import pytest

from bfe.core import pdf


def test_the_fetcher_serves_a_static_file_under_the_sites_static_url(settings):
    settings.SITE_URL = "https://bfe.example.org"

    response = pdf.url_fetcher()("https://bfe.example.org/static/pdf/fonts.css")

    assert b"@font-face" in response.read()
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://bfe.example.org/static/../../bfe/settings.py",
        "https://bfe.example.org/static/%2e%2e/manage.py",
        "https://bfe.example.org/static/pdf/missing.css",
        "https://bfe.example.org/verwaltung/",
        "https://elsewhere.example.org/static/pdf/fonts.css",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_but_existing_static_files(settings, url):
    settings.SITE_URL = "https://bfe.example.org"

    with pytest.raises(ValueError):
        pdf.url_fetcher()(url)
