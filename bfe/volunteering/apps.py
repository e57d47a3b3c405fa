from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "bfe.volunteering"
    verbose_name = _("Engagement und Freiwillige")
