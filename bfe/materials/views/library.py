"""The library's pages: its front page, a material, its download, collections, and staff's
curation (create, edit, replace the file, archive, restore; build collections). Who may see
what is decided by the querysets (`visible_to`, `curated_by`): anyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bfe.accounts.models import Roles
from bfe.core.views import public

from .. import selectors
from ..forms.library import (
    AddMaterialForm,
    CollectionForm,
    MaterialForm,
    ReplaceFileForm,
)
from ..models import Collection, CollectionItem, Material, MaterialVersion
from ..services import collections as collection_services
from ..services import event_documents
from ..services import library as services

CHECK_FIELDS = gettext_lazy("Bitte prüfen Sie die markierten Felder.")


def _readable(user):
    """Materials the person may open: staff also open archived ones (to restore them)."""
    if Roles.of(user).is_bfe_staff:
        return Material.objects.curated_by(user)
    return Material.objects.visible_to(user)


def _curated(request):
    queryset = Material.objects.curated_by(request.user)
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404
    return queryset


def _staff_only(request):
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404


# --- Reading -------------------------------------------------------------------------------------


@public
def index(request):
    user = request.user
    categories = selectors.material_counts_by_category(user)
    context = {
        "categories": categories,
        "collections": selectors.featured_collections(user),
        "recent": selectors.recent_materials(user),
        "is_staff": Roles.of(user).is_bfe_staff,
        "has_materials": any(category.material_count for category in categories),
    }
    return render(request, "materials/index.html", context)


@public
def detail(request, pk):
    try:
        material = selectors.material_for_detail(_readable(request.user), pk)
    except Material.DoesNotExist:
        raise Http404 from None
    roles = Roles.of(request.user)
    is_staff = roles.is_bfe_staff
    context = {
        "material": material,
        "version": material.current_version,
        "collections": selectors.collections_of(request.user, material),
        "is_staff": is_staff,
        # Slides of an event are downloaded where the event's own rules apply.
        "event_document_url": (
            event_documents.document_url(material)
            if material.kind == Material.Kind.EVENT_DOCUMENT
            else ""
        ),
        "may_suggest": roles.is_bfe_staff or roles.is_coordinator,
    }
    if is_staff:
        context.update(
            versions=selectors.versions_of(material),
            downloads=selectors.downloads_by_month(material),
            due_for_review=selectors.is_due_for_review(material),
            other_collections=list(
                Collection.objects.exclude(items__material=material).order_by("position", "name")
            ),
        )
    response = render(request, "materials/detail.html", context)
    if not material.is_public:
        patch_cache_control(response, private=True)
    return response


def _file_response(version, *, public):
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name,
        content_type=version.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@public
def download(request, pk):
    """The current file, or the link's target; either way one download is counted."""
    material = get_object_or_404(
        _readable(request.user)
        .filter(status=Material.Status.PUBLISHED)
        .select_related("current_version"),
        pk=pk,
    )
    if material.kind == Material.Kind.LINK:
        services.record_download(material=material)
        return redirect(material.url)
    version = material.current_version
    if material.kind != Material.Kind.FILE or version is None:
        raise Http404
    services.record_download(material=material)
    return _file_response(version, public=material.is_public)


def version_download(request, pk, number):
    material = get_object_or_404(_curated(request), pk=pk)
    version = get_object_or_404(MaterialVersion, material=material, number=number)
    return _file_response(version, public=False)


@public
def collection(request, slug):
    collection = get_object_or_404(Collection, slug=slug)
    context = {
        "collection": collection,
        "materials": selectors.collection_materials(request.user, collection),
        "is_staff": Roles.of(request.user).is_bfe_staff,
    }
    return render(request, "materials/collection.html", context)


# --- Staff: materials ----------------------------------------------------------------------------


def _save_material(request, form, material=None):
    try:
        if material is None:
            return services.create_material(by=request.user, **form.service_fields())
        return services.update_material(material=material, by=request.user, **form.service_fields())
    except ValidationError as error:
        form.add_error("file" if error.code in _FILE_CODES else None, error)
        return None


_FILE_CODES = {"name", "empty", "too_large", "type", "content", "zip"}


def create(request):
    _curated(request)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        material = _save_material(request, form)
        if material:
            messages.success(request, _("Das Material ist veröffentlicht."))
            return redirect(material)
    if request.method == "POST" and form.errors:
        messages.error(request, CHECK_FIELDS)
    return render(request, "materials/material_form.html", {"form": form})


