import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bfe.core.widgets import Select

from .models import District, Organisation, Region, Shelter


class ShelterFilter(django_filters.FilterSet):
    """Filters of the shelter directory. The queryset passed in is already scoped."""

    VACANCY_CHOICES = [("vacant", _("unbesetzt")), ("staffed", _("besetzt"))]

    q = django_filters.CharFilter(
        label=_("Suche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, Straße oder PLZ"), "type": "search"}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.current(),
        field_name="district__regions",
        to_field_name="slug",
        empty_label=_("alle Regionen"),
        widget=Select,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Bezirk"),
        queryset=District.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Bezirke"),
        widget=Select,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Shelter.Kind.choices, empty_label=_("alle Arten")
    )
    operator = django_filters.ModelChoiceFilter(
        label=_("Betreiber"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OPERATOR),
        empty_label=_("alle Betreiber"),
        widget=Select,
    )
    vacancy = django_filters.ChoiceFilter(
        label=_("Koordination"),
        choices=VACANCY_CHOICES,
        method="filter_vacancy",
        empty_label=_("alle"),
    )

    class Meta:
        model = Shelter
        fields = ["q", "region", "district", "kind", "operator", "vacancy"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        # Addresses are only searchable where the viewer may see them.
        address = Q(shows_address=True) & (
            Q(street__icontains=value) | Q(postcode__startswith=value)
        )
        return queryset.filter(Q(name__icontains=value) | address)

    def filter_vacancy(self, queryset, name, value):
        return queryset.filter(is_staffed=(value == "staffed"))
