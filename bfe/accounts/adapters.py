from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A self-registered person keeps the language they used the site in.
        user.language = (translation.get_language() or "de")[:2]
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.register_volunteer(user=user)
        return user
