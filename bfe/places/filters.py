import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from bfe.core.widgets import Select

from .models import District, Organisation, Region, Shelter


class NamedChoiceField(forms.CharField):
    """A text input for one of many rows (hundreds of districts or operators): the typed name
    (any case), or a shareable key (slug, id), is resolved to its row in one query; a name
    that matches nothing is an error that names it, and the other filters still apply."""

    def __init__(self, *, queryset, keys, invalid_message, **kwargs):
        self.queryset, self.keys, self.invalid_message = queryset, keys, invalid_message
        self._names = {}
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()[:200]
        if not value:
            return None
        match = Q(name__iexact=value)
        for key in self.keys:
            if key != "pk" or (value.isascii() and value.isdigit() and len(value) < 10):
                match |= Q(**{key: value})
        found = self.queryset.filter(match).order_by("name", "pk").first()
        if found is None:
            raise forms.ValidationError(self.invalid_message, params={"value": value})
        self._names[value] = found.name
        return found

    def prepare_value(self, value):
        # The box shows the name, whether the link said `?district=spandau` or `Spandau`.
        if isinstance(value, str):
            return self._names.get(value.strip()[:200], value)
        return getattr(value, "name", value)


class NamedChoiceFilter(django_filters.Filter):
    field_class = NamedChoiceField


def _combobox(suggest, placeholder):
    """A plain text box; js/combobox.js makes it a WAI-ARIA combobox with suggestions."""
    return forms.TextInput(
        attrs={
            "placeholder": placeholder,
            "autocomplete": "off",
            "data-combobox": reverse_lazy("places:filter_suggestions", args=[suggest]),
        }
    )


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
    district = NamedChoiceFilter(
        label=_("Bezirk"),
        queryset=District.objects.all(),
        keys=("slug",),
        invalid_message=_(
            "Einen Bezirk „%(value)s“ kennen wir nicht. Bitte wählen Sie einen Namen aus den "
            "Vorschlägen oder lassen Sie das Feld leer."
        ),
        widget=_combobox("district", _("alle Bezirke")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Shelter.Kind.choices, empty_label=_("alle Arten"), widget=Select
    )
    operator = NamedChoiceFilter(
        label=_("Betreiber"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OPERATOR),
        keys=("pk",),
        invalid_message=_(
            "Einen Betreiber „%(value)s“ kennen wir nicht. Bitte wählen Sie einen Namen aus den "
            "Vorschlägen oder lassen Sie das Feld leer."
        ),
        widget=_combobox("operator", _("alle Betreiber")),
    )
    vacancy = django_filters.ChoiceFilter(
        label=_("Koordination"),
        choices=VACANCY_CHOICES,
        method="filter_vacancy",
        empty_label=_("alle"),
        widget=Select,
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
