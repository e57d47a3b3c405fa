from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


class StaffTwoFactorMiddleware:
    """Sends admins and regional coordinators without TOTP to its setup before anything else.

    Account pages (allauth, mounted at /konto/) stay reachable, so that staff can set up TOTP,
    manage e-mail addresses and sign out.
    """

    allowed_prefixes = ("/konto/", "/static/", "/i18n/", "/healthz", "/robots.txt")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_set_up_two_factor(request):
            url = reverse("mfa_activate_totp")
            # htmx would swap the setup page into a fragment; ask it to navigate instead.
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)

    def must_set_up_two_factor(self, request):
        if not settings.BFE_REQUIRE_STAFF_2FA:
            return False
        if request.path.startswith(self.allowed_prefixes):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.roles.is_bfe_staff:
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
