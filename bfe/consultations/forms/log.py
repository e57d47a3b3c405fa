"""Forms of the consultation log: logging and editing a consultation, and the log's filters."""

import uuid

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import User
from bfe.core.fields import ModelMultipleChoiceField
from bfe.core.widgets import Select
from bfe.places.models import CoordinatorPosition, Shelter

from ..models import Attachment, Consultation, ConsultationRequest, Format, Topic
from ..selectors.log import shelters_to_log_for
from ..services.log import ACCEPTED_EXTENSIONS, check_upload

DATE_WIDGET_ATTRS = {"type": "date"}
MAX_FILES_PER_SUBMIT = 10


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by `check_upload`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}))
        # Empty files get our own message, with their name, from check_upload.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        uploads = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        if len(uploads) > MAX_FILES_PER_SUBMIT:
            raise ValidationError(
                _("Bitte laden Sie höchstens %(max)s Dateien auf einmal hoch."),
                params={"max": MAX_FILES_PER_SUBMIT},
            )
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return uploads


class ShelterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, shelter):
        if shelter.is_closed:
            return _("%(name)s (%(district)s, geschlossen)") % {
                "name": shelter.name,
                "district": shelter.district.name,
            }
        return f"{shelter.name} ({shelter.district.name})"


class ChooseShelterForm(forms.Form):
    """The first step when no shelter is given: its coordinators then appear as checkboxes."""

    shelter = ShelterChoiceField(
        label=_("Unterkunft"),
        queryset=Shelter.objects.none(),
        empty_label=_("Bitte wählen"),
        widget=forms.Select(attrs={"autofocus": True}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = shelters_to_log_for(user)


class ConsultationForm(forms.ModelForm):
    """Logs or edits a consultation. Never saved itself: the view passes `service_arguments()`
    to the log's services."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    consultation_request = forms.ModelChoiceField(
        queryset=ConsultationRequest.objects.none(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Die Anfrage ist inzwischen beantwortet oder abgesagt. Speichern Sie die "
                "Beratung ohne sie, oder öffnen Sie die Anfrage erneut."
            )
        },
    )
    attachments = MultipleFileField(
        label=_("Anhänge"),
        required=False,
    )
    remove_attachments = ModelMultipleChoiceField(
        label=_("Anhänge entfernen"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Consultation
        fields = [
            "shelter",
            "held_on",
            "duration_minutes",
            "format",
            "participants",
            "other_participants",
            "topics",
            "next_steps",
            "confidential_note",
        ]
        field_classes = {
            "shelter": ShelterChoiceField,
            "participants": ModelMultipleChoiceField,
            "topics": ModelMultipleChoiceField,
        }
        widgets = {
            "held_on": forms.DateInput(attrs=DATE_WIDGET_ATTRS, format="%Y-%m-%d"),
            "duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 600, "step": 5}),
            "format": forms.RadioSelect,
            "participants": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "confidential_note": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"participants": _("Beratene Koordinator:innen")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        is_new = self.instance.pk is None
        self.fields["shelter"].queryset = shelters_to_log_for(user)
        self.fields["shelter"].empty_label = None
        self.fields["attachments"].help_text = _(
            "PDF, DOCX, XLSX, ODT, PNG, JPEG oder TXT, je höchstens %(max)s. Anhänge sind so "
            "vertraulich wie die Notiz."
        ) % {"max": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        topics = Topic.objects.filter(is_active=True)
        if not is_new:
            # A retired topic stays selectable on the consultations that already have it.
            topics = Topic.objects.filter(Q(is_active=True) | Q(consultations=self.instance))
        self.fields["topics"].queryset = topics.distinct().order_by("position", "name")
        self.fields["topics"].error_messages["required"] = _(
            "Bitte wählen Sie mindestens ein Thema."
        )
        if is_new:
            del self.fields["remove_attachments"]
            self.fields[
                "consultation_request"
            ].queryset = ConsultationRequest.objects.answerable_by(user).open()
            if not self.is_bound:
                self.initial.setdefault("submission_key", uuid.uuid4().hex)
        else:
            del self.fields["submission_key"]
            del self.fields["consultation_request"]
            self.fields["remove_attachments"].queryset = self.instance.attachments.order_by("pk")
            if not self.fields["remove_attachments"].queryset:
                del self.fields["remove_attachments"]
        self.shelter = self._chosen_shelter()
        self._set_participant_choices()
        # The first field a person types into; the shelter is usually chosen already.
        first = "held_on" if self.shelter else "shelter"
        self.fields[first].widget.attrs["autofocus"] = True

    def _chosen_shelter(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("shelter"))
        else:
            value = self.initial.get("shelter") or self.instance.shelter_id
        value = getattr(value, "pk", value)
        if not value:
            return None
        try:
            return self.fields["shelter"].queryset.get(pk=value)
        except (Shelter.DoesNotExist, ValueError, TypeError, ValidationError):
            return None

    def _set_participant_choices(self):
        """Current coordinators of the chosen shelter, and anyone already ticked; anyone who
        holds or held a post there is accepted (a shelter chosen anew without JavaScript
        shows its own coordinators after the first submit)."""
        field = self.fields["participants"]
        if self.shelter is None:
            field.queryset = User.objects.none()
            field.help_text = _("Wählen Sie zuerst die Unterkunft.")
            return
        positions = list(
            CoordinatorPosition.objects.filter(
                shelter=self.shelter,
                person__isnull=False,
                starts_on__lte=timezone.localdate(),
            )
            .select_related("person")
            .order_by("person__full_name", "-starts_on")
        )
        field.queryset = User.objects.filter(pk__in={p.person_id for p in positions})
        selected = {str(pk) for pk in self._selected_participant_ids()}
        choices, seen = [], set()
        current = {p.person_id for p in positions if p.is_current}
        for position in positions:
            person = position.person
            if person.pk in seen:
                continue
            if person.pk in current:
                choices.append((person.pk, person.get_full_name()))
            elif str(person.pk) in selected:
                until = date_format(position.ends_on, "SHORT_DATE_FORMAT")
                label = _("%(name)s (bis %(date)s)") % {
                    "name": person.get_full_name(),
                    "date": until,
                }
                choices.append((person.pk, label))
            else:
                continue
            seen.add(person.pk)
        field.widget.choices = choices
        if not choices:
            field.help_text = _(
                "Die Unterkunft hat derzeit keine Koordinator:in. Tragen Sie die Beratenen "
                "unter „Weitere Beteiligte“ ein."
            )

    def _selected_participant_ids(self):
        if self.is_bound:
            return self.data.getlist(self.add_prefix("participants"))
        initial = self.initial.get("participants") or []
        return [getattr(person, "pk", person) for person in initial]

    def top_errors(self):
        """Errors shown above the form: its own, and those of hidden fields."""
        errors = list(self.non_field_errors())
        for field in self.hidden_fields():
            errors.extend(field.errors)
        return errors

    def full_clean(self):
        super().full_clean()
        # After an error, the cursor waits in the first field to correct.
        first_invalid = next((name for name in self.fields if name in self._errors), None)
        if first_invalid and not self.fields[first_invalid].widget.is_hidden:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[first_invalid].widget.attrs["autofocus"] = True

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(
                _("Das Datum liegt in der Zukunft. Erfassen Sie Beratungen, wenn sie stattfanden.")
            )
        return held_on

    def clean(self):
        cleaned = super().clean()
        if (
            "participants" in cleaned
            and not cleaned["participants"]
            and not cleaned.get("other_participants")
        ):
            self.add_error(
                "participants",
                _(
                    "Bitte wählen Sie mindestens eine beratene Person oder tragen Sie weitere "
                    "Beteiligte ein."
                ),
            )
        consultation_request = cleaned.get("consultation_request")
        shelter = cleaned.get("shelter")
        if consultation_request and shelter and consultation_request.shelter_id != shelter.pk:
            self.add_error("shelter", _("Die Anfrage kam von einer anderen Unterkunft."))
        return cleaned

    def grouped_fields(self):
        """The visible fields by fieldset, in rows, for the form template: a field alone in
        its row gets the full width."""
        groups = [
            ("when", _("Wann und wo"), [["shelter"], ["held_on", "duration_minutes"], ["format"]]),
            ("who", _("Wer war beteiligt?"), [["participants"], ["other_participants"]]),
            ("what", _("Worum ging es?"), [["topics"], ["next_steps"]]),
            (
                "confidential",
                _("Vertraulich"),
                [["confidential_note"], ["attachments"], ["remove_attachments"]],
            ),
        ]
        grouped = []
        for key, legend, rows in groups:
            rows = [[self[name] for name in row if name in self.fields] for row in rows]
            grouped.append((key, legend, [row for row in rows if row]))
        return grouped

    def service_arguments(self):
        """Keyword arguments for log_consultation / update_consultation."""
        data = self.cleaned_data
        arguments = {
            "shelter": data["shelter"],
            "held_on": data["held_on"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "participants": list(data["participants"]),
            "other_participants": data["other_participants"],
            "topics": list(data["topics"]),
            "confidential_note": data["confidential_note"],
            "next_steps": data["next_steps"],
            "files": data.get("attachments") or [],
        }
        if self.instance.pk is None:
            arguments["request"] = data.get("consultation_request")
            arguments["submission_key"] = data.get("submission_key") or None
        else:
            arguments["remove_attachments"] = list(data.get("remove_attachments") or [])
        return arguments


class ConsultationFilter(django_filters.FilterSet):
    """Filters of the log. The queryset passed in is already scoped to the viewer."""

    q = django_filters.CharFilter(
        label=_("Unterkunft"),
        method="search_shelter",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name der Unterkunft")}),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        queryset=Topic.objects.order_by("-is_active", "position", "name"),
        field_name="topics",
        to_field_name="slug",
        empty_label=_("alle Themen"),
        widget=Select,
    )
    format = django_filters.ChoiceFilter(
        label=_("Form"), choices=Format.choices, empty_label=_("alle Formen"), widget=Select
    )
    start = django_filters.DateFilter(
        label=_("von"),
        field_name="held_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs=DATE_WIDGET_ATTRS, format="%Y-%m-%d"),
    )
    end = django_filters.DateFilter(
        label=_("bis"),
        field_name="held_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs=DATE_WIDGET_ATTRS, format="%Y-%m-%d"),
    )

    class Meta:
        model = Consultation
        fields = ["q", "topic", "format", "start", "end"]

    def search_shelter(self, queryset, name, value):
        value = value.strip()[:100]
        return queryset.filter(shelter__name__icontains=value) if value else queryset
