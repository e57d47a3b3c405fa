from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from . import services
from .models import Roles


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A self-registered person keeps the language they used the site in.
        user.language = (translation.get_language() or "de")[:2]
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.register_volunteer(user=user)
        return user

    def get_login_redirect_url(self, request):
        # A regional coordinator's day starts with the shelters nobody reached lately.
        if Roles.of(request.user).is_regional_coordinator:
            return reverse("consultations:outreach")
        return super().get_login_redirect_url(request)
