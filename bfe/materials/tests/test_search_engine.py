"""The search page's engine on both databases: what people type finds the Führungszeugnis
guide; internal materials stay invisible to the public, in results, facets and snippets."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from bfe.materials.models import Material, MaterialLanguage
from bfe.materials.selectors_search import snippet
from bfe.places.tests.factories import CoordinatorPositionFactory

from .factories import CategoryFactory, MaterialFactory, MaterialVersionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("materials:search")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German full text and trigrams need PostgreSQL"
)


def titles(response):
    return [material.title for material in response.context["page"].object_list]


@pytest.fixture
def coordinator(client):
    person = CoordinatorPositionFactory().person
    client.force_login(person)
    return person


@pytest.fixture
def guide():
    recht = CategoryFactory(slug="recht-und-versicherung", name="Recht und Versicherung")
    version = MaterialVersionFactory(
        material__title="Leitfaden Führungszeugnis",
        material__summary="Wann Ehrenamtliche ein erweitertes Führungszeugnis brauchen.",
        material__category=recht,
        material__audience=Material.Audience.PUBLIC,
        extracted_text=(
            "Die Einsichtnahme wird dokumentiert, aber nicht kopiert. "
            "Die Gebührenbefreiung beantragt die Unterkunft beim Bürgeramt."
        ),
    )
    return version.material


@pytest.fixture
def others():
    return [
        MaterialFactory(title="Datenschutz im Ehrenamt", audience=Material.Audience.PUBLIC),
        MaterialFactory(title="Versicherungsschutz für Freiwillige"),
    ]


@pytest.mark.parametrize("q", ["fuhrungszeugnis", "fuehrungszeugnis", "Führungszeugnis"])
def test_the_guide_is_found_without_umlauts_and_by_its_exact_word(client, guide, others, q):
    response = client.get(SEARCH, {"q": q})
    assert titles(response) == ["Leitfaden Führungszeugnis"]


def test_a_phrase_only_inside_the_file_finds_the_guide(client, guide, others):
    response = client.get(SEARCH, {"q": "Gebührenbefreiung beantragt"})
    assert titles(response) == ["Leitfaden Führungszeugnis"]


@postgres_only
@pytest.mark.parametrize(
    "q", ["Führungszeugnisse", "fürungszeugnis", '"Gebührenbefreiung beantragt"']
)
def test_stemming_typos_and_quoted_phrases_find_the_guide_on_postgresql(client, guide, others, q):
    response = client.get(SEARCH, {"q": q})
    assert titles(response) == ["Leitfaden Führungszeugnis"]


@postgres_only
def test_a_quoted_phrase_needs_its_words_in_that_order(client, guide, others):
    assert titles(client.get(SEARCH, {"q": '"Unterkunft Gebührenbefreiung"'})) == []


def test_the_snippet_highlights_the_words_found_in_the_file(client, guide):
    response = client.get(SEARCH, {"q": "Gebührenbefreiung"})
    html = response.content.decode()
    assert "<mark>Gebührenbefreiung</mark>" in html


def test_a_title_hit_ranks_before_a_hit_in_the_text(client):
    MaterialVersionFactory(
        material__title="Checkliste Einarbeitung",
        material__audience=Material.Audience.PUBLIC,
        extracted_text="Denken Sie an den Datenschutz.",
    )
    MaterialFactory(title="Datenschutz kompakt", audience=Material.Audience.PUBLIC)
    assert titles(client.get(SEARCH, {"q": "datenschutz"})) == [
        "Datenschutz kompakt",
        "Checkliste Einarbeitung",
    ]


def test_sorting_by_date_puts_the_newest_first(client):
    import datetime

    MaterialFactory(
        title="Datenschutz kompakt",
        audience=Material.Audience.PUBLIC,
        published_on=datetime.date(2020, 1, 1),
    )
    MaterialFactory(
        title="Neu: Datenschutz-Folien",
        summary="Folien",
        audience=Material.Audience.PUBLIC,
        published_on=datetime.date(2026, 1, 1),
    )
    response = client.get(SEARCH, {"q": "datenschutz", "sortierung": "datum"})
    assert titles(response) == ["Neu: Datenschutz-Folien", "Datenschutz kompakt"]


def test_an_empty_query_lists_the_latest_materials_with_facets(client, guide, others):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert set(titles(response)) == {"Leitfaden Führungszeugnis", "Datenschutz im Ehrenamt"}
    categories = response.context["results"].facets[0]
    assert ("recht-und-versicherung", "Recht und Versicherung", 1) in categories.values


# --- Audience --------------------------------------------------------------------------------


@pytest.fixture
def internal_secret():
    return MaterialVersionFactory(
        material__title="Internes Protokoll Führungszeugnis",
        material__summary="Nur für Koordinator:innen.",
        material__category=CategoryFactory(slug="intern", name="Interna"),
        material__audience=Material.Audience.INTERNAL,
        material__file_type="DOCX",
        extracted_text="Geheimwort Zitronenfalter steht nur hier.",
        file_type="DOCX",
    ).material


def test_an_anonymous_visitor_never_sees_an_internal_material_or_its_title(
    client, guide, internal_secret
):
    response = client.get(SEARCH, {"q": "Führungszeugnis"})
    assert titles(response) == ["Leitfaden Führungszeugnis"]
    assert "Internes Protokoll" not in response.content.decode()


def test_an_anonymous_visitor_never_gets_a_snippet_of_internal_text(client, internal_secret):
    response = client.get(SEARCH, {"q": "Zitronenfalter"})
    assert titles(response) == []
    assert "Zitronenfalter</mark>" not in response.content.decode()
    assert "Geheimwort" not in response.content.decode()


def test_internal_materials_are_not_counted_in_the_publics_facets(client, guide, internal_secret):
    response = client.get(SEARCH)
    facets = {facet.key: facet.values for facet in response.context["results"].facets}
    assert [slug for slug, _, _ in facets["kategorie"]] == ["recht-und-versicherung"]
    assert [value for value, _, _ in facets["typ"]] == ["TXT"]
    assert "zielgruppe" not in facets
    assert response.context["results"].total == 1
    assert "Interna" not in response.content.decode()


def test_the_public_cannot_ask_for_internal_materials_by_filter(client, internal_secret):
    response = client.get(SEARCH, {"zielgruppe": "internal", "kategorie": "intern"})
    assert titles(response) == []


def test_a_coordinator_finds_internal_materials_and_may_filter_by_audience(
    client, coordinator, guide, internal_secret
):
    assert titles(client.get(SEARCH, {"q": "Zitronenfalter"})) == [
        "Internes Protokoll Führungszeugnis"
    ]
    response = client.get(SEARCH, {"q": "Führungszeugnis", "zielgruppe": "public"})
    assert titles(response) == ["Leitfaden Führungszeugnis"]
    audiences = {facet.key: facet.values for facet in response.context["results"].facets}
    assert audiences["zielgruppe"] == [("public", "Öffentlich", 1)]


def test_archived_materials_are_not_found(client):
    MaterialFactory(
        title="Altes Formular",
        audience=Material.Audience.PUBLIC,
        status=Material.Status.ARCHIVED,
    )
    assert titles(client.get(SEARCH, {"q": "formular"})) == []


# --- Filters and facets --------------------------------------------------------------------------


def test_filters_narrow_the_results_and_the_facets_count_what_is_left(client):
    methoden = CategoryFactory(slug="methoden", name="Methoden")
    arabic = MaterialFactory(
        title="Willkommensmappe arabisch", audience=Material.Audience.PUBLIC, category=methoden
    )
    MaterialLanguage.objects.create(material=arabic, language="ar")
    german = MaterialFactory(title="Willkommensmappe", audience=Material.Audience.PUBLIC)
    MaterialLanguage.objects.create(material=german, language="de")
    response = client.get(SEARCH, {"q": "willkommensmappe", "sprache": "ar"})
    assert titles(response) == ["Willkommensmappe arabisch"]
    facets = {facet.key: facet.values for facet in response.context["results"].facets}
    assert facets["kategorie"] == [("methoden", "Methoden", 1)]
    assert [value for value, _, _ in facets["sprache"]] == ["ar"]
    response = client.get(SEARCH, {"kategorie": "methoden", "typ": "link"})
    assert titles(response) == ["Willkommensmappe arabisch"]
    # The chip removes its own filter and keeps the others.
    assert 'href="?typ=link"' in response.content.decode()


def test_a_facet_link_adds_its_filter_to_the_search(client, guide):
    html = client.get(SEARCH, {"q": "fuhrungszeugnis"}).content.decode()
    assert 'href="?q=fuhrungszeugnis&amp;kategorie=recht-und-versicherung"' in html


# --- Bad input -----------------------------------------------------------------------------------


def test_an_unknown_category_is_reported_and_the_search_still_runs(client, guide):
    response = client.get(SEARCH, {"q": "fuhrungszeugnis", "kategorie": "gibt-es-nicht"})
    assert response.status_code == 200
    assert titles(response) == ["Leitfaden Führungszeugnis"]
    assert "Diese Kategorie gibt es nicht." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"seite": "abc"},
        {"seite": "99999"},
        {"seite": "-1"},
        {"q": "!!! ??? ..."},
        {"q": "\"'"},
        {"q": "x" * 5000},
        {"sprache": "klingonisch"},
        {"typ": "<script>"},
        {"zielgruppe": "alle"},
        {"sortierung": "zufall"},
        {"kategorie": "Ä ö"},
        {"q": "a & b | !c <-> d:*"},
        {"q": "nul\x00byte"},
        {"kategorie": "a\x00", "typ": "P\x00DF", "sprache": "\x00"},
    ],
)
def test_bad_input_never_breaks_the_page(client, coordinator, guide, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200


def test_a_query_of_punctuation_only_asks_for_a_word_and_lists_the_latest(client, guide):
    response = client.get(SEARCH, {"q": "?!"})
    assert "Bitte geben Sie einen Suchbegriff mit Buchstaben oder Ziffern ein." in (
        response.content.decode()
    )
    assert titles(response) == ["Leitfaden Führungszeugnis"]


def test_an_overlong_query_is_cut_and_still_searched(client, guide):
    response = client.get(SEARCH, {"q": "fuhrungszeugnis " + "x" * 300})
    assert "gesucht wird nach den ersten 200 Zeichen" in response.content.decode()
    assert len(response.context["form"]["q"].value()) == 200


def test_a_search_without_results_suggests_removing_filters(client, guide):
    response = client.get(SEARCH, {"q": "fuhrungszeugnis", "sprache": "uk"})
    html = response.content.decode()
    assert "Nichts gefunden" in html
    assert "Alle Filter entfernen" in html


# --- Escaping ------------------------------------------------------------------------------------


def test_html_in_a_materials_text_is_shown_as_text_not_run(client):
    MaterialVersionFactory(
        material__title="Vorlage <b>fett</b>",
        material__summary="Vorlage",
        material__audience=Material.Audience.PUBLIC,
        extracted_text="Vorher <script>alert('x')</script> Aushang nachher <mark>echt</mark>",
    )
    html = client.get(SEARCH, {"q": "Aushang"}).content.decode()
    assert "<script>alert" not in html
    # Escaped (SQLite's snippet) or dropped as a tag (ts_headline): never markup.
    assert "alert(&#x27;x&#x27;)" in html
    assert "<mark>Aushang</mark>" in html
    assert "<mark>echt" not in html
    assert "Vorlage &lt;b&gt;fett&lt;/b&gt;" in html


def test_the_python_snippet_maps_folded_hits_back_to_the_original_text():
    text = "Für das erweiterte Fuehrungszeugnis & die Straße: siehe Führungszeugnisse <i>."
    html = snippet(text, ["fuhrungszeugnis", "strasse"])
    assert "<mark>Fuehrungszeugnis</mark>" in html
    assert "<mark>Straße</mark>" in html
    assert "<mark>Führungszeugnis</mark>se" in html
    assert "&amp;" in html and "&lt;i&gt;" in html


# --- Queries -------------------------------------------------------------------------------------


def search_queries(client, django_assert_max_num_queries, q):
    with django_assert_max_num_queries(11) as context:
        response = client.get(SEARCH, {"q": q, "sprache": "de"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_needs_as_many_queries_for_3_matches_as_for_30(
    client, coordinator, django_assert_max_num_queries
):
    for number in range(3):
        material = MaterialVersionFactory(
            material__title=f"Hausordnung {number}", extracted_text="Hausordnung Text"
        ).material
        MaterialLanguage.objects.create(material=material, language="de")
    few = search_queries(client, django_assert_max_num_queries, "hausordnung")
    for number in range(3, 30):
        material = MaterialVersionFactory(
            material__title=f"Hausordnung {number}", extracted_text="Hausordnung Text"
        ).material
        MaterialLanguage.objects.create(material=material, language="de")
    many = search_queries(client, django_assert_max_num_queries, "hausordnung")
    assert few == many


def test_the_english_page_speaks_english(client, guide):
    response = client.get(SEARCH, {"q": "fuhrungszeugnis"}, headers={"accept-language": "en"})
    html = response.content.decode()
    assert "1 result" in html
    assert "Sort by:" in html


def test_a_query_matching_more_than_the_limit_counts_the_newest_and_says_so(client, monkeypatch):
    from bfe.materials import selectors_search

    monkeypatch.setattr(selectors_search, "CANDIDATE_LIMIT", 3)
    public = Material.Audience.PUBLIC
    materials = [
        MaterialFactory(
            title=f"Sprachcafé {n}", audience=public, published_on=datetime.date(2026, 1, n + 1)
        )
        for n in range(5)
    ]
    response = client.get("/materialien/suche/", {"q": "sprachcafe"})
    results = response.context["results"]
    assert results.capped and results.total == 3
    shown = {material.pk for material in results.page.object_list}
    assert shown == {material.pk for material in materials[2:]}
    assert "Mehr als 3 Treffer" in response.content.decode()
