from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation

from . import services, tasks
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

    def send_mail(self, template_prefix, email, context):
        # Rendered now, with the request; a task sends it, and retries while SMTP is down.
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", ())
                if mimetype == "text/html"
            ),
            "",
        )
        tasks.send_account_email.enqueue(
            subject=message.subject,
            body=message.body,
            html=html,
            to=message.to,
            from_email=message.from_email,
        )
