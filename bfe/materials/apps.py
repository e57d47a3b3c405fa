from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "bfe.materials"
    verbose_name = _("Arbeitsmaterialien und Infos")

    def ready(self):
        # Start-page sections (bfe/core/dashboard.py) and the link to event documents; each
        # part of the app registers its own.
        from . import dashboard_moderation, dashboard_search, event_documents  # noqa: F401
