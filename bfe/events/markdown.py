"""Markdown written by organisers, rendered to HTML that is safe to show to anyone.

Python-Markdown passes raw HTML through, so its output is never trusted: nh3 (ammonia) keeps
only an allow-list of tags and attributes, only http(s)/mailto links, and marks links
rel="noopener". Headings are shifted down two levels, because the page around the text already
has its h1 and h2.
"""

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["sane_lists", "tables", "def_list", "abbr"]
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener",
    # Tags whose content is code or styling, not text: dropped with what they contain.
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


def _shift_heading(match):
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}"


def render_markdown(text):
    """Sanitised HTML for Markdown `text`, marked safe for templates ('' for empty text)."""
    if not text or not text.strip():
        return mark_safe("")
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    html = HEADING.sub(_shift_heading, html)
    return mark_safe(_cleaner.clean(html))  # noqa: S308 - sanitised by nh3 just now
