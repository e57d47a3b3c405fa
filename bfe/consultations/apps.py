from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "bfe.consultations"
    verbose_name = _("Beratungen")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard  # noqa: F401
