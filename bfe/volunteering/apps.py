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


def _link_records(sender, user, **kwargs):
    # Records a coordinator made with her address become hers as soon as she signs in or
    # confirms that address, so her start page and shifts show them at once.
    from .services import self_service

    self_service.link_records(user)


def _address_confirmed(sender, email_address, **kwargs):
    _link_records(sender, email_address.user)


class VolunteeringConfig(AppConfig):
    name = "bfe.volunteering"
    verbose_name = _("Engagement und Freiwillige")

    def ready(self):
        # Start-page sections and shortcuts (bfe/core/dashboard.py).
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from . import dashboard, dashboard_self_service  # noqa: F401

        user_logged_in.connect(_link_records, dispatch_uid="volunteering.link_on_login")
        email_confirmed.connect(_address_confirmed, dispatch_uid="volunteering.link_on_confirm")
        post_save.connect(
            _shelter_saved, sender="places.Shelter", dispatch_uid="volunteering.shelter_saved"
        )
