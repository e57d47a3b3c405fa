from django import forms
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles

from .models import LANGUAGE_CHOICES, CoordinatorPosition, Organisation, Shelter

# Moving a shelter to another district or closing it moves it between regions: staff only.
STAFF_ONLY_FIELDS = ("district", "closed_on")


class ShelterForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Sprachen der Bewohner:innen"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Shelter
        fields = [
            "name",
            "kind",
            "operator",
            "district",
            "street",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "address_public",
            "capacity",
            "residents",
            "opened_on",
            "closed_on",
            "description",
            "languages",
        ]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    fieldsets = [
        (_("Grunddaten"), ["name", "kind", "operator", "opened_on", "closed_on"]),
        (
            _("Adresse und Lage"),
            ["street", "postcode", "city", "district", "latitude", "longitude", "address_public"],
        ),
        (_("Belegung"), ["capacity", "residents", "languages"]),
        (_("Öffentliche Darstellung"), ["description"]),
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.OPERATOR
        )
        # Only BfE decides whether an address becomes public (shelters can be targets).
        if not Roles.of(user).is_bfe_staff:
            del self.fields["address_public"]
        self.refused_fields = []
        if self.instance.pk and not (
            Shelter.objects.in_staff_care_of(user).filter(pk=self.instance.pk).exists()
        ):
            for name in STAFF_ONLY_FIELDS:
                del self.fields[name]
            # A stale or crafted form may still send them: refuse rather than drop silently.
            self.refused_fields = [
                name for name in STAFF_ONLY_FIELDS if self._posts_a_change_of(name)
            ]

    def _posts_a_change_of(self, name):
        if not self.is_bound or name not in self.data:
            return False
        field = Shelter._meta.get_field(name).formfield()
        try:
            posted = field.clean(self.data.get(name))
        except forms.ValidationError:
            return True
        current = getattr(self.instance, name)
        return (posted.pk if hasattr(posted, "pk") else posted) != (
            current.pk if hasattr(current, "pk") else current
        )

    def grouped_fields(self):
        """The visible fields by fieldset, for the form template."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def clean(self):
        cleaned = super().clean()
        if self.refused_fields:
            raise forms.ValidationError(
                _(
                    "Den Bezirk ändern oder die Unterkunft schließen kann nur die "
                    "Regionalkoordination oder die Projektleitung, denn damit wechselt die "
                    "Unterkunft womöglich die Region. Bitte wenden Sie sich an sie; Ihre übrigen "
                    "Eingaben stehen unten noch im Formular."
                ),
                code="staff_only",
            )
        opened, closed = cleaned.get("opened_on"), cleaned.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("Das Schließdatum liegt vor dem Eröffnungsdatum."))
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude", _("Bitte Breiten- und Längengrad zusammen angeben."))
        capacity, residents = cleaned.get("capacity"), cleaned.get("residents")
        if capacity is not None and residents is not None and residents > capacity * 2:
            self.add_error(
                "residents",
                _("Die Zahl der Bewohner:innen ist mehr als doppelt so hoch wie die Plätze."),
            )
        return cleaned


class EndPositionForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Letzter Arbeitstag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ab dem Folgetag gilt die Stelle als unbesetzt."),
    )

    def __init__(self, *args, position, **kwargs):
        super().__init__(*args, **kwargs)
        self.position = position

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.position.starts_on:
            raise forms.ValidationError(
                _("Das Ende liegt vor dem Beginn der Stelle (%(date)s)."),
                params={"date": self.position.starts_on.strftime("%d.%m.%Y")},
            )
        return ends_on


class PublicContactForm(forms.ModelForm):
    class Meta:
        model = CoordinatorPosition
        fields = ["public_contact"]
        labels = {"public_contact": _("Name und dienstliche E-Mail-Adresse öffentlich zeigen")}
