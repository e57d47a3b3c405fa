from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bfe.core"
    verbose_name = "Core"
