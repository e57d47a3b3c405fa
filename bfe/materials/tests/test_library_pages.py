"""The library's front page, a material's page and a collection's page: what each role sees,
and that each needs a fixed number of queries."""

# The fixtures are imported by name (see factories_library); pytest passes them as arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from bfe.materials import selectors
from bfe.materials.models import Category, DownloadMonth, Material

from .factories import (
    CollectionFactory,
    CollectionItemFactory,
    MaterialFactory,
    MaterialVersionFactory,
)
from .factories_library import (  # noqa: F401
    category,
    coordinator,
    library_defaults,
    partner,
    regional,
    staff,
    volunteer,
)

pytestmark = pytest.mark.django_db
PUBLIC = Material.Audience.PUBLIC
INDEX = "/materialien/"


def test_the_eight_categories_of_the_issue_exist_with_english_names():
    categories = list(Category.objects.order_by("position"))
    assert [c.name for c in categories] == [
        "Freiwilligenmanagement",
        "Recht und Versicherung",
        "Datenschutz",
        "Sozialraum und Nachbarschaft",
        "Methoden",
        "Vorlagen",
        "Mehrsprachiges",
        "Förderung",
    ]
    assert all(c.name_en for c in categories)
    shown = selectors.material_counts_by_category(AnonymousUser())
    assert [c.name for c in shown] == [c.name for c in categories]


