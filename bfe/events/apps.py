from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "bfe.events"
    verbose_name = _("Veranstaltungen und Fortbildungen")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard  # noqa: F401
