"""The library's search page: public, scoped by audience before anything else is counted."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from bfe.accounts.models import Roles
from bfe.core.views import public

from .. import selectors_search
from ..forms.search import SearchForm


def sees_internal(user):
    roles = Roles.of(user)
    return roles.is_bfe_staff or roles.is_coordinator


@public
@require_safe
def search(request):
    with_audience = sees_internal(request.user)
    form = SearchForm(request.GET, with_audience=with_audience)
    filters = form.filters()
    results = selectors_search.search(
        request.user, filters, page_number=request.GET.get("seite"), with_audience=with_audience
    )
    for material in results.page.object_list:
        material.detail_url = material.get_absolute_url()
    active = _active_filters(form, filters, results)
    context = {
        "form": form,
        "filters": filters,
        "results": results,
        "page": results.page,
        "active_filters": active,
        "sort_options": [
            (selectors_search.SORT_RELEVANCE, form.fields["sortierung"].choices[0][1]),
            (selectors_search.SORT_DATE, form.fields["sortierung"].choices[1][1]),
        ],
    }
    template = "materials/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _active_filters(form, filters, results):
    """(GET parameter, label) of every filter in force, for the removable chips."""
    labels = {
        facet.key: {value: label for value, label, _ in facet.values} for facet in results.facets
    }
    choices = {
        "sprache": dict(form.fields["sprache"].choices),
        "zielgruppe": dict(form.fields["zielgruppe"].choices) if form.with_audience else {},
    }
    active = []
    if filters.category is not None:
        active.append(("kategorie", filters.category.label))
    for key, value in (
        ("sprache", filters.language),
        ("typ", filters.file_type),
        ("zielgruppe", filters.audience),
    ):
        if value:
            label = labels.get(key, {}).get(value) or choices.get(key, {}).get(value) or value
            active.append((key, label))
    return active
