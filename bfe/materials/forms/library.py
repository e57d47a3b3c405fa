"""Staff's forms of the library: a material (file or link), a replaced file, a collection and
a material to add to it. Files are checked here, so that a refused one gets its message on the
file field while every other field keeps what was typed."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bfe.core.uploads import MATERIAL_TYPES, accept_attribute, check_upload
from bfe.core.widgets import Select
from bfe.places.models import LANGUAGE_CHOICES

from ..models import Category, Collection, Material

DATE = {"type": "date"}


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def _file_field(required):
    return forms.FileField(
        label=_("Datei"),
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(MATERIAL_TYPES)}),
    )


def _file_help():
    # Built per form, in the request's language and with the size limit as set now.
    return _("PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG oder TXT, höchstens %(max)s.") % {
        "max": filesizeformat(settings.MATERIAL_MAX_UPLOAD_BYTES)
    }


def _checked(upload):
    return check_upload(
        upload, allowed=MATERIAL_TYPES, max_bytes=settings.MATERIAL_MAX_UPLOAD_BYTES
    ).upload


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art"),
        choices=[(Material.Kind.FILE, _("Datei")), (Material.Kind.LINK, _("Link"))],
        initial=Material.Kind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = CategoryChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.all(),
        empty_label=_("Bitte wählen"),
        widget=Select,
    )
    tags = forms.CharField(
        label=_("Schlagwörter"),
        max_length=600,
        required=False,
        help_text=_("Durch Kommas getrennt, z. B. „Führungszeugnis, Ehrenamt“."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Sprachen des Materials"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label=_("Für wen"),
        choices=Material.Audience.choices,
        initial=Material.Audience.INTERNAL,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("Quelle / Autor:in"), max_length=200, required=False)
    licence = forms.CharField(
        label=_("Lizenz"),
        max_length=100,
        required=False,
        help_text=_("z. B. „CC BY 4.0“ oder „Alle Rechte vorbehalten“."),
    )
    published_on = forms.DateField(
        label=pgettext_lazy("date of a material", "Stand"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
    )
    reviewed_on = forms.DateField(
        label=_("Zuletzt geprüft am"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        help_text=_("Gesetze und Formulare ändern sich: nach einem Jahr erinnern wir daran."),
    )
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Nur bei der Art „Link“."),
    )
    file = _file_field(required=False)

    def __init__(self, *args, material=None, **kwargs):
        self.material = material
        if material is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": material.kind,
                    "title": material.title,
                    "summary": material.summary,
                    "category": material.category_id,
                    "tags": ", ".join(tag.name for tag in material.tags.all()),
                    "languages": material.language_codes,
                    "audience": material.audience,
                    "source": material.source,
                    "licence": material.licence,
                    "published_on": material.published_on,
                    "reviewed_on": material.reviewed_on,
                    "url": material.url,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
        if material is not None:
            self.fields["file"].help_text = _(
                "Nur wenn aus einem Link eine Datei wird; sonst „Datei ersetzen“."
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return _checked(upload) if upload else None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        has_file = bool(self.material and self.material.versions.exists())
        if kind == Material.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Bitte geben Sie den Link an."))
        if (
            kind == Material.Kind.FILE
            and not data.get("file")
            and not has_file
            and "file" not in self.errors
        ):
            self.add_error("file", _("Bitte wählen Sie eine Datei."))
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        upload = data.pop("file", None)
        if data["kind"] == Material.Kind.FILE:
            data["url"] = ""
        return {**data, "upload": upload}


class ReplaceFileForm(forms.Form):
    file = _file_field(required=True)
    note = forms.CharField(
        label=_("Was ist neu?"),
        max_length=300,
        required=False,
        help_text=_("Ein Satz für die Versionsliste, z. B. „Neue Rechtslage ab 2026“."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()

    def clean_file(self):
        return _checked(self.cleaned_data["file"])


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = [
            "name",
            "name_en",
            "summary",
            "summary_en",
            "is_featured",
            "training_level",
            "position",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "training_level": Select,
        }


class AddMaterialForm(forms.Form):
    material = forms.IntegerField(
        label=_("Material (Nummer)"),
        min_value=1,
        help_text=_("Die Nummer steht in der Adresse des Materials: /materialien/<Nummer>/."),
    )

    def clean_material(self):
        pk = self.cleaned_data["material"]
        material = (
            Material.objects.filter(pk=pk, status=Material.Status.PUBLISHED)
            .only("pk", "title")
            .first()
        )
        if material is None:
            raise forms.ValidationError(
                _("Ein veröffentlichtes Material mit dieser Nummer gibt es nicht.")
            )
        return material
