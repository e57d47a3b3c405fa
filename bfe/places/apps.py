from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "bfe.places"
    verbose_name = _("Regionen und Unterkünfte")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard  # noqa: F401
