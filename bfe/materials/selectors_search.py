"""The library's search engine: one entry point, `search(user, …)`, for both databases.

Everything starts from `Material.objects.visible_to(user)`, so facets, counts and snippets never
see a material the person may not open. PostgreSQL: German full text on the stored vector OR
trigram word similarity on the folded title and tags (typos, missing umlauts), both indexed;
snippets by ts_headline for the rows of one page only. SQLite: every folded word must occur in
the folded text; snippets are cut in Python.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Category, Material, MaterialLanguage
from .services.indexing import fold

PAGE_SIZE = 20
# A query matching most of a national library ("Ehrenamt") would make every facet and the ranking
# read tens of thousands of stored vectors. Facets and ranking work on the newest matches up to
# this many (an index scan by date that stops early); more are reported as "more than".
CANDIDATE_LIMIT = 300
MAX_QUERY_LENGTH = 200
SORT_RELEVANCE = "relevanz"
SORT_DATE = "datum"
# Enough text for a snippet; ts_headline parses all it gets, and 20 rows of 200 kB would be slow.
HEADLINE_TEXT = 30_000
SNIPPET_WIDTH = 220
# Private-use characters as highlight markers: the text is escaped first, then they become
# <mark>, so nothing from a material's text is ever trusted as HTML.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+")


def query_words(q):
    """The folded words of a query; punctuation alone gives none."""
    return _WORD.findall(fold(q))


@dataclass
class Filters:
    q: str = ""
    category: object = None  # a Category
    language: str = ""
    audience: str = ""
    file_type: str = ""
    sort: str = ""

    @property
    def words(self):
        return query_words(self.q)

    @property
    def ordering(self):
        if self.sort == SORT_DATE or not self.words:
            return SORT_DATE
        return SORT_RELEVANCE


class KnownCountPaginator(Paginator):
    """A paginator told its count (the sum of the category facet), so it needs no COUNT query."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@dataclass
class Facet:
    key: str  # the GET parameter
    values: list = field(default_factory=list)  # (value, label, count), most first


@dataclass
class Results:
    filters: Filters
    total: int
    facets: list
    page: object
    capped: bool = False  # more matches than CANDIDATE_LIMIT: total and facets count the newest


def _newest_first(materials):
    return materials.order_by(F("published_on").desc(nulls_last=True), "-pk")


def matched(user, filters, *, similar=False):
    """The visible materials that match the query and filters (unordered, not annotated). On
    PostgreSQL the words are matched by German full text, or with `similar` by trigram
    similarity of title and tags (typos, "ue" for "ü"): the full-text match is cheap by row,
    the similarity is not, so search asks for it only when full text finds nothing."""
    materials = Material.objects.visible_to(user)
    words = filters.words
    if words:
        if connection.vendor == "postgresql" and similar:
            materials = materials.filter(search_terms__trigram_word_similar=" ".join(words))
        elif connection.vendor == "postgresql":
            materials = materials.filter(search_vector=_ts_query(filters.q))
        else:
            for word in words:
                materials = materials.filter(search_text__contains=word)
    if filters.category is not None:
        materials = materials.filter(category=filters.category)
    if filters.language:
        materials = materials.filter(languages__language=filters.language)
    if filters.audience:
        materials = materials.filter(audience=filters.audience)
    if filters.file_type:
        materials = materials.filter(file_type=filters.file_type)
    return materials


def _ts_query(q):
    return SearchQuery(q, config="german", search_type="websearch")


