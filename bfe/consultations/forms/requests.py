"""Forms of consultation requests: asking, filtering the inbox, scheduling and declining."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.fields import ModelMultipleChoiceField
from bfe.places.models import Shelter

from ..models import ConsultationRequest, Format, Topic

MESSAGE_MAX_LENGTH = ConsultationRequest._meta.get_field("message").max_length
TIMES_MAX_LENGTH = ConsultationRequest._meta.get_field("preferred_times").max_length
REASON_MAX_LENGTH = ConsultationRequest._meta.get_field("decline_reason").max_length
TOO_LONG = _(
    "Der Text ist zu lang: höchstens %(limit_value)d Zeichen, Sie haben %(show_value)d "
    "geschrieben. Bitte kürzen Sie ihn."
)


class TopicChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ConsultationRequestForm(forms.Form):
    """A coordinator asks for a consultation for one of her shelters."""

    shelter = forms.ModelChoiceField(
        label=_("Unterkunft"),
        queryset=Shelter.objects.none(),
        error_messages={"required": _("Bitte wählen Sie die Unterkunft, um die es geht.")},
    )
    topics = TopicChoiceField(
        label=_("Worum geht es?"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wählen Sie ein oder mehrere Themen."),
        error_messages={"required": _("Bitte wählen Sie mindestens ein Thema.")},
    )
    preferred_format = forms.ChoiceField(
        label=_("Wie möchten Sie beraten werden?"),
        choices=Format.choices,
        initial=Format.ON_SITE,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("Wie dringend ist es?"),
        choices=ConsultationRequest.Urgency.choices,
        initial=ConsultationRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("„Dringend“ bitte nur, wenn die Beratung in den nächsten Tagen sein muss."),
    )
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Kurz: Wie ist die Lage, was brauchen Sie? Bitte nennen Sie keine Namen von "
            "Bewohner:innen oder Freiwilligen."
        ),
        error_messages={"max_length": TOO_LONG},
    )
    preferred_times = forms.CharField(
        label=_("Wann passt es Ihnen?"),
        required=False,
        max_length=TIMES_MAX_LENGTH,
        help_text=_("Zum Beispiel „dienstags und donnerstags vormittags“."),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        shelters = Shelter.objects.filter(pk__in=Roles.of(user).shelter_ids).order_by("name")
        self.fields["shelter"].queryset = shelters
        self.fields["topics"].queryset = Topic.objects.active()
        # With a single shelter there is nothing to choose: it is shown as text instead.
        self.fixed_shelter = None
        only = list(shelters[:2])
        if len(only) == 1:
            self.fixed_shelter = only[0]
            self.fields["shelter"].initial = only[0].pk
            self.fields["shelter"].widget = forms.HiddenInput()


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("alle")), *ConsultationRequest.Status.choices],
        required=False,
    )


class ScheduleForm(forms.Form):
    """Date and time of the agreed consultation, in Berlin time."""

    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte geben Sie das Datum des Termins an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2026."),
        },
    )
    time = forms.TimeField(
        label=_("Uhrzeit"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Bitte geben Sie die Uhrzeit des Termins an."),
            "invalid": _("Bitte geben Sie eine gültige Uhrzeit an, z. B. 10:30."),
        },
    )

    @classmethod
    def for_request(cls, consultation_request, data=None):
        initial = {}
        if consultation_request.scheduled_for:
            local = timezone.localtime(consultation_request.scheduled_for)
            initial = {"date": local.date(), "time": local.time().replace(second=0)}
        return cls(data, initial=initial)

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day and time:
            scheduled_for = timezone.make_aware(
                datetime.datetime.combine(day, time), timezone.get_default_timezone()
            )
            if scheduled_for <= timezone.now():
                self.add_error(
                    "date",
                    _(
                        "Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen "
                        "künftigen Termin."
                    ),
                )
            cleaned["scheduled_for"] = scheduled_for
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Die anfragende Person erhält die Begründung per E-Mail. Nennen Sie, wenn möglich, "
            "wer stattdessen helfen kann."
        ),
        error_messages={
            "required": _("Bitte schreiben Sie eine Begründung für die Absage."),
            "max_length": TOO_LONG,
        },
    )
