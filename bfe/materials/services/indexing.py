"""The search fields of a material, kept current by every service that changes what search reads.

`fold` makes text comparable the way people type it: lower case, without accents, "ß" as "ss",
and "ae"/"oe"/"ue" read as the plain vowel, so that "Führungszeugnis", "fuhrungszeugnis" and
"fuehrungszeugnis" are the same word. Query and stored text go through the same function.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from bfe.core import fragments

from ..models import Material

# Enough file text for search and snippets; a 500-page PDF does not need to be one row of 50 MB.
MAX_FILE_TEXT = 200_000
_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)")
_SPACE = re.compile(r"\s+")


def fold(text):
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACE.sub(" ", _DIGRAPHS.sub(lambda match: match.group(1)[0], text)).strip()


def search_vector():
    """Title A, tags and summary B, file text C, German stemming (PostgreSQL)."""
    return (
        SearchVector("title", weight="A", config="german")
        + SearchVector("tags_text", weight="B", config="german")
        + SearchVector("summary", weight="B", config="german")
        + SearchVector("file_text", weight="C", config="german")
    )


def reindex(material_ids):
    """Rebuild the search fields of these materials from their title, summary, tags and the
    extracted text of their current file. Call it inside the transaction that changed them."""
    materials = (
        Material.objects.filter(pk__in=list(material_ids))
        .select_related("current_version")
        .prefetch_related("tags")
    )
    changed = []
    for material in materials:
        tags = " ".join(tag.name for tag in material.tags.all())
        version = material.current_version
        file_text = (version.extracted_text if version else "")[:MAX_FILE_TEXT]
        material.tags_text = tags
        material.file_text = file_text
        material.search_terms = fold(f"{material.title} {tags}")
        material.search_text = fold(f"{material.title} {tags} {material.summary} {file_text}")
        changed.append(material)
    Material.objects.bulk_update(
        changed, ["tags_text", "file_text", "search_terms", "search_text"], batch_size=500
    )
    if connection.vendor == "postgresql" and changed:
        Material.objects.filter(pk__in=[m.pk for m in changed]).update(
            search_vector=search_vector()
        )
    # Bulk updates send no signals: cached figures of the library (bfe/core/fragments.py) are
    # made stale here, once the change is visible to other requests.
    transaction.on_commit(lambda: fragments.bump("materials"))
    return len(changed)
