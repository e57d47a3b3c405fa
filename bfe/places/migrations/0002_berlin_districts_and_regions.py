"""The 12 Berlin districts with their official numbers, and BfE's three regions since 2019.

Regions are data: admins re-cut them in the admin; this only gives a fresh database Berlin.
"""

import datetime

from django.db import migrations

DISTRICTS = [
    ("01", "Mitte", "mitte", "52.530500", "13.360000"),
    ("02", "Friedrichshain-Kreuzberg", "friedrichshain-kreuzberg", "52.503000", "13.433000"),
    ("03", "Pankow", "pankow", "52.597000", "13.435000"),
    ("04", "Charlottenburg-Wilmersdorf", "charlottenburg-wilmersdorf", "52.500000", "13.283000"),
    ("05", "Spandau", "spandau", "52.535000", "13.197000"),
    ("06", "Steglitz-Zehlendorf", "steglitz-zehlendorf", "52.435000", "13.240000"),
    ("07", "Tempelhof-Schöneberg", "tempelhof-schoeneberg", "52.450000", "13.380000"),
    ("08", "Neukölln", "neukoelln", "52.440000", "13.450000"),
    ("09", "Treptow-Köpenick", "treptow-koepenick", "52.415000", "13.590000"),
    ("10", "Marzahn-Hellersdorf", "marzahn-hellersdorf", "52.530000", "13.590000"),
    ("11", "Lichtenberg", "lichtenberg", "52.530000", "13.500000"),
    ("12", "Reinickendorf", "reinickendorf", "52.600000", "13.290000"),
]

REGIONS = [
    ("Berlin Nord", "nord", "nord@bfe.example", ["01", "03", "11", "12"]),
    ("Berlin West", "west", "west@bfe.example", ["04", "05", "06", "07"]),
    ("Berlin Südost", "suedost", "suedost@bfe.example", ["02", "08", "09", "10"]),
]


def create(apps, schema_editor):
    District = apps.get_model("places", "District")
    Region = apps.get_model("places", "Region")
    by_number = {}
    for number, name, slug, lat, lng in DISTRICTS:
        by_number[number], _ = District.objects.get_or_create(
            number=number,
            defaults={"name": name, "slug": slug, "latitude": lat, "longitude": lng},
        )
    for name, slug, email, numbers in REGIONS:
        region, created = Region.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "contact_email": email,
                "valid_from": datetime.date(2019, 1, 1),
            },
        )
        if created:
            region.districts.set([by_number[n] for n in numbers])


def remove(apps, schema_editor):
    apps.get_model("places", "Region").objects.filter(slug__in=[r[1] for r in REGIONS]).delete()
    apps.get_model("places", "District").objects.filter(
        number__in=[d[0] for d in DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
