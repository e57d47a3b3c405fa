from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "bfe.volunteering"
    verbose_name = _("Engagement und Freiwillige")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard  # noqa: F401
