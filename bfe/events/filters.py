import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bfe.places.models import Region

from .models import Event


class EventFilter(django_filters.FilterSet):
    """Filters of the calendar (list and month). The queryset passed in is already scoped.

    Choosing a region shows that region's events *and* the city-wide ones (events without a
    region: Werkstätten, Netzwerktreffen, the training series), because those are for the
    people of every region too.
    """

    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Event.Kind.choices, empty_label=_("alle Arten")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        # A callable, so that "current" means today, not the day the server started.
        queryset=lambda request: Region.objects.current(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("alle Regionen"),
    )

    class Meta:
        model = Event
        fields = ["kind", "region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region=value) | Q(region__isnull=True))
