"""Forms of the moderation part: a suggestion, the decision on it, the queue's filter."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bfe.core.uploads import MATERIAL_TYPES, accept_attribute, check_upload

from ..models import Category, Suggestion


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    message = forms.CharField(
        label=pgettext_lazy("suggestion", "Nachricht"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Worum geht es, für wen ist es hilfreich – oder was sollte korrigiert werden?"),
    )
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(label=_("Datei"), required=False)
    category = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("weiß ich nicht"),
    )

    def __init__(self, *args, material=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.material = material
        self.fields["category"].queryset = Category.objects.order_by("position", "name")
        self.fields["file"].widget.attrs["accept"] = accept_attribute(MATERIAL_TYPES)
        self.fields["file"].help_text = _(
            "Optional. PDF, DOCX, XLSX, ODT, PNG, JPEG oder TXT, höchstens %(max)s."
        ) % {"max": filesizeformat(settings.MATERIAL_MAX_UPLOAD_BYTES)}
        if material is not None:
            # A correction names its material; title and category are the staff's to change.
            del self.fields["title"], self.fields["category"]
            self.fields["message"].label = _("Was sollte korrigiert werden?")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return check_upload(
            upload, allowed=MATERIAL_TYPES, max_bytes=settings.MATERIAL_MAX_UPLOAD_BYTES
        )

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("title") or "").strip()
        if self.material is None and "title" not in self.errors and not title:
            self.add_error("title", _("Bitte geben Sie einen Titel an."))
        return cleaned

    def service_fields(self):
        data = self.cleaned_data
        return {
            "title": data.get("title", ""),
            "message": data["message"],
            "url": data.get("url", ""),
            "checked_upload": data.get("file"),
            "category": data.get("category"),
            "material": self.material,
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Person, die den Vorschlag geschickt hat, bekommt sie per E-Mail."),
        error_messages={"required": _("Bitte begründen Sie die Ablehnung.")},
    )


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *Suggestion.Status.choices],
    )
