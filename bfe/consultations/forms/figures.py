"""Filters of the outreach list and the figures page: GET forms whose bad input never fails."""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bfe.consultations.selectors import (
    OUTREACH_MONTHS_DEFAULT,
    OUTREACH_MONTHS_MAX,
    OUTREACH_MONTHS_MIN,
    default_period,
)
from bfe.places.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A month table over more than ten years helps nobody and costs the database.
MAX_PERIOD_YEARS = 10
EARLIEST = datetime.date(2000, 1, 1)


class OutreachFilterForm(forms.Form):
    """Months without contact (1–36) and, for people with several regions, one region."""

    monate = forms.IntegerField(
        label=_("Ohne Kontakt seit (Monaten)"),
        min_value=OUTREACH_MONTHS_MIN,
        max_value=OUTREACH_MONTHS_MAX,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("1 bis 36 Monate"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Regionen"),
    )

    def __init__(self, data=None, *, regions, offer_regions):
        super().__init__(data or None, initial={"monate": OUTREACH_MONTHS_DEFAULT})
        if offer_regions:
            self.fields["region"].queryset = regions
        else:
            del self.fields["region"]

    def filters(self):
        """(months, region): the valid choices, and the defaults where input was wrong."""
        if not self.is_bound:
            return OUTREACH_MONTHS_DEFAULT, None
        self.is_valid()  # cleaned_data keeps every field that is valid
        months = self.cleaned_data.get("monate") or OUTREACH_MONTHS_DEFAULT
        return months, self.cleaned_data.get("region")


class PeriodForm(forms.Form):
    """A period of days, by default the current year; at most ten years, from 2000 on."""

    von = forms.DateField(label=_("von"), required=False, widget=DATE_WIDGET)
    bis = forms.DateField(label=_("bis"), required=False, widget=DATE_WIDGET)

    def __init__(self, data=None):
        start, end = default_period()
        super().__init__(data or None, initial={"von": start, "bis": end})

    def clean_von(self):
        return self._not_too_early(self.cleaned_data["von"])

    def clean_bis(self):
        return self._not_too_early(self.cleaned_data["bis"])

    def _not_too_early(self, day):
        if day and day < EARLIEST:
            raise forms.ValidationError(
                _("Bitte wählen Sie ein Datum ab dem %(date)s."),
                params={"date": date_format(EARLIEST, "SHORT_DATE_FORMAT")},
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if "von" not in cleaned or "bis" not in cleaned:
            return cleaned
        start, end = self._complete(cleaned["von"], cleaned["bis"])
        if end < start:
            self.add_error("bis", _("Das Ende liegt vor dem Anfang des Zeitraums."))
        elif end > start + relativedelta(years=MAX_PERIOD_YEARS):
            self.add_error(
                "bis",
                _("Der Zeitraum darf höchstens %(years)s Jahre lang sein.")
                % {"years": MAX_PERIOD_YEARS},
            )
        return cleaned

    @staticmethod
    def _complete(start, end):
        """A missing side is taken from the year of the other one, else from the current year."""
        default_start, default_end = default_period()
        if start and not end:
            end = datetime.date(start.year, 12, 31)
        elif end and not start:
            start = datetime.date(end.year, 1, 1)
        return start or default_start, end or default_end

    def period(self):
        """(start, end): the chosen period if valid, else the current year."""
        if self.is_bound and self.is_valid():
            return self._complete(self.cleaned_data["von"], self.cleaned_data["bis"])
        return default_period()