def test_an_empty_library_says_so_to_the_public(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Noch keine Materialien" in response.content.decode()


def test_staff_see_an_empty_library_with_the_way_to_the_first_material(client, staff):
    client.force_login(staff)
    page = client.get(INDEX).content.decode()
    assert reverse("materials:create") in page
    assert reverse("materials:collection_list") in page


def test_the_front_page_counts_only_what_the_visitor_may_see(client, coordinator, category):
    MaterialFactory(title="Öffentliche Hilfe", audience=PUBLIC, category=category)
    MaterialFactory(title="Interne Checkliste", category=category)
    MaterialFactory(title="Archiviert", audience=PUBLIC, category=category, status="archived")

    anonymous = client.get(INDEX)
    assert [c.material_count for c in anonymous.context["categories"] if c == category] == [1]
    page = anonymous.content.decode()
    assert "Öffentliche Hilfe" in page
    assert "Interne Checkliste" not in page and "Archiviert" not in page
    assert "Neues Material" not in page

    client.force_login(coordinator)
    signed_in = client.get(INDEX)
    assert [c.material_count for c in signed_in.context["categories"] if c == category] == [2]
    assert "Interne Checkliste" in signed_in.content.decode()


def test_featured_collections_show_their_first_visible_materials(client):
    collection = CollectionFactory(name="Erste Schritte als EAK", is_featured=True)
    hidden = CollectionFactory(name="Nicht auf der Startseite", is_featured=False)
    for n in range(6):
        CollectionItemFactory(
            collection=collection,
            material=MaterialFactory(title=f"Schritt {n}", audience=PUBLIC),
            position=n,
        )
    CollectionItemFactory(collection=collection, material=MaterialFactory(title="Intern"))
    CollectionItemFactory(collection=hidden, material=MaterialFactory(audience=PUBLIC))

    page = client.get(INDEX).content.decode()
    assert "Erste Schritte als EAK" in page and "Nicht auf der Startseite" not in page
    assert "Schritt 3" in page and "Schritt 4" not in page.split("Kategorien")[0]
    assert "und 2 weitere" in page
    assert "Intern" not in page.split("Kategorien")[0]


def test_the_front_page_needs_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            material = MaterialFactory(tags=[f"Tag {i}", "Ehrenamt"], audience=PUBLIC)
            material.languages.create(language="de")
            collection = CollectionFactory()
            CollectionItemFactory(collection=collection, material=material)

    add(2)
    client.force_login(staff)
    client.get(INDEX)
    with django_assert_max_num_queries(12) as few:
        client.get(INDEX)
    fixed = len(few.captured_queries)
    add(8)
    client.get(INDEX)  # the category counts are computed once after a change, then cached
    with django_assert_max_num_queries(fixed):
        client.get(INDEX)


# --- A material ----------------------------------------------------------------------------------


def test_a_public_material_shows_its_facts_to_anyone(client, category):
    material = MaterialFactory(
        title="Leitfaden Führungszeugnis",
        audience=PUBLIC,
        category=category,
        tags=["Führungszeugnis"],
        source="BfE",
        licence="CC BY 4.0",
        published_on=datetime.date(2026, 3, 1),
    )
    material.languages.create(language="ar")
    page = client.get(material.get_absolute_url()).content.decode()
    for text in [
        "Leitfaden Führungszeugnis",
        "Datenschutz",
        "Führungszeugnis",
        "Arabisch",
        "CC BY 4.0",
    ]:
        assert text in page
    assert 'rel="noopener"' in page
    assert "Versionen" not in page


@pytest.mark.parametrize("who", ["anonymous", "volunteer", "partner"])
def test_an_internal_material_is_not_found_by_anyone_but_coordinators_and_staff(
    client, who, volunteer, partner
):
    material = MaterialFactory(title="Geheime Interna")
    if who != "anonymous":
        client.force_login({"volunteer": volunteer, "partner": partner}[who])
    for url in [material.get_absolute_url(), reverse("materials:download", args=[material.pk])]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Geheime Interna" not in response.content.decode()


def test_coordinators_and_staff_read_internal_materials(client, coordinator, regional):
    material = MaterialFactory(title="Interne Checkliste")
    for person in (coordinator, regional):
        client.force_login(person)
        assert client.get(material.get_absolute_url()).status_code == 200


def test_an_archived_material_is_gone_for_coordinators_but_not_for_staff(
    client, coordinator, staff
):
    material = MaterialFactory(status=Material.Status.ARCHIVED)
    client.force_login(coordinator)
    assert client.get(material.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert "archiviert" in client.get(material.get_absolute_url()).content.decode()


def test_staff_see_versions_downloads_per_month_and_the_review_reminder(client, staff):
    version = MaterialVersionFactory(
        number=1, material__reviewed_on=datetime.date(2020, 1, 1), note="Erste Fassung"
    )
    material = version.material
    MaterialVersionFactory(
        material=material,
        number=2,
        extraction_status="failed",
        extraction_error="Die Datei ist verschlüsselt.",
    )
    month = timezone.localdate().replace(day=1)
    DownloadMonth.objects.create(material=material, month=month, count=7)
    client.force_login(staff)
    response = client.get(material.get_absolute_url())
    page = response.content.decode()
    assert "Prüfung fällig" in page
    assert "Erste Fassung" in page and "Die Datei ist verschlüsselt." in page
    assert reverse("materials:version_download", args=[material.pk, 1]) in page
    assert response.context["downloads"][0] == (month, 7)
    assert len(response.context["downloads"]) == 12


def test_coordinators_see_neither_versions_nor_counts(client, coordinator):
    material = MaterialVersionFactory(number=1).material
    client.force_login(coordinator)
    page = client.get(material.get_absolute_url()).content.decode()
    assert "Versionen" not in page and "Prüfung fällig" not in page
    assert reverse("materials:edit", args=[material.pk]) not in page


def test_a_material_page_needs_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    material = MaterialVersionFactory(number=1).material
    client.force_login(staff)
    client.get(material.get_absolute_url())
    with django_assert_max_num_queries(14) as few:
        client.get(material.get_absolute_url())
    for n in range(2, 7):
        MaterialVersionFactory(material=material, number=n)
        CollectionItemFactory(material=material)
        material.tags.create(name=f"Tag {n}", slug=f"tag-{n}")
        DownloadMonth.objects.create(
            material=material,
            month=(timezone.localdate() - datetime.timedelta(days=31 * n)).replace(day=1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(material.get_absolute_url())


def test_a_material_page_reads_in_english(client, category):
    material = MaterialFactory(audience=PUBLIC, category=category)
    with translation.override("en"):
        response = client.get(material.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Data protection" in page
    assert "Open link" in page


# --- A collection --------------------------------------------------------------------------------


def test_a_collection_shows_only_what_the_visitor_may_see_in_its_order(client, coordinator):
    collection = CollectionFactory(name="Datenschutz-Paket")
    CollectionItemFactory(
        collection=collection,
        material=MaterialFactory(title="Zweitens", audience=PUBLIC),
        position=2,
    )
    CollectionItemFactory(
        collection=collection,
        material=MaterialFactory(title="Erstens", audience=PUBLIC),
        position=1,
    )
    CollectionItemFactory(
        collection=collection, material=MaterialFactory(title="Nur intern"), position=0
    )

    anonymous = client.get(collection.get_absolute_url())
    assert [m.title for m in anonymous.context["materials"]] == ["Erstens", "Zweitens"]
    assert "Nur intern" not in anonymous.content.decode()
    client.force_login(coordinator)
    titles = [m.title for m in client.get(collection.get_absolute_url()).context["materials"]]
    assert titles == ["Nur intern", "Erstens", "Zweitens"]


def test_an_empty_collection_says_so(client):
    collection = CollectionFactory()
    CollectionItemFactory(collection=collection, material=MaterialFactory())
    assert "noch leer" in client.get(collection.get_absolute_url()).content.decode()


def test_a_collection_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    collection = CollectionFactory()
    CollectionItemFactory(
        collection=collection, material=MaterialFactory(audience=PUBLIC, tags=["A"])
    )
    client.get(collection.get_absolute_url())
    with django_assert_max_num_queries(8) as few:
        client.get(collection.get_absolute_url())
    for n in range(10):
        CollectionItemFactory(
            collection=collection, material=MaterialFactory(audience=PUBLIC, tags=[f"T{n}"])
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(collection.get_absolute_url())
