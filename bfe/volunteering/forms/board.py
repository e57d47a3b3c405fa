"""Forms of the board: a coordinator's opportunity, the public board's filters and
"Ich möchte helfen"."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from bfe.core.widgets import Select
from bfe.places.models import LANGUAGE_CHOICES, District, Shelter

from .. import board_geo
from ..models import (
    WEEKDAY_BITS,
    WEEKDAY_CHOICES,
    Area,
    Opportunity,
    OpportunityLanguage,
)

DISTANCE_CHOICES = [(km, _("%(km)s km") % {"km": km}) for km in (1, 2, 3, 5, 10, 20)]
DEFAULT_KM = 5


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class OpportunityForm(forms.ModelForm):
    """What a coordinator writes about an opportunity; the status is set on its own."""

    area = AreaChoiceField(
        label=_("Bereich"), queryset=Area.objects.all(), empty_label=_("Bitte wählen")
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Wochentage"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bei regelmäßigen Angeboten: an welchen Tagen."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Gesuchte Sprachen"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sprachen, die Freiwillige mitbringen sollten (keine: egal)."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "description",
            "area",
            "schedule",
            "weekdays",
            "date",
            "time_from",
            "time_until",
            "min_age",
            "needs_clearance",
            "volunteers_wanted",
            "languages",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "schedule": forms.RadioSelect,
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "time_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "date": _("Nur bei einmaligen Angeboten, dann aber nötig."),
        }

    def __init__(self, *args, shelters=None, **kwargs):
        super().__init__(*args, **kwargs)
        children_areas = [
            area.pk for area in self.fields["area"].queryset if area.works_with_children
        ]
        self.fields["needs_clearance"].help_text = _(
            "Bei Arbeit mit Kindern und Jugendlichen (§ 72a SGB VIII) nötig. Für Bereiche mit "
            "Kindern ist das Häkchen vorausgewählt; die Koordination sieht das Zeugnis ein, "
            "gespeichert wird nur, dass und wann."
        )
        self.fields["needs_clearance"].widget.attrs["data-children-areas"] = " ".join(
            map(str, children_areas)
        )
        self.fields["area"].widget.attrs["data-clearance-area"] = "1"
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekday_list
            self.initial["languages"] = self.instance.language_codes
        else:
            area_pk = self.initial.get("area")
            if area_pk and int(getattr(area_pk, "pk", area_pk)) in children_areas:
                self.initial["needs_clearance"] = True
        self.shelters = list(shelters or [])
        if len(self.shelters) > 1 and not self.instance.pk:
            self.fields["shelter"] = forms.ModelChoiceField(
                label=_("Unterkunft"),
                queryset=self._shelter_queryset(),
                empty_label=None,
            )
            self.order_fields(["shelter", *self.Meta.fields])

    def _shelter_queryset(self):
        return Shelter.objects.filter(pk__in=[shelter.pk for shelter in self.shelters])

    def clean(self):
        data = super().clean()
        schedule = data.get("schedule")
        if schedule == Opportunity.Schedule.ONE_OFF and not data.get("date"):
            self.add_error("date", _("Ein einmaliges Angebot braucht ein Datum."))
        if schedule == Opportunity.Schedule.REGULAR and not data.get("weekdays"):
            self.add_error("weekdays", _("Bitte wählen Sie mindestens einen Wochentag."))
        start, end = data.get("time_from"), data.get("time_until")
        if start and end and end <= start:
            self.add_error("time_until", _("Das Ende muss nach dem Beginn liegen."))
        return data

    def _post_clean(self):
        # The service writes the row (and its check constraint); the form only validates.
        pass

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("shelter", None)
        return data

    def chosen_shelter(self):
        if "shelter" in self.cleaned_data:
            return self.cleaned_data["shelter"]
        return self.shelters[0]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Opportunity.Status.choices, widget=forms.RadioSelect
    )


class BoardFilter(django_filters.FilterSet):
    """Filters of the public board, as a GET form so that every filtered view is a link.
    A postcode we do not know is an error on its field; the other filters still apply."""

    district = django_filters.ModelChoiceFilter(
        label=_("Bezirk"),
        queryset=District.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("alle Bezirke"),
        widget=Select,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Bereich"),
        queryset=Area.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Bereiche"),
        widget=Select,
    )
    sprache = django_filters.ChoiceFilter(
        label=_("Sprache"),
        choices=LANGUAGE_CHOICES,
        empty_label=_("alle Sprachen"),
        method="filter_language",
        widget=Select,
    )
    tag = django_filters.ChoiceFilter(
        label=_("Wochentag"),
        choices=WEEKDAY_CHOICES,
        empty_label=_("alle Tage"),
        method="filter_weekday",
        widget=Select,
    )
    plz = django_filters.CharFilter(
        label=_("In der Nähe der PLZ"),
        method="filter_distance",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "maxlength": "5",
                "placeholder": _("z. B. 10115"),
            }
        ),
    )
    km = django_filters.ChoiceFilter(
        label=_("Umkreis"),
        choices=DISTANCE_CHOICES,
        empty_label=None,
        method="filter_nothing",
        widget=Select,
    )

    class Meta:
        model = Opportunity
        fields = ["plz", "km", "district", "area", "sprache", "tag"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("km"):
            # The radius box shows the radius the filter applies when none was chosen.
            data = data.copy()
            data["km"] = str(DEFAULT_KM)
        super().__init__(data, *args, **kwargs)
        self.form.fields["area"].label_from_instance = lambda area: area.label
        self.form.fields["plz"].validators.append(_known_postcode)
        self.form.fields["km"].required = False
        self.form.fields["km"].initial = DEFAULT_KM

    def filter_language(self, queryset, name, value):
        return queryset.filter(
            Exists(OpportunityLanguage.objects.filter(opportunity=OuterRef("pk"), language=value))
        )

    def filter_weekday(self, queryset, name, value):
        bit = WEEKDAY_BITS[int(value)]
        return queryset.alias(on_day=F("weekdays").bitand(bit)).filter(on_day=bit)

    def filter_distance(self, queryset, name, value):
        centre = board_geo.centre_of(value)
        if centre is None:
            return queryset
        km = int(self.form.cleaned_data.get("km") or DEFAULT_KM)
        return board_geo.within(queryset, lat=centre[0], lon=centre[1], km=km)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_distance

    @property
    def centre(self):
        """(lat, lon) of the valid postcode asked for, or None."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        return board_geo.centre_of(self.form.cleaned_data.get("plz"))


