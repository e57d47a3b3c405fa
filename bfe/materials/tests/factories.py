"""Factories of the materials library, shared by its parts' tests."""

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from bfe.accounts.tests.factories import UserFactory
from bfe.materials.models import (
    Category,
    Collection,
    CollectionItem,
    Material,
    MaterialVersion,
    Suggestion,
    Tag,
)
from bfe.materials.services import indexing


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"kategorie-{n}")
    name = factory.Sequence(lambda n: f"Kategorie {n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Schlagwort {n}")
    slug = factory.Sequence(lambda n: f"schlagwort-{n}")


class MaterialFactory(DjangoModelFactory):
    """A published link for coordinators and staff, indexed for search. Pass `tags=[…]` with
    names; `audience=Material.Audience.PUBLIC` for a public one."""

    class Meta:
        model = Material
        skip_postgeneration_save = True

    kind = Material.Kind.LINK
    title = factory.Sequence(lambda n: f"Arbeitshilfe {n}")
    summary = "Eine Arbeitshilfe für Ehrenamtskoordinator:innen."
    category = factory.SubFactory(CategoryFactory)
    url = "https://example.org/arbeitshilfe"
    file_type = "LINK"
    audience = Material.Audience.INTERNAL

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if create and names:
            self.tags.set(
                [TagFactory(name=name, slug=name.lower().replace(" ", "-")) for name in names]
            )

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create:
            indexing.reindex([self.pk])
            self.refresh_from_db()


class MaterialVersionFactory(DjangoModelFactory):
    """A text file version whose text was read; made the material's current file."""

    class Meta:
        model = MaterialVersion
        skip_postgeneration_save = True

    material = factory.SubFactory(MaterialFactory, kind=Material.Kind.FILE, url="", file_type="TXT")
    number = factory.Sequence(lambda n: n + 1)
    file = factory.LazyAttribute(lambda o: ContentFile(o.extracted_text.encode(), name="text.txt"))
    file_name = "text.txt"
    file_type = "TXT"
    content_type = "text/plain"
    size = factory.LazyAttribute(lambda o: len(o.extracted_text.encode()))
    extracted_text = "Ein Text in der Datei."
    extraction_status = MaterialVersion.Extraction.DONE

    @factory.post_generation
    def current(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Material.objects.filter(pk=self.material_id).update(
                current_version=self, file_type=self.file_type
            )
            indexing.reindex([self.material_id])
            self.material.refresh_from_db()


class CollectionFactory(DjangoModelFactory):
    class Meta:
        model = Collection

    slug = factory.Sequence(lambda n: f"sammlung-{n}")
    name = factory.Sequence(lambda n: f"Sammlung {n}")


class CollectionItemFactory(DjangoModelFactory):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    material = factory.SubFactory(MaterialFactory)


class SuggestionFactory(DjangoModelFactory):
    class Meta:
        model = Suggestion

    title = "Neue Arbeitshilfe"
    message = "Das wäre hilfreich für neue Kolleg:innen."
    suggested_by = factory.SubFactory(UserFactory)