def edit(request, pk):
    material = get_object_or_404(
        _curated(request).prefetch_related("tags", "languages").select_related("category"), pk=pk
    )
    if material.kind == Material.Kind.EVENT_DOCUMENT:
        raise Http404
    form = MaterialForm(request.POST or None, request.FILES or None, material=material)
    if request.method == "POST" and form.is_valid() and _save_material(request, form, material):
        messages.success(request, _("Die Änderungen sind gespeichert."))
        return redirect(material)
    if request.method == "POST" and form.errors:
        messages.error(request, CHECK_FIELDS)
    return render(request, "materials/material_form.html", {"form": form, "material": material})


def replace(request, pk):
    material = get_object_or_404(_curated(request), pk=pk)
    if material.kind == Material.Kind.EVENT_DOCUMENT:
        raise Http404
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.replace_file(
                material=material,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Version %(number)s ist jetzt die aktuelle Datei.") % {"number": version.number},
            )
            return redirect(material)
    if request.method == "POST" and form.errors:
        messages.error(request, CHECK_FIELDS)
    return render(request, "materials/replace.html", {"form": form, "material": material})


def archive(request, pk):
    """GET asks, POST archives (or restores, with `restore`)."""
    material = get_object_or_404(_curated(request), pk=pk)
    if request.method == "POST":
        if "restore" in request.POST:
            services.restore_material(material=material, by=request.user)
            messages.success(request, _("Das Material ist wieder in der Bibliothek."))
        else:
            services.archive_material(material=material, by=request.user)
            messages.success(
                request,
                _("Das Material ist archiviert: nur BfE sieht es noch und kann es zurückholen."),
            )
        return redirect(material)
    return render(request, "materials/archive.html", {"material": material})


# --- Staff: collections --------------------------------------------------------------------------


def collection_list(request):
    _staff_only(request)
    collections = Collection.objects.order_by("position", "name").prefetch_related("items")
    return render(request, "materials/collection_list.html", {"collections": collections})


def collection_create(request):
    _staff_only(request)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = collection_services.create_collection(by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Die Sammlung ist angelegt. Fügen Sie jetzt Materialien hinzu.")
        )
        return redirect("materials:collection_edit", collection.slug)
    if request.method == "POST" and form.errors:
        messages.error(request, CHECK_FIELDS)
    return render(request, "materials/collection_form.html", {"form": form})


def _items(collection):
    return list(collection.items.select_related("material__category").order_by("position", "pk"))


def collection_edit(request, slug):
    _staff_only(request)
    collection = get_object_or_404(Collection, slug=slug)
    form = CollectionForm(request.POST or None, instance=collection)
    if request.method == "POST" and form.is_valid():
        collection_services.update_collection(
            collection=collection, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Die Änderungen sind gespeichert."))
        return redirect("materials:collection_edit", collection.slug)
    if request.method == "POST" and form.errors:
        messages.error(request, CHECK_FIELDS)
    context = {
        "form": form,
        "collection": collection,
        "items": _items(collection),
        "add_form": AddMaterialForm(),
    }
    return render(request, "materials/collection_form.html", context)


def collection_add(request, slug):
    """POST: add a material (by its number) to the collection; GET goes back to the page."""
    _staff_only(request)
    collection = get_object_or_404(Collection, slug=slug)
    if request.method != "POST":
        return redirect("materials:collection_edit", collection.slug)
    add_form = AddMaterialForm(request.POST)
    if add_form.is_valid():
        material = add_form.cleaned_data["material"]
        collection_services.add_material(collection=collection, material=material, by=request.user)
        messages.success(
            request,
            _("„%(title)s“ ist in der Sammlung „%(collection)s“.")
            % {"title": material.title, "collection": collection.label},
        )
        if request.POST.get("next") == "material":
            return redirect(material)
        return redirect("materials:collection_edit", collection.slug)
    messages.error(request, CHECK_FIELDS)
    context = {
        "form": CollectionForm(instance=collection),
        "collection": collection,
        "items": _items(collection),
        "add_form": add_form,
    }
    return render(request, "materials/collection_form.html", context, status=400)


def collection_item(request, slug, item_pk):
    """POST with `remove`, `up` or `down`; GET goes back to the collection's page."""
    _staff_only(request)
    item = get_object_or_404(
        CollectionItem.objects.select_related("collection"), collection__slug=slug, pk=item_pk
    )
    if request.method == "POST":
        if "remove" in request.POST:
            collection_services.remove_item(item=item, by=request.user)
            messages.success(request, _("Das Material ist aus der Sammlung entfernt."))
        elif "up" in request.POST or "down" in request.POST:
            collection_services.move_item(item=item, up="up" in request.POST, by=request.user)
    return redirect("materials:collection_edit", slug)
