from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bfe.accounts"
    verbose_name = _("Konten und Rollen")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard  # noqa: F401
