"""Staff's changes to the library's materials: create, edit, replace the file, archive, restore,
and the download counter. Every change that touches what search reads reindexes in its own
transaction; every new file is read for search in the background once the change is committed."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from bfe.accounts.models import Roles
from bfe.core.uploads import MATERIAL_TYPES, check_upload

from .. import tasks
from ..models import DownloadMonth, Material, MaterialLanguage, MaterialVersion, Tag
from . import indexing

# Fields of a material the edit form sets directly.
PLAIN_FIELDS = (
    "kind",
    "title",
    "summary",
    "category",
    "audience",
    "source",
    "licence",
    "published_on",
    "reviewed_on",
    "url",
)


def _check_staff(by):
    if not Roles.of(by).is_bfe_staff:
        raise PermissionDenied


def tag_names(text):
    """Comma-separated free text as distinct tag names, in the order typed."""
    names, seen = [], set()
    for raw in str(text or "").split(","):
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:60]
        if name and slug and slug not in seen:
            seen.add(slug)
            names.append(name)
    return names


def _tags(names):
    """Tag rows for these names, created as needed; an existing tag keeps its spelling."""
    slugs = {slugify(name)[:60]: name for name in names}
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    for slug, name in slugs.items():
        if slug not in existing:
            existing[slug], _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
    return list(existing.values())


def _set_languages(material, languages):
    languages = sorted(set(languages or []))
    material.languages.exclude(language__in=languages).delete()
    have = set(material.languages.values_list("language", flat=True))
    MaterialLanguage.objects.bulk_create(
        [
            MaterialLanguage(material=material, language=code)
            for code in languages
            if code not in have
        ]
    )


def _add_version(*, material, upload, note, by):
    """Store the checked file as the material's next version and make it current."""
    checked = check_upload(
        upload, allowed=MATERIAL_TYPES, max_bytes=settings.MATERIAL_MAX_UPLOAD_BYTES
    )
    last = material.versions.order_by("-number").values_list("number", flat=True).first()
    version = MaterialVersion(
        material=material,
        number=(last or 0) + 1,
        file_name=checked.name,
        file_type=checked.file_type.label,
        content_type=checked.file_type.content_type,
        size=checked.size,
        note=(note or "").strip()[:300],
        uploaded_by=by,
    )
    checked.upload.seek(0)
    # A random folder part, so that the path of an internal file cannot be guessed.
    version.file.save(f"{secrets.token_urlsafe(9)}-{checked.name}", checked.upload, save=False)
    try:
        with transaction.atomic():
            version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    material.current_version = version
    material.file_type = version.file_type
    material.url = ""
    material.save(update_fields=["current_version", "file_type", "url", "updated_at"])
    transaction.on_commit(lambda: tasks.extract_version_text.enqueue(version_id=version.pk))
    return version


@transaction.atomic
def create_material(*, by, tags="", languages=(), upload=None, note="", **fields):
    """A new published material: a file (`upload`) or a link (`url`)."""
    _check_staff(by)
    now = timezone.now()
    values = {key: fields[key] for key in PLAIN_FIELDS if key in fields}
    if values.get("kind") == Material.Kind.LINK:
        values["file_type"] = "LINK"
    material = Material.objects.create(created_by=by, created_at=now, updated_at=now, **values)
    material.tags.set(_tags(tag_names(tags)))
    _set_languages(material, languages)
    if values.get("kind") == Material.Kind.FILE and upload is not None:
        _add_version(material=material, upload=upload, note=note, by=by)
    indexing.reindex([material.pk])
    return material


@transaction.atomic
def update_material(*, material, by, tags="", languages=(), upload=None, note="", **fields):
    """Save edited fields; a link may become a file (with `upload`) and a file a link."""
    _check_staff(by)
    material = Material.objects.select_for_update().get(pk=material.pk)
    for key in PLAIN_FIELDS:
        if key in fields:
            setattr(material, key, fields[key])
    if material.kind == Material.Kind.LINK:
        material.file_type = "LINK"
        material.current_version = None
    material.updated_at = timezone.now()
    material.save()
    material.tags.set(_tags(tag_names(tags)))
    _set_languages(material, languages)
    if material.kind == Material.Kind.FILE and upload is not None:
        _add_version(material=material, upload=upload, note=note, by=by)
    elif material.kind == Material.Kind.FILE and material.current_version_id is None:
        # Back from a link to the file it had before.
        last = material.versions.order_by("-number").first()
        if last:
            material.current_version = last
            material.file_type = last.file_type
            material.url = ""
            material.save(update_fields=["current_version", "file_type", "url"])
    indexing.reindex([material.pk])
    return material


@transaction.atomic
def replace_file(*, material, upload, note="", by):
    """A new file for the material; earlier versions stay, listed and downloadable by staff."""
    _check_staff(by)
    material = Material.objects.select_for_update().get(pk=material.pk)
    if material.kind == Material.Kind.EVENT_DOCUMENT:
        raise PermissionDenied
    material.kind = Material.Kind.FILE
    material.updated_at = timezone.now()
    material.save(update_fields=["kind", "updated_at"])
    version = _add_version(material=material, upload=upload, note=note, by=by)
    indexing.reindex([material.pk])
    return version


@transaction.atomic
def archive_material(*, material, by):
    """Take the material off the shelves; its files and counts stay, staff can restore it."""
    _check_staff(by)
    Material.objects.filter(pk=material.pk).update(
        status=Material.Status.ARCHIVED, updated_at=timezone.now()
    )
    indexing.reindex([material.pk])


@transaction.atomic
def restore_material(*, material, by):
    _check_staff(by)
    Material.objects.filter(pk=material.pk).update(
        status=Material.Status.PUBLISHED, updated_at=timezone.now()
    )
    indexing.reindex([material.pk])


@transaction.atomic
def record_download(*, material, today=None):
    """Count one download: this month's row, created on the first download of the month, and
    the material's total, both with F() so that parallel downloads are all counted."""
    month = (today or timezone.localdate()).replace(day=1)
    row, _ = DownloadMonth.objects.get_or_create(material_id=material.pk, month=month)
    DownloadMonth.objects.filter(pk=row.pk).update(count=F("count") + 1)
    Material.objects.filter(pk=material.pk).update(download_count=F("download_count") + 1)
