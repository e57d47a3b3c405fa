"""PostgreSQL's search indexes: the German full-text vector (GIN) and trigrams of the folded
title and tags (pg_trgm, GIN), so that ranking and typo-tolerant matching stay indexed at 50,000
materials. SQLite searches the folded text instead and needs neither."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS materials_material_search_vector_gin "
    "ON materials_material USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS materials_material_search_terms_trgm "
    "ON materials_material USING gin (search_terms gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS materials_material_search_terms_trgm",
    "DROP INDEX IF EXISTS materials_material_search_vector_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
