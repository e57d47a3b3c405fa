"""Search's candidates are the newest matches, read in this order until enough are found
(selectors_search.CANDIDATE_LIMIT); on PostgreSQL an index gives that order. SQLite's index
syntax has no NULLS LAST, and the embedded default does not hold a national library."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS material_newest_first ON materials_material "
    "(status, published_on DESC NULLS LAST, id DESC)"
)
BACKWARD = "DROP INDEX IF EXISTS material_newest_first"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("materials", "0003_categories")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
