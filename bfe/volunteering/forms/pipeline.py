"""Forms of the pipeline: the table's filters, adding a person, the stage, notes, messages,
templates, the checklist and the clearance. They parse and check; services do the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.places.models import LANGUAGE_CHOICES

from ..models import ChecklistItem, MessageTemplate, Volunteer
from ..services.pipeline_messages import validate_placeholders

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PipelineFilterForm(forms.Form):
    """The table's filters; invalid values are ignored, as a filter link may be old."""

    q = forms.CharField(
        label=_("Name oder E-Mail"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    stand = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("", _("alle")), *Volunteer.Stage.choices],
    )

    def filters(self):
        if not self.is_valid():
            return {"q": "", "stage": ""}
        return {"q": self.cleaned_data["q"].strip(), "stage": self.cleaned_data["stand"]}


class AddVolunteerForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        help_text=_("Gibt es die Adresse in Ihrer Unterkunft schon, öffnet sich deren Eintrag."),
    )
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Fähigkeiten und Interessen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_preference = forms.ChoiceField(
        label=_("Bevorzugter Kontakt"),
        choices=Volunteer.ContactPreference.choices,
        initial=Volunteer.ContactPreference.EMAIL,
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Bitte geben Sie einen Namen ein."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("contact_preference") == Volunteer.ContactPreference.PHONE and not data.get(
            "phone"
        ):
            self.add_error("phone", _("Für Kontakt per Telefon brauchen wir eine Nummer."))
        return data


class ContactForm(AddVolunteerForm):
    language = forms.ChoiceField(
        label=_("Sprache der E-Mails"),
        choices=[("de", _("Deutsch")), ("en", _("Englisch"))],
        help_text=_("In dieser Sprache kommen die Standardtexte der Vorlagen an."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = ""


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stand"), choices=Volunteer.Stage.choices)
    end_reason = forms.ChoiceField(
        label=_("Grund für das Ende"),
        required=False,
        choices=[("", _("– bitte wählen, wenn beendet –")), *Volunteer.EndReason.choices],
        help_text=_(
            "Nur bei „beendet“. „Hat nicht angefangen“ löscht die Angaben zum Führungszeugnis."
        ),
    )
    end_note = forms.CharField(label=_("Anmerkung zum Ende"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("stage") == Volunteer.Stage.ENDED and not data.get("end_reason"):
            self.add_error("end_reason", _("Bitte geben Sie an, warum das Engagement endet."))
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("next", "next"), ("previous", "previous")])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Neue Notiz"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Nur für die Koordination Ihrer Unterkunft sichtbar – und für die Person selbst "
            "in ihrer Datenauskunft."
        ),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Die Notiz ist leer."))
        return text


class PlaceholderField(forms.CharField):
    def validate(self, value):
        super().validate(value)
        validate_placeholders(value)


class MessageTemplateForm(forms.Form):
    subject = PlaceholderField(label=_("Betreff"), max_length=200)
    body = PlaceholderField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class SendMessageForm(MessageTemplateForm):
    kind = forms.ChoiceField(
        label=_("Vorlage"), choices=MessageTemplate.Kind.choices, widget=forms.HiddenInput
    )

    field_order = ["kind", "subject", "body"]


class ChecklistEntryForm(forms.Form):
    done_on = forms.DateField(label=_("erledigt am"), required=False, widget=DATE)

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise ValidationError(_("Das Datum liegt in der Zukunft."))
        return done_on


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["label", "position", "is_active"]
        labels = {"label": _("Bezeichnung")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].widget.attrs["min"] = 0
        if self.instance.kind != ChecklistItem.Kind.CUSTOM:
            self.fields["label"].help_text = _("Leer lassen für: %(name)s") % {
                "name": self.instance.get_kind_display()
            }

    def clean_label(self):
        label = (self.cleaned_data.get("label") or "").strip()
        if self.instance.kind == ChecklistItem.Kind.CUSTOM and not label:
            raise ValidationError(_("Bitte geben Sie dem Schritt eine Bezeichnung."))
        return label


class NewChecklistItemForm(forms.Form):
    label = forms.CharField(label=_("Neuer Schritt"), max_length=200)

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise ValidationError(_("Bitte geben Sie dem Schritt eine Bezeichnung."))
        return label


class ClearanceForm(forms.Form):
    inspected_on = forms.DateField(label=_("eingesehen am"), widget=DATE)
    issued_on = forms.DateField(label=_("Ausstellungsdatum des Zeugnisses"), widget=DATE)
    has_relevant_entry = forms.BooleanField(
        label=_(
            "Eine einschlägige Eintragung (§ 72a Abs. 1 SGB VIII) steht der Tätigkeit entgegen"
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        inspected, issued = data.get("inspected_on"), data.get("issued_on")
        if inspected and inspected > timezone.localdate():
            self.add_error("inspected_on", _("Das Datum liegt in der Zukunft."))
        if inspected and issued and issued > inspected:
            self.add_error(
                "issued_on", _("Das Zeugnis kann nicht nach der Einsichtnahme ausgestellt sein.")
            )
        return data
