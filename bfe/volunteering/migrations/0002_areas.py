from django.db import migrations

# (slug, German, English, infection briefing, work with children)
AREAS = [
    ("kinderbetreuung", "Kinderbetreuung", "Childcare", False, True),
    ("hausaufgabenhilfe", "Hausaufgabenhilfe", "Homework help", False, True),
    ("sprachcafe", "Sprachcafé / Deutsch üben", "Language café / practising German", False, False),
    ("begleitung", "Begleitung zu Ämtern und Ärzt:innen", "Accompanying to offices and doctors", False, False),
    ("dolmetschen", "Dolmetschen", "Interpreting", False, False),
    ("sport", "Sport", "Sports", False, False),
    ("freizeit", "Freizeit und Ausflüge", "Leisure and outings", False, False),
    ("handwerk", "Handwerk / Fahrradwerkstatt", "Crafts / bicycle workshop", False, False),
    ("garten", "Garten", "Gardening", False, False),
    ("kleiderkammer", "Kleiderkammer", "Clothing store", False, False),
    ("kochen", "Kochen und Essen", "Cooking and food", True, False),
    ("sonstiges", "Sonstiges", "Other", False, False),
]


def add_areas(apps, schema_editor):
    Area = apps.get_model("volunteering", "Area")
    for position, (slug, name, name_en, infection, children) in enumerate(AREAS):
        Area.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "position": position,
                "needs_infection_briefing": infection,
                "works_with_children": children,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
