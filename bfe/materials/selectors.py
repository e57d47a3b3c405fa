"""Reads of the materials library, for its own pages and for other apps (events' series page,
reports later). Every function runs a fixed number of queries, whatever the amount of data."""

import datetime

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone

from bfe.core import fragments

from .models import (
    Category,
    Collection,
    CollectionItem,
    DownloadMonth,
    Material,
    sees_internal_materials,
)

FEATURED_ITEMS = 4
RECENT = 10


SEARCH_FIELDS = ("tags_text", "file_text", "search_terms", "search_text", "search_vector")


def material_list(queryset):
    """What a list of materials shows: category, tags, languages, in one query each; the
    search fields (the whole text of the files) stay in the database."""
    return (
        queryset.select_related("category")
        .defer(*SEARCH_FIELDS)
        .prefetch_related("tags", "languages")
    )


def collections_for_training_level(level):
    """The collections linked to a training series level ("basis", "aufbau"), in their order.
    Names and links only: what is in them is scoped to the viewer on the collection's page."""
    if not level:
        return []
    return list(Collection.objects.filter(training_level=level).order_by("position", "name"))


def material_counts_by_category(user, *, categories=None):
    """Every category with `material_count`: the materials `user` may see in it. The counts
    read the whole library, so they are cached per audience until the library changes."""
    sees_internal = sees_internal_materials(user)
    counts = fragments.cached(
        "materials.category_counts",
        lambda: dict(
            Material.objects.visible_to(user)
            .order_by()
            .values_list("category_id")
            .annotate(n=Count("pk"))
        ),
        apps=("materials",),
        vary=("internal" if sees_internal else "public",),
    )
    queryset = categories if categories is not None else Category.objects.all()
    result = list(queryset.order_by("position", "name"))
    for category in result:
        category.material_count = counts.get(category.pk, 0)
    return result


def recent_materials(user, limit=RECENT):
    return list(
        material_list(Material.objects.visible_to(user)).order_by("-created_at", "-pk")[:limit]
    )


def _visible_items(user):
    return CollectionItem.objects.filter(
        material__in=Material.objects.visible_to(user)
    ).select_related("material__category")


def featured_collections(user, per_collection=FEATURED_ITEMS):
    """Featured collections with `first_materials`: the first few the viewer may see. Two
    queries; collections are few, their items are cut in Python."""
    collections = list(
        Collection.objects.filter(is_featured=True)
        .order_by("position", "name")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=_visible_items(user).order_by("position", "pk"),
                to_attr="visible_items",
            )
        )
    )
    for collection in collections:
        collection.first_materials = [
            item.material for item in collection.visible_items[:per_collection]
        ]
        collection.more_count = max(0, len(collection.visible_items) - per_collection)
    return collections


def collection_materials(user, collection):
    """The collection's materials the viewer may see, in the collection's order."""
    return list(
        material_list(Material.objects.visible_to(user))
        .filter(collection_items__collection=collection)
        .order_by("collection_items__position", "collection_items__pk")
    )


def material_for_detail(queryset, pk):
    return (
        material_list(queryset)
        .select_related("current_version", "created_by", "event_document")
        .get(pk=pk)
    )


def collections_of(user, material):
    """Collections the material is in (all of them are public lists)."""
    return list(Collection.objects.filter(items__material=material).order_by("position", "name"))


def versions_of(material):
    return list(material.versions.select_related("uploaded_by").order_by("-number"))


def last_months(today=None, count=12):
    """The first days of the last `count` months, newest first."""
    month = (today or timezone.localdate()).replace(day=1)
    months = []
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def downloads_by_month(material, today=None):
    """(month, count) for the last 12 months, newest first, months without downloads as 0."""
    months = last_months(today)
    counts = dict(
        DownloadMonth.objects.filter(material=material, month__gte=months[-1]).values_list(
            "month", "count"
        )
    )
    return [(month, counts.get(month, 0)) for month in months]


def is_due_for_review(material, today=None):
    """As `MaterialQuerySet.due_for_review`, for one material already loaded."""
    if material.status != Material.Status.PUBLISHED:
        return False
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.MATERIAL_REVIEW_AFTER_DAYS)
    checked = material.reviewed_on or timezone.localdate(material.created_at)
    return checked < cutoff
