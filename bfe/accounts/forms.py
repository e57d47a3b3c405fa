from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from bfe.places.models import Region, Shelter

from . import services
from .models import Invitation, User


class InvitationForm(forms.ModelForm):
    """An admin invites a person; region or shelter must fit the role."""

    class Meta:
        model = Invitation
        fields = ["email", "full_name", "language", "kind", "region", "shelter"]
        help_texts = {
            "full_name": _("Für die Anrede in der E-Mail; die Person kann ihn später ändern."),
            "region": _("Nur für Regionalkoordinator:innen."),
            "shelter": _("Nur für Ehrenamtskoordinator:innen."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.current()
        self.fields["shelter"].queryset = Shelter.objects.open().select_related("district")
        self.fields["region"].empty_label = _("– keine –")
        self.fields["shelter"].empty_label = _("– keine –")
        self.fields["kind"].choices = Invitation.Kind.choices
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            try:
                services.check_invitation_scope(
                    kind=kind, region=cleaned.get("region"), shelter=cleaned.get("shelter")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def validate_constraints(self):
        # The scope constraint is checked above with messages people understand.
        pass


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("alle")), *Invitation.Status.choices],
        required=False,
    )


def _password_help_text():
    return " ".join(str(text) for text in password_validators_help_texts())


password_help_text = lazy(_password_help_text, str)


class NewAccountForm(forms.Form):
    """Name and password of an invited person who has no account yet."""

    full_name = forms.CharField(
        label=_("Ihr Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_help_text(),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        if not self.is_bound and invitation.full_name:
            self.initial.setdefault("full_name", invitation.full_name)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            person = User(email=self.invitation.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password1, person)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DeleteAccountForm(forms.Form):
    """Deleting the account is confirmed with the password (allauth's reauthentication check:
    its rate limit and its login backends)."""

    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Zur Bestätigung, dass wirklich Sie es sind."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        from allauth.account.adapter import get_adapter

        password = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            raise ValidationError(
                _(
                    "Ihr Konto hat noch kein Passwort. Bitte legen Sie unter „Passwort ändern“ "
                    "eines fest und löschen Sie das Konto dann."
                ),
                code="no_password",
            )
        if not get_adapter().reauthenticate(self.user, password):
            raise ValidationError(
                _("Das Passwort stimmt nicht. Bitte versuchen Sie es noch einmal."),
                code="incorrect_password",
            )
        return password
