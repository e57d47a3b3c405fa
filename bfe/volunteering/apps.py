from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _shelter_saved(sender, instance, raw=False, created=False, **kwargs):
    # A shelter that withdrew its consent to a public address (or moved) must not stay
    # findable by distance at its exact spot: its opportunities follow what is public now.
    if raw or created:
        return
    from .services import board

    board.refresh_public_position(shelter=instance)


class VolunteeringConfig(AppConfig):
    name = "bfe.volunteering"
    verbose_name = _("Engagement und Freiwillige")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from . import dashboard, dashboard_self_service  # noqa: F401

        post_save.connect(
            _shelter_saved, sender="places.Shelter", dispatch_uid="volunteering.shelter_saved"
        )
