"""Forms for running an event: check-in, walk-ins, minutes and files."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bfe.core.uploads import accept_attribute, check_upload

MAX_QUERY_LENGTH = 100


def search_query(request):
    """The check-in page's `?q=` filter, trimmed and bounded."""
    return request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]


class AttendanceForm(forms.Form):
    """One tap at the door: the state the person should have, not "toggle", so that a
    double-tap or a repeated request cannot undo itself."""

    attended = forms.TypedChoiceField(
        choices=[("1", _("da")), ("0", _("nicht da"))], coerce=lambda value: value == "1"
    )
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        help_text=_(
            "Freiwillig. Ist die Person schon angemeldet oder auf der Warteliste, "
            "wird ihre Anmeldung übernommen."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.CharField(
        label=_("Organisation/Unterkunft"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Bitte geben Sie einen Namen an."))
        return name


class MinutesForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, initial=_("Protokoll"))
    text = forms.CharField(
        label=_("Protokoll"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **fett**, *kursiv*, Listen mit „-“, Überschriften mit „#“."),
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, DOCX, XLSX, ODT, PNG, JPEG oder TXT, höchstens %(max)s."),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        help_text=_("Leer lassen, um den Dateinamen zu verwenden."),
    )

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = field.help_text % {"max": filesizeformat(max_bytes)}
        field.widget.attrs["accept"] = accept_attribute()

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])
