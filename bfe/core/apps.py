from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bfe.core"
    verbose_name = "Core"

    def ready(self):
        from . import fragments, page_cache

        page_cache.connect_signals()
        fragments.connect_signals()
