"""The library's eight shelves, as the issue names them; data, editable by staff afterwards."""

from django.db import migrations

CATEGORIES = [
    ("freiwilligenmanagement", "Freiwilligenmanagement", "Volunteer management"),
    ("recht-und-versicherung", "Recht und Versicherung", "Law and insurance"),
    ("datenschutz", "Datenschutz", "Data protection"),
    ("sozialraum-und-nachbarschaft", "Sozialraum und Nachbarschaft", "Community and neighbourhood"),
    ("methoden", "Methoden", "Methods"),
    ("vorlagen", "Vorlagen", "Templates"),
    ("mehrsprachiges", "Mehrsprachiges", "Multilingual"),
    ("foerderung", "Förderung", "Funding"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("materials", "Category")
    for position, (slug, name, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def remove_categories(apps, schema_editor):
    Category = apps.get_model("materials", "Category")
    Category.objects.filter(slug__in=[c[0] for c in CATEGORIES], materials__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("materials", "0002_search_indexes")]

    operations = [migrations.RunPython(add_categories, remove_categories)]
