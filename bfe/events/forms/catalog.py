"""Forms of the calendar: events, Jour-fixe series, cancelling."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.core.fields import ModelMultipleChoiceField
from bfe.places.models import Region

from .. import selectors
from ..models import Event, Registration
from ..services.series import MAX_OCCURRENCES, build_rrule, occurrence_dates

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def berlin(date, time):
    """The aware datetime of a Berlin wall-clock date and time."""
    return timezone.make_aware(
        datetime.datetime.combine(date, time), timezone.get_default_timezone()
    )


def regions_for(user):
    """Regions a person may put events in: admins all current ones, others their own."""
    roles = Roles.of(user)
    if roles.is_admin:
        return Region.objects.current()
    return Region.objects.filter(pk__in=roles.region_ids)


class GroupedFieldsMixin:
    fieldsets = []

    def grouped_fields(self):
        """The visible fields by fieldset, for includes/form_fieldsets.html."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]


class EventForm(GroupedFieldsMixin, forms.ModelForm):
    """Create or edit an event. The form checks; `create_event`/`update_event` save."""

    date = forms.DateField(label=_("Datum"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT)
    end_date = forms.DateField(
        label=_("Enddatum"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Nur bei mehrtägigen Veranstaltungen."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Event.Status.DRAFT, _("Entwurf – nur für das Organisationsteam sichtbar")),
            (Event.Status.PUBLISHED, _("veröffentlicht")),
        ],
        initial=Event.Status.DRAFT,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "audience",
            "region",
            "description",
            "programme",
            "venue_name",
            "venue_address",
            "accessibility_notes",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "organisers",
        ]
        field_classes = {"organisers": ModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "programme": forms.Textarea(attrs={"rows": 6}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "registration_opens_at": DATETIME_INPUT,
            "registration_closes_at": DATETIME_INPUT,
            "organisers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "registration_opens_at": _("Leer: ab sofort."),
            "registration_closes_at": _("Leer: bis zum Beginn."),
        }

    fieldsets = [
        (_("Veranstaltung"), ["title", "kind", "audience", "region", "status"]),
        (_("Termin"), ["date", "start_time", "end_time", "end_date"]),
        (_("Ort"), ["venue_name", "venue_address", "online_url", "accessibility_notes"]),
        (_("Inhalt"), ["description", "programme"]),
        (_("Anmeldung"), ["capacity", "registration_opens_at", "registration_closes_at"]),
        (_("Organisation"), ["organisers"]),
    ]
    EVENT_FIELDS = [*Meta.fields[:-1], "status", "starts_at", "ends_at"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        kind = self.fields["kind"]
        if event.pk and event.kind == Event.Kind.TRAINING_MODULE:
            # Modules belong to their training series; their kind cannot change.
            kind.disabled = True
        else:
            kind.choices = [c for c in Event.Kind.choices if c[0] != Event.Kind.TRAINING_MODULE]
        region = self.fields["region"]
        regions = regions_for(user)
        if event.pk and event.region_id:
            regions = Region.objects.filter(Q(pk__in=regions.values("pk")) | Q(pk=event.region_id))
        region.queryset = regions.order_by("name")
        region.empty_label = _("berlinweit (keine Region)")
        region.help_text = _("Für Jours fixes Pflicht.")
        staff = selectors.staff_people()
        if event.pk:
            staff = staff.model.objects.filter(
                Q(pk__in=staff.values("pk")) | Q(pk__in=event.organisers.values("pk"))
            ).order_by("full_name", "email")
        self.fields["organisers"].queryset = staff
        self.fields["organisers"].required = True
        self.fields["organisers"].label = _("Personen im Organisationsteam")
        self.fields["organisers"].help_text = _("Sie sehen Teilnehmende und erhalten Rückfragen.")
        if event.pk:
            starts = timezone.localtime(event.starts_at)
            ends = timezone.localtime(event.ends_at)
            self.initial.update(
                date=starts.date(),
                start_time=starts.time(),
                end_time=ends.time(),
                end_date=ends.date() if ends.date() != starts.date() else None,
                status=event.status,
            )
            if event.status == Event.Status.CANCELLED:
                del self.fields["status"]
        else:
            self.initial.setdefault("organisers", [user.pk])

    def clean(self):
        cleaned = super().clean()
        # The checks below cover the model's constraints with messages people understand;
        # the service validates the model again before saving.
        self._validate_constraints = False
        date, start, end = (cleaned.get(k) for k in ("date", "start_time", "end_time"))
        if date and start and end:
            cleaned["starts_at"] = berlin(date, start)
            cleaned["ends_at"] = berlin(cleaned.get("end_date") or date, end)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        if cleaned.get("kind") == Event.Kind.JOUR_FIXE and not cleaned.get("region"):
            self.add_error(
                "region", _("Ein Jour fixe gehört zu einer Region. Bitte wählen Sie die Region.")
            )
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."),
            )
        if closes and cleaned.get("starts_at") and closes > cleaned["starts_at"]:
            self.add_error(
                "registration_closes_at",
                _("Der Anmeldeschluss muss vor dem Beginn der Veranstaltung liegen."),
            )
        if not cleaned.get("venue_name") and not cleaned.get("online_url"):
            self.add_error("venue_name", _("Bitte geben Sie einen Ort oder einen Online-Link an."))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.registrations.filter(
                status=Registration.Status.CONFIRMED
            ).count()
            if capacity < confirmed:
                self.add_error(
                    "capacity",
                    _(
                        "Es sind bereits %(count)s Personen angemeldet; es muss mindestens so "
                        "viele Plätze geben."
                    )
                    % {"count": confirmed},
                )
        return cleaned

    def event_fields(self):
        """The validated values as keyword arguments for create_event/update_event."""
        fields = {
            name: self.cleaned_data[name]
            for name in self.EVENT_FIELDS
            if name in self.cleaned_data and name != "organisers"
        }
        fields["organisers"] = list(self.cleaned_data["organisers"])
        return fields


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Angemeldeten"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional, z. B. der Grund oder ein Ersatztermin. Sie geht mit der Absage raus."
        ),
    )


