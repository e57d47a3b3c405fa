"""PDFs from print HTML (templates/pdf/) with WeasyPrint, in the project's own fonts.

Every PDF gets static/pdf/fonts.css: Source Sans 3, Source Serif 4 and Source Code Pro (npm,
package-lock.json), embedded in the PDF, so a document looks and breaks the same on every
server whatever fonts it has. WeasyPrint fetches nothing from outside: only data: URIs and the
project's static files, so that no text written by users can make the server request anything.
"""

import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

FONTS_STYLESHEET = "pdf/fonts.css"
# The families fonts.css brings, as print stylesheets name them.
FONT_FAMILIES = ("Source Sans 3", "Source Serif 4", "Source Code Pro")


def _static_base_url():
    return urljoin(settings.SITE_URL, settings.STATIC_URL)


def open_static_file(name):
    """A static file by its name: from the finders (the source, in development and tests) or,
    where only collected files are, from the static files storage. None if there is none."""
    name = posixpath.normpath(name)
    if name.startswith(("/", "../")) or name == "..":
        return None
    path = finders.find(name)
    if path:
        return open(path, "rb")  # WeasyPrint closes the response
    if staticfiles_storage.exists(name):
        return staticfiles_storage.open(name)
    return None


def url_fetcher():
    """A WeasyPrint URL fetcher for data: URIs and the project's static files, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_base = _static_base_url()

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(static_base):
                name = unquote(urlsplit(url).path).removeprefix(urlsplit(static_base).path)
                body = open_static_file(name)
                if body is None:
                    raise ValueError(f"no static file {name!r}")
                return URLFetcherResponse(url, body)
            return super().fetch(url, headers)

    return StaticFilesFetcher(allowed_protocols={"data"}, timeout=2)


def layout(html):
    """The laid-out document (a WeasyPrint Document) of print HTML, in the project's fonts."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = url_fetcher()
    font_config = FontConfiguration()
    fonts = CSS(
        url=urljoin(_static_base_url(), FONTS_STYLESHEET),
        url_fetcher=fetcher,
        font_config=font_config,
    )
    document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher)
    return document.render(stylesheets=[fonts], font_config=font_config)


def render_pdf(html):
    """PDF bytes of print HTML, with the project's fonts embedded."""
    return layout(html).write_pdf()
