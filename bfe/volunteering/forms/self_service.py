"""Forms of the self-service part: hours, the Ehrenamtsnachweis's period, the profile."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.places.models import LANGUAGE_CHOICES, District

from ..models import WEEKDAY_CHOICES, HoursEntry, Volunteer, VolunteerProfile, mask_to_weekdays
from ..services.hours import MAX_HOURS, MIN_HOURS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.shelter.name


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.shelter.name})"


class OwnRecordMixin:
    """Her record among her shelters'; a hidden field when she has only one, whose errors
    are then shown for the whole form (a hidden field has no place to show them)."""

    def _set_records(self, records):
        self.fields["record"].queryset = records
        only = list(records[:2])
        if len(only) == 1:
            self.fields["record"].initial = only[0].pk
            self.fields["record"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if isinstance(self.fields["record"].widget, forms.HiddenInput) and "record" in self._errors:
            for error in self._errors.pop("record"):
                self.add_error(None, error)
        return cleaned


class HoursForm(forms.Form):
    """Hours entered by hand. The date may not lie in the future; 0,25 to 24 hours."""

    date = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 14.03.2026."),
        },
    )
    hours = forms.DecimalField(
        label=_("Stunden"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_("Zwischen 0,25 und 24, z. B. 2,5 für zweieinhalb Stunden."),
        error_messages={
            "required": _("Bitte geben Sie die Stunden an."),
            "invalid": _("Bitte geben Sie die Stunden als Zahl an, z. B. 2,5."),
            "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen, z. B. 2,25."),
            "max_digits": _("Bitte geben Sie zwischen 0,25 und 24 Stunden an."),
            "max_whole_digits": _("Bitte geben Sie zwischen 0,25 und 24 Stunden an."),
        },
    )
    activity = forms.CharField(
        label=_("Tätigkeit"),
        max_length=HoursEntry._meta.get_field("activity").max_length,
        widget=forms.TextInput(attrs={"list": "activity-suggestions"}),
        help_text=_("Zum Beispiel „Sprachcafé“ oder „Begleitung zum Bürgeramt“."),
        error_messages={"required": _("Bitte beschreiben Sie kurz, was Sie getan haben.")},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["date"].widget.attrs["max"] = self.today.isoformat()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > self.today:
            raise forms.ValidationError(
                _("Das Datum liegt in der Zukunft. Stunden lassen sich erst danach eintragen."),
                code="future",
            )
        return date

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours < MIN_HOURS or hours > MAX_HOURS:
            raise forms.ValidationError(
                _("Bitte geben Sie zwischen 0,25 und 24 Stunden an."), code="range"
            )
        return hours


class OwnHoursForm(OwnRecordMixin, HoursForm):
    """Her hours, for one of her shelters (asked only when she has several)."""

    record = RecordChoiceField(
        label=_("Unterkunft"),
        queryset=Volunteer.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Ihrer Unterkünfte.")},
    )

    field_order = ["record", "date", "hours", "activity"]

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_records(records)


class CoordinatorHoursForm(HoursForm):
    """Hours a coordinator enters for a volunteer of her shelters (confirmed at once)."""

    volunteer = VolunteerChoiceField(
        label=_("Freiwillige:r"),
        queryset=Volunteer.objects.none(),
        error_messages={
            "required": _("Bitte wählen Sie die Person aus."),
            "invalid_choice": _("Bitte wählen Sie eine Person Ihrer Unterkunft."),
        },
    )

    field_order = ["volunteer", "date", "hours", "activity"]

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class PeriodForm(forms.Form):
    """The period an Ehrenamtsnachweis covers."""

    period_start = forms.DateField(
        label=_("von"),
        widget=DateInput(),
        error_messages={
            "required": _("Bitte geben Sie den Beginn des Zeitraums an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 01.01.2026."),
        },
    )
    period_end = forms.DateField(
        label=_("bis"),
        widget=DateInput(),
        error_messages={
            "required": _("Bitte geben Sie das Ende des Zeitraums an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 31.12.2026."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Das Ende des Zeitraums liegt vor seinem Beginn."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("Der Zeitraum darf höchstens bis heute reichen."))
        return cleaned


class OwnPeriodForm(OwnRecordMixin, PeriodForm):
    record = RecordChoiceField(
        label=_("Unterkunft"),
        queryset=Volunteer.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Ihrer Unterkünfte.")},
    )

    field_order = ["record", "period_start", "period_end"]

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_records(records)


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=VolunteerProfile._meta.get_field("phone").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Freiwillig; nötig, wenn Sie per Telefon kontaktiert werden möchten."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Sprachen, die Sie sprechen"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie Sprachen aus der Liste.")},
    )
    skills = forms.CharField(
        label=_("Fähigkeiten und Interessen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zum Beispiel Kinderbetreuung, Handwerk, Nachhilfe in Mathematik."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("An diesen Tagen habe ich meist Zeit"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie Wochentage aus der Liste.")},
    )
    availability = forms.CharField(
        label=_("Verfügbarkeit"),
        required=False,
        max_length=VolunteerProfile._meta.get_field("availability").max_length,
        help_text=_("Zum Beispiel „abends ab 18 Uhr“ oder „zwei Samstage im Monat“."),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Bezirke, in denen Sie sich engagieren möchten"),
        queryset=District.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie Bezirke aus der Liste.")},
    )
    contact_preference = forms.ChoiceField(
        label=_("Bevorzugter Kontakt"),
        choices=Volunteer.ContactPreference.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, wie wir Sie am liebsten erreichen."),
            "invalid_choice": _("Bitte wählen Sie E-Mail oder Telefon."),
        },
    )

    @classmethod
    def initial_from(cls, profile):
        return {
            "phone": profile.phone,
            "languages": profile.languages,
            "skills": profile.skills,
            "weekdays": mask_to_weekdays(profile.weekdays),
            "availability": profile.availability,
            "districts": list(profile.districts.all()) if profile.pk else [],
            "contact_preference": profile.contact_preference,
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("contact_preference") == Volunteer.ContactPreference.PHONE
            and not (cleaned.get("phone") or "").strip()
        ):
            self.add_error("phone", _("Für Kontakt per Telefon brauchen wir Ihre Telefonnummer."))
        return cleaned

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+-/() " for ch in phone):
            raise forms.ValidationError(
                _("Bitte geben Sie nur Ziffern, Leerzeichen und + - / ( ) an, z. B. 030 123456."),
                code="phone",
            )
        if phone and sum(ch.isdigit() for ch in phone) < 5:
            raise forms.ValidationError(_("Diese Telefonnummer ist zu kurz."), code="phone_short")
        return phone