WEEKDAYS = [
    ("MO", _("Montag")),
    ("TU", _("Dienstag")),
    ("WE", _("Mittwoch")),
    ("TH", _("Donnerstag")),
    ("FR", _("Freitag")),
    ("SA", _("Samstag")),
    ("SU", _("Sonntag")),
]
RHYTHMS = [
    ("month:1", _("jeden ersten im Monat")),
    ("month:2", _("jeden zweiten im Monat")),
    ("month:3", _("jeden dritten im Monat")),
    ("month:4", _("jeden vierten im Monat")),
    ("month:-1", _("jeden letzten im Monat")),
    ("week:1", _("jede Woche")),
    ("week:2", _("alle zwei Wochen")),
    ("week:3", _("alle drei Wochen")),
    ("week:4", _("alle vier Wochen")),
]


class SeriesForm(GroupedFieldsMixin, forms.Form):
    """A recurring Jour fixe: one region, one weekday, a rhythm, a time and a period."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **fett**, *kursiv*, Listen, Links."),
    )
    weekday = forms.ChoiceField(label=_("Wochentag"), choices=WEEKDAYS, initial="WE")
    rhythm = forms.ChoiceField(label=_("Rhythmus"), choices=RHYTHMS, initial="month:2")
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT, initial=datetime.time(10))
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT, initial=datetime.time(12))
    starts_on = forms.DateField(label=_("Erster Termin ab"), widget=DATE_INPUT)
    until = forms.DateField(label=_("Letzter Termin bis"), widget=DATE_INPUT)
    venue_name = forms.CharField(label=_("Ort"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online-Link"),
        required=False,
        help_text=_("Sehen nur angemeldete Teilnehmende."),
    )
    capacity = forms.IntegerField(
        label=_("Plätze"), required=False, min_value=1, help_text=_("Leer: unbegrenzt.")
    )

    fieldsets = [
        (_("Reihe"), ["title", "region", "description"]),
        (_("Rhythmus"), ["weekday", "rhythm", "start_time", "end_time", "starts_on", "until"]),
        (_("Ort und Plätze"), ["venue_name", "venue_address", "online_url", "capacity"]),
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_for(user).order_by("name")
        self.fields["region"].queryset = regions
        if len(self.fields["region"].queryset) == 1:
            self.fields["region"].initial = self.fields["region"].queryset[0]
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["until"].initial = datetime.date(today.year + (today.month >= 10), 12, 31)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        starts_on, until = cleaned.get("starts_on"), cleaned.get("until")
        if starts_on and until and until < starts_on:
            self.add_error("until", _("Das Ende der Reihe liegt vor ihrem Anfang."))
        elif starts_on and until and cleaned.get("weekday") and cleaned.get("rhythm"):
            cleaned["rrule"] = self.rrule()
            count = len(occurrence_dates(cleaned["rrule"], starts_on, until))
            if count == 0:
                self.add_error("until", _("In diesem Zeitraum ergibt die Regel keinen Termin."))
            elif count > MAX_OCCURRENCES:
                self.add_error(
                    "until",
                    _(
                        "Das wären %(count)s Termine; eine Reihe hat höchstens %(max)s. "
                        "Bitte wählen Sie einen kürzeren Zeitraum."
                    )
                    % {"count": count, "max": MAX_OCCURRENCES},
                )
        if not cleaned.get("venue_name") and not cleaned.get("online_url"):
            self.add_error("venue_name", _("Bitte geben Sie einen Ort oder einen Online-Link an."))
        return cleaned

    def rrule(self):
        unit, number = self.cleaned_data["rhythm"].split(":")
        weekday = self.cleaned_data["weekday"]
        if unit == "month":
            return build_rrule(weekday=weekday, week_of_month=int(number))
        return build_rrule(weekday=weekday, every_weeks=int(number))

    def series_fields(self):
        names = [
            "title",
            "region",
            "description",
            "rrule",
            "start_time",
            "end_time",
            "starts_on",
            "until",
            "venue_name",
            "venue_address",
            "online_url",
            "capacity",
        ]
        return {name: self.cleaned_data[name] for name in names}


class SeriesUntilForm(forms.Form):
    until = forms.DateField(
        label=_("Letzter Termin bis"),
        widget=DATE_INPUT,
        help_text=_(
            "Später: fehlende Termine werden ergänzt. Früher: spätere Termine ohne Anmeldungen "
            "werden gelöscht, solche mit Anmeldungen abgesagt."
        ),
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.fields["until"].initial = series.until

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < self.series.starts_on:
            raise forms.ValidationError(
                _("Die Reihe beginnt am %(date)s; ihr Ende kann nicht davor liegen."),
                params={"date": self.series.starts_on.strftime("%d.%m.%Y")},
            )
        count = len(occurrence_dates(self.series.rrule, self.series.starts_on, until))
        if count > MAX_OCCURRENCES:
            raise forms.ValidationError(
                _("Das wären %(count)s Termine; eine Reihe hat höchstens %(max)s."),
                params={"count": count, "max": MAX_OCCURRENCES},
            )
        return until
