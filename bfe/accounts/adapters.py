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

    def send_password_reset_mail(self, user, email, context):
        # The task makes the link when it runs: the queue holds no token.
        tasks.send_password_reset_email.enqueue(
            user_id=user.pk, email=email, language=translation.get_language() or "de"
        )

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        # As above; the key is allauth's HMAC of the address id (ACCOUNT_EMAIL_CONFIRMATION_HMAC).
        tasks.send_email_confirmation.enqueue(
            email_address_id=emailconfirmation.email_address.pk,
            signup=signup,
            language=translation.get_language() or "de",
        )

    def send_mail(self, template_prefix, email, context):
        # E-mails without a token: rendered now, with the request; a task sends them, and
        # retries while SMTP is down. (Mails with login or reset codes are switched off.)
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
