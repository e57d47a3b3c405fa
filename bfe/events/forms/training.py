"""Input of the training pages: which participant BfE staff issue a certificate for."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import Enrolment


class IssueCertificateForm(forms.Form):
    """Staff issue a participant's certificate from the participants page."""

    person = forms.ModelChoiceField(
        label=_("Teilnehmer:in"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": _("Diese Person ist in der Reihe nicht angemeldet.")},
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = get_user_model().objects.filter(
            pk__in=Enrolment.objects.filter(series=series).values("person")
        )
