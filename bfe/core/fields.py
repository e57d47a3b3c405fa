"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# The database's largest integer key (BigAutoField).
MAX_KEY = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing keys beyond the database's integer range as unknown choices.

    Django passes such keys on to a `pk__in` lookup, and SQLite then raises OverflowError (a
    500) instead of finding nothing.
    """

    def _check_values(self, value):
        for key in value if isinstance(value, list | tuple) else ():
            try:
                too_large = abs(int(key)) > MAX_KEY
            except (TypeError, ValueError):
                continue
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super()._check_values(value)
