"""The form of a new follow-up (Aufgabe)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import Roles
from bfe.places.models import Region, Shelter

from ..models import FollowUp
from ..selectors.followups import possible_owners

DEFAULT_DAYS_UNTIL_DUE = 7


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class FollowUpForm(forms.Form):
    """A task for a shelter or consultation. When the page is `anchored` to one (from the
    query string) there is no shelter to choose, and the owners are those of `anchor_region`.
    """

    title = forms.CharField(
        label=_("Aufgabe"),
        max_length=FollowUp._meta.get_field("title").max_length,
        help_text=_("Zum Beispiel „Vorlage für die Ehrenamtsvereinbarung schicken“."),
        error_messages={"required": _("Bitte beschreiben Sie die Aufgabe.")},
    )
    shelter = forms.ModelChoiceField(
        label=_("Unterkunft"),
        queryset=Shelter.objects.none(),
        error_messages={"required": _("Bitte wählen Sie die Unterkunft, um die es geht.")},
    )
    due_on = forms.DateField(
        label=_("Fällig am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("An diesem Tag erinnert Sie die Plattform per E-Mail."),
        error_messages={
            "required": _("Bitte geben Sie an, bis wann die Aufgabe erledigt sein soll."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2026."),
        },
    )
    owner = OwnerChoiceField(
        label=_("Zuständig"),
        queryset=possible_owners([]).none(),
        error_messages={"required": _("Bitte wählen Sie, wer die Aufgabe übernimmt.")},
    )

    def __init__(self, *args, user, anchored=False, anchor_region=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "due_on": timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS_UNTIL_DUE),
                "owner": user.pk,
            },
        )
        super().__init__(*args, **kwargs)
        roles = Roles.of(user)
        if anchored:
            del self.fields["shelter"]
        else:
            self.fields["shelter"].queryset = (
                Shelter.objects.editable_by(user).open().select_related("district").order_by("name")
            )
        if anchor_region is not None:
            region_ids = [anchor_region.pk]
        elif roles.is_admin:
            region_ids = Region.objects.current().values("pk")
        else:
            region_ids = roles.region_ids
        self.fields["owner"].queryset = possible_owners(region_ids)
        self.order_fields(["title", "shelter", "due_on", "owner"])

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(
                _("Das Datum liegt in der Vergangenheit. Bitte wählen Sie heute oder später.")
            )
        return due_on
