"""Forms of registration: external guests sign up for an event without an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bfe.accounts.models import User

from ..models import Registration


def _max_length(name):
    return Registration._meta.get_field(name).max_length


class GuestRegistrationForm(forms.Form):
    """Name, address and organisation of an external guest, and the language of her e-mails."""

    name = forms.CharField(
        label=_("Vor- und Nachname"),
        max_length=_max_length("guest_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=_max_length("guest_email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Dorthin schicken wir den Link, mit dem Sie Ihre Anmeldung bestätigen."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org."),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation oder Institution"),
        max_length=_max_length("guest_organisation"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("Freiwillig, z. B. Bezirksamt, Träger, Initiative."),
    )
    language = forms.ChoiceField(
        label=_("Sprache der E-Mails"),
        choices=User.Language.choices,
        initial=User.Language.GERMAN,
    )
    consent = forms.BooleanField(
        label=_("Ich bin mit der Speicherung meiner Angaben einverstanden."),
        help_text=_(
            "Das Beratungsforum Engagement speichert Ihre Angaben für diese Veranstaltung und "
            "schickt Ihnen dazu E-Mails."
        ),
        error_messages={
            "required": _("Ohne Ihr Einverständnis können wir Sie leider nicht anmelden.")
        },
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie Ihren Namen an."), code="required")
        return name
