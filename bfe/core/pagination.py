from django.core.paginator import Paginator


def paginate(request, queryset, per_page, param="seite"):
    """A page of the queryset with `elided_range` for the pagination component."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    return page
