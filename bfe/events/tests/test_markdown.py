"""Organisers' Markdown is rendered, and whatever HTML it carries is sanitised."""

import pytest
from django.template import Context, Template

from bfe.events.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("**fett** und *kursiv*\n\n- eins\n- zwei")

    assert "<strong>fett</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<li>eins</li>" in html


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Hallo <script>alert('x')</script> Welt")

    assert "<script" not in html
    assert "alert" not in html
    assert "Hallo" in html


@pytest.mark.parametrize(
    "text",
    [
        "[klick](javascript:alert(1))",
        '<a href="javascript:alert(1)">klick</a>',
        '<a href="JaVaScRiPt:alert(1)">klick</a>',
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_javascript_and_data_links_lose_their_target(text):
    html = render_markdown(text)

    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert "klick" in html


@pytest.mark.parametrize(
    "text",
    [
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">Text</p>',
        '<a href="https://example.org" onmouseover="alert(1)">Link</a>',
        '<div style="position:fixed">Text</div>',
        "<iframe src='https://example.org'></iframe>",
    ],
)
def test_event_handlers_styles_and_foreign_tags_are_removed(text):
    html = render_markdown(text)

    assert "alert" not in html
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert "style" not in html
    assert "<img" not in html and "<iframe" not in html


def test_links_open_safely():
    html = render_markdown("[BfE](https://bfe.example.org/)")

    assert html == '<p><a href="https://bfe.example.org/" rel="noopener">BfE</a></p>'


def test_mailto_links_are_kept():
    assert 'href="mailto:nord@bfe.example"' in render_markdown("<mailto:nord@bfe.example>")


def test_headings_fit_below_the_pages_own():
    html = render_markdown("# Ablauf\n\n## Pause")

    assert "<h3>Ablauf</h3>" in html
    assert "<h4>Pause</h4>" in html
    assert "<h1" not in html and "<h2" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("   \n") == ""
    assert render_markdown(None) == ""


def test_the_template_filter_marks_the_result_safe():
    template = Template("{% load event_tags %}{{ text|markdown }}")

    html = template.render(Context({"text": "**a** <b onclick='x()'>b</b>"}))

    assert html == "<p><strong>a</strong> b</p>"
