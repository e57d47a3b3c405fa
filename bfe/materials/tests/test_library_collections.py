"""Staff build collections (create, edit, add, reorder, remove); a training series links the
collections of its level."""

# The fixtures are imported by name (see factories_library); pytest passes them as arguments.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from bfe.materials import selectors
from bfe.materials.models import Collection, Material

from .factories import CollectionFactory, CollectionItemFactory, MaterialFactory
from .factories_library import coordinator, library_defaults, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def collection_data(**changes):
    return {
        "name": "Erste Schritte als EAK",
        "name_en": "First steps",
        "summary": "Was neue Koordinator:innen zuerst brauchen.",
        "summary_en": "",
        "is_featured": "on",
        "training_level": "basis",
        "position": "1",
        **changes,
    }


def titles(collection):
    return list(collection.items.order_by("position").values_list("material__title", flat=True))


def test_staff_create_a_collection_and_fill_it(client, staff):
    client.force_login(staff)
    response = client.post(reverse("materials:collection_create"), collection_data())
    collection = Collection.objects.get()
    assert collection.slug == "erste-schritte-als-eak" and collection.training_level == "basis"
    assert response["Location"] == reverse("materials:collection_edit", args=[collection.slug])

    first, second = MaterialFactory(title="Eins"), MaterialFactory(title="Zwei")
    add = reverse("materials:collection_add", args=[collection.slug])
    client.post(add, {"material": first.pk})
    client.post(add, {"material": second.pk})
    client.post(add, {"material": first.pk})  # twice changes nothing
    assert titles(collection) == ["Eins", "Zwei"]


def test_adding_an_unknown_or_archived_material_says_so(client, staff):
    collection = CollectionFactory()
    archived = MaterialFactory(status=Material.Status.ARCHIVED)
    client.force_login(staff)
    for value in ("999999", str(archived.pk), "abc"):
        response = client.post(
            reverse("materials:collection_add", args=[collection.slug]), {"material": value}
        )
        assert response.status_code == 400
        assert response.context["add_form"].errors["material"]
    assert not collection.items.exists()


def test_staff_reorder_and_remove_materials(client, staff):
    collection = CollectionFactory()
    items = [
        CollectionItemFactory(collection=collection, material=MaterialFactory(title=t), position=n)
        for n, t in enumerate(["A", "B", "C"])
    ]
    client.force_login(staff)
    url = lambda item: reverse("materials:collection_item", args=[collection.slug, item.pk])  # noqa: E731
    client.post(url(items[2]), {"up": "1"})
    assert titles(collection) == ["A", "C", "B"]
    client.post(url(items[0]), {"up": "1"})  # already first
    assert titles(collection) == ["A", "C", "B"]
    client.post(url(items[0]), {"down": "1"})
    assert titles(collection) == ["C", "A", "B"]
    client.post(url(items[1]), {"remove": "1"})
    assert titles(collection) == ["C", "A"]
    assert list(collection.items.order_by("position").values_list("position", flat=True)) == [0, 1]


def test_an_edit_keeps_the_slug_so_that_links_keep_working(client, staff):
    collection = CollectionFactory(slug="datenschutz-paket", name="Datenschutz-Paket")
    client.force_login(staff)
    client.post(
        reverse("materials:collection_edit", args=[collection.slug]),
        collection_data(name="Datenschutz kompakt"),
    )
    collection.refresh_from_db()
    assert collection.name == "Datenschutz kompakt" and collection.slug == "datenschutz-paket"


def test_a_collection_called_neu_does_not_hide_the_form_for_new_ones(client, staff):
    client.force_login(staff)
    client.post(reverse("materials:collection_create"), collection_data(name="Neu"))
    assert Collection.objects.get().slug != "neu"


def test_staff_add_a_material_from_its_page(client, staff):
    collection = CollectionFactory(name="Datenschutz-Paket")
    material = MaterialFactory()
    client.force_login(staff)
    page = client.get(material.get_absolute_url()).content.decode()
    assert "Datenschutz-Paket" in page
    response = client.post(
        reverse("materials:collection_add", args=[collection.slug]),
        {"material": material.pk, "next": "material"},
    )
    assert response["Location"] == material.get_absolute_url()
    assert collection.items.filter(material=material).exists()


def test_coordinators_build_no_collections(client, coordinator):
    collection = CollectionFactory()
    item = CollectionItemFactory(collection=collection)
    client.force_login(coordinator)
    for url in [
        reverse("materials:collection_list"),
        reverse("materials:collection_create"),
        reverse("materials:collection_edit", args=[collection.slug]),
        reverse("materials:collection_add", args=[collection.slug]),
        reverse("materials:collection_item", args=[collection.slug, item.pk]),
    ]:
        assert (
            client.post(
                url, {"remove": "1", "material": item.material_id, **collection_data()}
            ).status_code
            == 404
        )
    assert collection.items.count() == 1 and Collection.objects.count() == 1


def test_a_training_series_links_the_collections_of_its_level(client):
    from bfe.events.tests.factories import TrainingSeriesFactory

    CollectionFactory(name="Basis-Materialien", training_level="basis")
    CollectionFactory(name="Aufbau-Materialien", training_level="aufbau")
    series = TrainingSeriesFactory(level="basis", is_published=True)
    page = client.get(series.get_absolute_url()).content.decode()
    assert "Materialien zur Reihe" in page
    assert "Basis-Materialien" in page and "Aufbau-Materialien" not in page
    assert [c.name for c in selectors.collections_for_training_level("basis")] == [
        "Basis-Materialien"
    ]
    assert selectors.collections_for_training_level("") == []