def ordered(materials, filters):
    if filters.ordering == SORT_DATE:
        return _newest_first(materials)
    words = filters.words
    if connection.vendor == "postgresql":
        rank = SearchRank(F("search_vector"), _ts_query(filters.q)) + TrigramWordSimilarity(
            " ".join(words), "search_terms"
        )
        return materials.annotate(rank=rank).order_by(
            "-rank", F("published_on").desc(nulls_last=True), "-pk"
        )
    title_hit = Q()
    for word in words:
        title_hit &= Q(search_terms__contains=word)
    return materials.annotate(
        title_hit=Case(
            When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-title_hit", F("published_on").desc(nulls_last=True), "-pk")


def facets(candidates, *, with_audience):
    """Counts per category, language, type (and audience) of the candidates, rows of
    (pk, category_id, file_type, audience): counted here, plus one query for the category names
    and one for the languages. Returns (facets, total); the category counts add up to the total."""
    english = _english()
    by_category = Counter(row[1] for row in candidates)
    categories = Category.objects.filter(pk__in=by_category).values_list(
        "pk", "slug", "name", "name_en", "position"
    )
    category_rows = sorted(
        (
            (by_category[pk], position, name, slug, name_en)
            for pk, slug, name, name_en, position in categories
        ),
        key=lambda row: (-row[0], row[1], row[2]),
    )
    result = [
        Facet(
            "kategorie",
            [
                (slug, (name_en if english else "") or name, count)
                for count, _position, name, slug, name_en in category_rows
            ],
        )
    ]
    languages = dict(MaterialLanguage._meta.get_field("language").flatchoices)
    rows = (
        MaterialLanguage.objects.filter(material_id__in=[row[0] for row in candidates])
        .values("language")
        .annotate(n=Count("material_id"))
        .order_by("-n", "language")
    )
    result.append(
        Facet(
            "sprache",
            [(r["language"], languages.get(r["language"], r["language"]), r["n"]) for r in rows],
        )
    )
    by_type = Counter(row[2] for row in candidates if row[2])
    result.append(
        Facet(
            "typ",
            [
                (value, value, n)
                for value, n in sorted(by_type.items(), key=lambda i: (-i[1], i[0]))
            ],
        )
    )
    if with_audience:
        labels = dict(Material.Audience.choices)
        by_audience = Counter(row[3] for row in candidates)
        result.append(
            Facet(
                "zielgruppe",
                [(value, labels[value], by_audience[value]) for value in sorted(by_audience)],
            )
        )
    return result, sum(by_category.values())


def _english():
    from django.utils.translation import get_language

    return (get_language() or "de").startswith("en")


# The columns a result row shows; the big text fields stay in the database.
LIST_FIELDS = [
    "pk",
    "kind",
    "title",
    "summary",
    "audience",
    "file_type",
    "published_on",
    "url",
    "category__slug",
    "category__name",
    "category__name_en",
]


def _candidates(materials):
    return list(
        _newest_first(materials).values_list("pk", "category_id", "file_type", "audience")[
            : CANDIDATE_LIMIT + 1
        ]
    )


def search(user, filters, *, page_number=None, with_audience=False):
    """One page of the materials `user` may see that match `filters`, with facets. At most
    CANDIDATE_LIMIT matches (the newest) are counted, faceted and ranked; `capped` says so."""
    # Read once, then every facet and the ranking look rows up by primary key.
    candidates = _candidates(matched(user, filters))
    if not candidates and filters.words and connection.vendor == "postgresql":
        candidates = _candidates(matched(user, filters, similar=True))
    # The one row past the limit only tells that there are more; it is not shown.
    capped = len(candidates) > CANDIDATE_LIMIT
    candidates = candidates[:CANDIDATE_LIMIT]
    materials = Material.objects.filter(pk__in=[row[0] for row in candidates])
    facet_list, total = facets(candidates, with_audience=with_audience)
    rows = (
        ordered(materials, filters)
        .select_related("category")
        .only(*LIST_FIELDS)
        .prefetch_related("languages")
    )
    page = KnownCountPaginator(rows, PAGE_SIZE, total).get_page(page_number)
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    _add_snippets(list(page.object_list), filters)
    return Results(filters=filters, total=total, facets=facet_list, page=page, capped=capped)


def _add_snippets(materials, filters):
    """`material.snippet`: safe HTML with the query's words in <mark>, for one page's rows."""
    for material in materials:
        material.snippet = ""
    if not materials or not filters.words:
        return
    if connection.vendor == "postgresql":
        headlines = dict(
            Material.objects.filter(pk__in=[m.pk for m in materials])
            .annotate(
                headline=SearchHeadline(
                    Concat("summary", Value(" "), Left("file_text", HEADLINE_TEXT)),
                    _ts_query(filters.q),
                    config="german",
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_fragments=2,
                    min_words=8,
                    max_words=25,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "headline")
        )
        for material in materials:
            headline = headlines.get(material.pk) or ""
            # Only a headline that found a word is a snippet; otherwise the summary shows.
            material.snippet = marked(headline) if _START in headline else ""
        return
    full_text = dict(
        Material.objects.filter(pk__in=[m.pk for m in materials]).values_list("pk", "file_text")
    )
    for material in materials:
        material.snippet = snippet(
            f"{material.summary} {full_text.get(material.pk, '')}", filters.words
        )


def marked(headline):
    """Escapes a headline and turns its markers into <mark>; any stray marker goes."""
    text = escape(headline)
    text = text.replace(_START, "<mark>", text.count(_STOP)).replace(_STOP, "</mark>")
    return mark_safe(text.replace(_START, ""))  # noqa: S308 - escaped just above


def _folded_with_positions(text):
    """The text folded as `fold` does, with the index in `text` of every folded character."""
    chars, positions = [], []
    for index, char in enumerate(text):
        for folded in fold(char) or (" " if char.isspace() else ""):
            chars.append(folded)
            positions.append(index)
    # "ae"/"oe"/"ue" after a letter read as the plain vowel, as in fold().
    out_chars, out_positions, i = [], [], 0
    while i < len(chars):
        if (
            i > 0
            and i + 1 < len(chars)
            and chars[i] in "aou"
            and chars[i + 1] == "e"
            and "a" <= chars[i - 1] <= "z"
        ):
            out_chars.append(chars[i])
            out_positions.append(positions[i])
            i += 2
            continue
        out_chars.append(chars[i])
        out_positions.append(positions[i])
        i += 1
    return "".join(out_chars), out_positions


def snippet(text, words, width=SNIPPET_WIDTH):
    """A piece of `text` around the first hit of any of the words, escaped, hits in <mark>."""
    if not text or not words:
        return ""
    folded, positions = _folded_with_positions(text)
    hits = sorted(
        (match.start(), match.end())
        for word in set(words)
        for match in re.finditer(re.escape(word), folded)
    )
    if not hits:
        return ""
    first = positions[hits[0][0]]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    # Whole words at the edges.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    spans = []
    for hit_start, hit_end in hits:
        a, b = positions[hit_start], positions[hit_end - 1] + 1
        if a >= start and b <= end and (not spans or a >= spans[-1][1]):
            spans.append((a, b))
    parts, cursor = [], start
    for a, b in spans:
        parts.append(escape(text[cursor:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts).strip() + suffix)  # noqa: S308 - parts escaped
