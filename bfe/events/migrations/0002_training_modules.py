"""The curricula of the two levels; the Basis series has had these eight modules since 2017."""

from django.db import migrations

MODULES = {
    "basis": [
        ("Systeme des Freiwilligenmanagements", "Systems of volunteer management"),
        ("Voraussetzungen für Engagement", "Prerequisites for volunteering"),
        ("Gewinnung", "Recruiting volunteers"),
        ("Selbstverständnis", "Professional self-image"),
        ("Stellung in der Organisation", "Position within the organisation"),
        ("Anerkennungskultur", "Culture of recognition"),
        ("Resilienz", "Resilience"),
        (
            "Angebote, Bedürfnisse und Beteiligung von Geflüchteten",
            "Offers, needs and participation of refugees",
        ),
    ],
    "aufbau": [
        ("Strategisches Freiwilligenmanagement", "Strategic volunteer management"),
        ("Konflikte moderieren", "Moderating conflicts"),
        ("Netzwerkarbeit im Sozialraum", "Networking in the neighbourhood"),
        ("Partizipation von Bewohner:innen", "Participation of residents"),
        ("Öffentlichkeitsarbeit", "Public relations"),
        ("Projektentwicklung und Fördermittel", "Project development and funding"),
    ],
}


def create(apps, schema_editor):
    TrainingModule = apps.get_model("events", "TrainingModule")
    for level, modules in MODULES.items():
        for number, (title, title_en) in enumerate(modules, start=1):
            TrainingModule.objects.get_or_create(
                level=level, number=number, defaults={"title": title, "title_en": title_en}
            )


def remove(apps, schema_editor):
    apps.get_model("events", "TrainingModule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
