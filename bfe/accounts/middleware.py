from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class StaffTwoFactorMiddleware:
    """Sends admins and regional coordinators without TOTP to its setup before anything else."""

    allowed_prefixes = ("/konto/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_set_up_two_factor(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def must_set_up_two_factor(self, request):
        if not settings.BFE_REQUIRE_STAFF_2FA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.roles.is_bfe_staff:
            return False
        if request.path.startswith(self.allowed_prefixes):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
