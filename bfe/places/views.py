from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from bfe.accounts.models import Roles
from bfe.core.page_cache import cache_public_page
from bfe.core.pagination import paginate
from bfe.core.views import public

from . import selectors, services
from .filters import ShelterFilter
from .forms import EndPositionForm, PublicContactForm, ShelterForm
from .models import CoordinatorPosition, Region, Shelter, today


@public
@cache_public_page
def region_list(request):
    return render(request, "places/region_list.html", {"regions": selectors.region_cards()})


@public
@cache_public_page
def region_detail(request, slug):
    try:
        region, shelters = selectors.region_with_shelters(request.user, slug)
    except Region.DoesNotExist:
        raise Http404 from None
    context = {
        "region": region,
        "page": paginate(request, shelters, settings.DIRECTORY_PAGE_SIZE),
        "map_url": reverse("places:shelter_map") + f"?region={region.slug}",
        "exact_pins": Roles.of(request.user).sees_exact_addresses,
    }
    return render(request, "places/region_detail.html", context)


@public
@cache_public_page
def shelter_list(request):
    shelter_filter = ShelterFilter(
        request.GET, queryset=selectors.shelters_for_directory(request.user)
    )
    shelters = shelter_filter.qs
    page = paginate(request, shelters, settings.DIRECTORY_PAGE_SIZE)
    context = {
        "filter": shelter_filter,
        "page": page,
        "map_url": reverse("places:shelter_map") + _map_filters(request),
        "exact_pins": Roles.of(request.user).sees_exact_addresses,
    }
    template = "places/shelter_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _map_filters(request):
    """The directory's filters as the map's query string (the page number is not one)."""
    query = request.GET.copy()
    query.pop("seite", None)
    for key in [key for key, value in query.items() if not value]:
        del query[key]
    query = query.urlencode()
    return f"?{query}" if query else ""


def _map_etag(request):
    return selectors.map_version(request.user, _map_filters(request))


@public
@require_safe
@condition(etag_func=_map_etag)
def shelter_map(request):
    """The directory's map as GeoJSON, for the same filters and scope as the list: the page
    fetches it, so that thousands of pins are not inlined into every page. Answers 304 to a
    browser that has the current version."""
    shelter_filter = ShelterFilter(
        request.GET, queryset=selectors.shelters_for_directory(request.user)
    )
    content = selectors.map_geojson_cached(
        shelter_filter.qs,
        scope=selectors.map_scope(request.user),
        filters=_map_filters(request),
    )
    response = HttpResponse(content, content_type="application/geo+json")
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@public
@require_safe
def filter_suggestions(request, field):
    """Names for the directory's district and operator boxes (the combobox's suggestions)."""
    names = selectors.filter_suggestions(field, request.GET.get("q", ""))
    response = JsonResponse({"suggestions": names})
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response


@public
@cache_public_page
def shelter_detail(request, pk):
    try:
        shelter = selectors.shelter_for_detail(request.user, pk)
    except Shelter.DoesNotExist:
        raise Http404 from None
    context = {
        "shelter": shelter,
        "can_edit": Shelter.objects.editable_by(request.user).filter(pk=pk).exists(),
        "can_manage_positions": (
            Shelter.objects.positions_manageable_by(request.user).filter(pk=pk).exists()
        ),
        "map_points": selectors.map_point_of(shelter),
    }
    return render(request, "places/shelter_detail.html", context)


def shelter_edit(request, pk):
    shelter = get_object_or_404(Shelter.objects.editable_by(request.user), pk=pk)
    form = ShelterForm(request.POST or None, instance=shelter, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_shelter(shelter=shelter, editor=request.user, form=form)
        messages.success(request, _("Die Angaben zur Unterkunft wurden gespeichert."))
        return redirect(shelter)
    if request.method == "POST":
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "places/shelter_form.html", {"shelter": shelter, "form": form})


def position_end(request, pk, position_pk):
    """Record that a coordinator left: the post ends and the shelter shows a vacancy."""
    shelter = get_object_or_404(Shelter.objects.positions_manageable_by(request.user), pk=pk)
    position = get_object_or_404(
        CoordinatorPosition.objects.current().select_related("person"),
        pk=position_pk,
        shelter=shelter,
        person__isnull=False,
    )
    form = EndPositionForm(request.POST or None, position=position, initial={"ends_on": today()})
    if request.method == "POST" and form.is_valid():
        services.end_position(position=position, ends_on=form.cleaned_data["ends_on"])
        messages.success(
            request,
            _("Die Stelle von %(name)s endet am %(date)s.")
            % {
                "name": position.person.get_full_name(),
                "date": form.cleaned_data["ends_on"].strftime("%d.%m.%Y"),
            },
        )
        return redirect(shelter)
    return render(
        request,
        "places/position_end.html",
        {"shelter": shelter, "position": position, "form": form},
    )


def position_contact(request, pk, position_pk):
    """A coordinator opts in to (or out of) a public work contact; staff may set it too."""
    position = get_object_or_404(
        CoordinatorPosition.objects.contact_editable_by(request.user).select_related(
            "person", "shelter"
        ),
        pk=position_pk,
        shelter_id=pk,
    )
    shelter = position.shelter
    # An unticked box posts nothing: a POST without data is still a bound form.
    data = request.POST if request.method == "POST" else None
    form = PublicContactForm(data, instance=position)
    if request.method == "POST" and form.is_valid():
        services.set_public_contact(
            position=position, editor=request.user, public=form.cleaned_data["public_contact"]
        )
        if position.public_contact:
            message = _("%(name)s steht jetzt für alle sichtbar als Kontakt auf der Seite.")
        else:
            message = _("%(name)s ist jetzt nur für angemeldete Fachkräfte sichtbar.")
        messages.success(request, message % {"name": position.person.get_full_name()})
        return redirect(shelter)
    return render(
        request,
        "places/position_contact.html",
        {"shelter": shelter, "position": position, "form": form},
    )
