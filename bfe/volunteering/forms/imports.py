"""Forms of the imports part: the upload, and the column mapping."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bfe.core.uploads import accept_attribute

from ..models import Volunteer
from ..services.imports import validate_columns
from ..services.imports_reading import FIELDS, IMPORT_TYPES, column_label

FIELD_LABELS = {
    "full_name": _("Name (vollständig)"),
    "first_name": _("Vorname"),
    "last_name": _("Nachname"),
    "email": _("E-Mail-Adresse"),
    "phone": _("Telefon"),
    "languages": _("Sprachen"),
    "stage": _("Stand"),
    "notes": _("Notizen"),
    "start_date": _("Dabei seit"),
}


class UploadForm(forms.Form):
    """The shelter (where she coordinates several) and the file; the file is checked by the
    service (services.imports.upload_list), which every caller goes through."""

    shelter = forms.ModelChoiceField(label=_("Unterkunft"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Liste (XLSX oder CSV)"),
        help_text=_(
            "Die erste Zeile mit Inhalt gilt als Kopfzeile. CSV-Dateien mit Semikolon oder "
            "Komma, in UTF-8 oder aus Excel (Windows)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(IMPORT_TYPES)}),
    )

    def __init__(self, *args, shelters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = shelters
        # Her only shelter needs no choice.
        self.only_shelter = shelters[0] if len(shelters) == 1 else None
        if self.only_shelter:
            self.fields["shelter"].required = False
            self.fields["shelter"].widget = forms.HiddenInput()

    def clean_shelter(self):
        return self.cleaned_data.get("shelter") or self.only_shelter


class MappingForm(forms.Form):
    """One choice per field of the record: which column feeds it (or none)."""

    default_stage = forms.ChoiceField(
        label=_("Stand, wo die Datei keinen angibt"),
        choices=Volunteer.Stage.choices,
        initial=Volunteer.Stage.ACTIVE,
    )

    def __init__(self, *args, header, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("– nicht übernehmen –"))] + [
            (str(index), column_label(header, index)) for index in range(len(header))
        ]
        for name in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=columns, required=False
            )
        # The stage choice after the columns.
        self.order_fields([*FIELDS, "default_stage"])

    @classmethod
    def initial_from(cls, mapping):
        initial = {name: str(index) for name, index in mapping.get("columns", {}).items()}
        initial["default_stage"] = mapping.get("default_stage", Volunteer.Stage.ACTIVE)
        return initial

    def columns(self):
        return {
            name: int(self.cleaned_data[name])
            for name in FIELDS
            if self.cleaned_data.get(name) not in (None, "")
        }

    def mapping(self):
        return {"columns": self.columns(), "default_stage": self.cleaned_data["default_stage"]}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = validate_columns(self.columns(), len(self.fields["full_name"].choices) - 1)
        if problems:
            raise ValidationError(problems)
        return cleaned