def _known_postcode(value):
    value = (value or "").strip()
    if value and board_geo.centre_of(value) is None:
        raise forms.ValidationError(
            _(
                "Die Postleitzahl „%(value)s“ kennen wir nicht als Berliner PLZ. Bitte geben "
                "Sie eine fünfstellige Berliner Postleitzahl ein, z. B. 10115."
            ),
            params={"value": value[:10]},
        )


class ApplicationForm(forms.Form):
    """ "Ich möchte helfen". `website` is a honeypot: people never see or fill it."""

    full_name = forms.CharField(label=_("Ihr Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie Ihre Bewerbung bestätigen."),
    )
    phone = forms.CharField(label=_("Telefon (freiwillig)"), max_length=40, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Sprachen, die Sie sprechen"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Nachricht an die Koordination"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zum Beispiel, wann Sie Zeit haben und was Sie mitbringen."),
    )
    consent = forms.BooleanField(
        label=_("Ich willige in die Verarbeitung meiner Angaben wie oben beschrieben ein."),
        error_messages={
            "required": _("Ohne Ihre Einwilligung können wir die Bewerbung nicht weitergeben.")
        },
    )
    website = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["full_name", "email", "phone", "languages", "message", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "full_name": "name",
                "email": "email",
                "phone": "tel",
            }[name]

    @property
    def is_bot(self):
        return bool(self.data.get("website", "").strip())

    def visible_without_honeypot(self):
        return [field for field in self.visible_fields() if field.name != "website"]
