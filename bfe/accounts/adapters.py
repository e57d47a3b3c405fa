from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A self-registered person keeps the language they used the site in.
        user.language = (translation.get_language() or "de")[:2]
        return super().save_user(request, user, form, commit=commit)
