"""Forms of the shifts part: a coordinator's new shift (one-off or weekly), editing one shift or
all following, assigning a volunteer."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import WEEKDAY_CHOICES

MAX_SLOTS = 500


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class _Times(forms.Form):
    time_from = forms.TimeField(label=_("von"), widget=TimeInput())
    time_until = forms.TimeField(label=_("bis"), widget=TimeInput())
    slots = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=MAX_SLOTS, initial=2)
    note = forms.CharField(
        label=_("Hinweis für die Freiwilligen"),
        max_length=300,
        required=False,
        help_text=_("Zum Beispiel: Treffpunkt am Eingang, bitte Hausschuhe mitbringen."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("time_from"), data.get("time_until")
        if start and end and end <= start:
            self.add_error("time_until", _("Das Ende muss nach dem Beginn liegen."))
        return data


class ShiftCreateForm(_Times):
    """One date, or weekly on some weekdays from that date on."""

    ONCE, WEEKLY = "once", "weekly"
    NEVER, UNTIL, COUNT = "never", "until", "count"

    day = forms.DateField(label=_("Datum (erster Termin)"), widget=DateInput())
    repeat = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=[(ONCE, _("einmalig")), (WEEKLY, _("wöchentlich"))],
        initial=ONCE,
        widget=forms.RadioSelect,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("an diesen Wochentagen"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nur bei wöchentlicher Wiederholung; ohne Auswahl der Wochentag des Datums."),
    )
    interval = forms.IntegerField(
        label=_("alle … Wochen"), min_value=1, max_value=8, initial=1, required=False
    )
    ends = forms.ChoiceField(
        label=_("Ende der Reihe"),
        choices=[
            (NEVER, _("offen (Termine für ein halbes Jahr im Voraus)")),
            (UNTIL, _("bis zum Datum")),
            (COUNT, _("nach einer Anzahl von Terminen")),
        ],
        initial=NEVER,
        widget=forms.RadioSelect,
        required=False,
    )
    until = forms.DateField(label=_("bis zum"), widget=DateInput(), required=False)
    count = forms.IntegerField(
        label=_("Anzahl der Termine"), min_value=1, max_value=200, required=False
    )

    field_order = [
        "day", "time_from", "time_until", "slots", "note",
        "repeat", "weekdays", "interval", "ends", "until", "count",
    ]  # fmt: skip

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Vergangenheit."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("repeat") != self.WEEKLY:
            return data
        if not data.get("weekdays") and data.get("day"):
            data["weekdays"] = [data["day"].weekday()]
        data["interval"] = data.get("interval") or 1
        ends = data.get("ends") or self.NEVER
        data["ends"] = ends
        if ends == self.UNTIL:
            until = data.get("until")
            if not until:
                self.add_error("until", _("Bitte geben Sie an, bis wann die Reihe läuft."))
            elif data.get("day") and until < data["day"]:
                self.add_error("until", _("Das Ende der Reihe liegt vor dem ersten Termin."))
            elif data.get("day") and until > data["day"] + datetime.timedelta(days=3 * 366):
                self.add_error("until", _("Eine Reihe läuft höchstens drei Jahre."))
        if ends == self.COUNT and not data.get("count"):
            self.add_error("count", _("Bitte geben Sie die Anzahl der Termine an."))
        return data

    grouped_fields_spec = [
        (_("Datum und Uhrzeit"), ["day", "time_from", "time_until", "slots", "note"]),
        (_("Wiederholung"), ["repeat", "weekdays", "interval", "ends", "until", "count"]),
    ]

    @property
    def grouped_fields(self):
        return [
            (legend, [self[name] for name in names]) for legend, names in self.grouped_fields_spec
        ]


class ShiftEditForm(_Times):
    """One shift alone (its date too), or this and all following shifts of its series."""

    ONE, FOLLOWING = "one", "following"

    day = forms.DateField(label=_("Datum"), widget=DateInput())
    scope = forms.ChoiceField(
        label=_("Ändern"),
        choices=[
            (ONE, _("nur diesen Einsatz")),
            (FOLLOWING, _("diesen und alle folgenden der Reihe")),
        ],
        initial=ONE,
        widget=forms.RadioSelect,
    )
    field_order = ["day", "time_from", "time_until", "slots", "note", "scope"]

    def __init__(self, *args, shift, **kwargs):
        local_start = timezone.localtime(shift.starts_at)
        kwargs.setdefault(
            "initial",
            {
                "day": local_start.date(),
                "time_from": local_start.time(),
                "time_until": timezone.localtime(shift.ends_at).time(),
                "slots": shift.slots,
                "note": shift.note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = _("Ein anderes Datum gilt nur für diesen Einsatz.")
        if shift.series_id is None:
            del self.fields["scope"]

    def clean(self):
        data = super().clean()
        data.setdefault("scope", self.ONE)
        return data


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Freiwillige:r"),
        queryset=None,
        empty_label=_("Bitte wählen"),
        help_text=_("Freiwillige der Unterkunft in der Einarbeitung oder im aktiven Engagement."),
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
