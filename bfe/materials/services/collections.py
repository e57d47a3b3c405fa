"""Staff's curated lists of materials: create and edit a collection, add, remove and reorder its
materials. Positions are kept dense (0, 1, 2 …) so that moving up or down is one swap."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from bfe.accounts.models import Roles

from ..models import Collection, CollectionItem

FIELDS = ("name", "name_en", "summary", "summary_en", "is_featured", "training_level", "position")


def _check_staff(by):
    if not Roles.of(by).is_bfe_staff:
        raise PermissionDenied


def _unique_slug(name, exclude_pk=None):
    base = slugify(name)[:40] or "sammlung"
    if base == "neu":  # /sammlungen/neu/ is the form for a new one
        base = "neu-sammlung"
    slug, n = base, 1
    taken = Collection.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_collection(*, by, **fields):
    _check_staff(by)
    values = {key: fields[key] for key in FIELDS if key in fields}
    return Collection.objects.create(slug=_unique_slug(values["name"]), **values)


@transaction.atomic
def update_collection(*, collection, by, **fields):
    """Save the fields; the slug stays, so that links to the collection keep working."""
    _check_staff(by)
    for key in FIELDS:
        if key in fields:
            setattr(collection, key, fields[key])
    collection.save()
    return collection


@transaction.atomic
def add_material(*, collection, material, by):
    """Append the material at the end; adding it twice changes nothing."""
    _check_staff(by)
    Collection.objects.select_for_update().filter(pk=collection.pk).first()
    last = collection.items.aggregate(last=Max("position"))["last"]
    item, _ = CollectionItem.objects.get_or_create(
        collection=collection,
        material=material,
        defaults={"position": 0 if last is None else last + 1},
    )
    return item


def _renumber(collection, items):
    for position, item in enumerate(items):
        item.position = position
    CollectionItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def remove_item(*, item, by):
    _check_staff(by)
    collection = item.collection
    item.delete()
    _renumber(collection, list(collection.items.order_by("position", "pk")))


@transaction.atomic
def move_item(*, item, up, by):
    """Swap the item with its neighbour above (`up`) or below; at either end nothing moves."""
    _check_staff(by)
    Collection.objects.select_for_update().filter(pk=item.collection_id).first()
    items = list(
        CollectionItem.objects.filter(collection_id=item.collection_id).order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(item.collection, items)
