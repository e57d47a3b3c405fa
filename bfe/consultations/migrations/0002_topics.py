"""The topic taxonomy BfE starts with; admins add and retire topics afterwards."""

from django.db import migrations

TOPICS = [
    ("gewinnung", "Gewinnung von Freiwilligen", "Recruiting volunteers"),
    ("einarbeitung", "Einarbeitung und Begleitung", "Onboarding and support"),
    ("konflikte", "Konflikte", "Conflicts"),
    ("datenschutz", "Datenschutz", "Data protection"),
    ("fuehrungszeugnis", "Führungszeugnis", "Police clearance certificate"),
    ("versicherung", "Versicherung", "Insurance"),
    ("kooperation-betreiber", "Kooperation mit Betreiber", "Cooperation with the operator"),
    ("sozialraum", "Sozialraum und Nachbarschaft", "Neighbourhood and local community"),
    ("engagement-bewohner", "Engagement von Bewohner:innen", "Engagement of residents"),
    ("projektfinanzierung", "Projektfinanzierung", "Project funding"),
    ("anerkennung", "Anerkennungskultur", "Culture of recognition"),
    ("selbstfuersorge", "Selbstfürsorge", "Self-care"),
]


def create(apps, schema_editor):
    Topic = apps.get_model("consultations", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def remove(apps, schema_editor):
    apps.get_model("consultations", "Topic").objects.filter(
        slug__in=[slug for slug, _, _ in TOPICS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
