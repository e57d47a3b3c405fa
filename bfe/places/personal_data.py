"""Places' share of "Meine Daten" (see bfe/core/personal_data.py): a coordinator's posts.

Erasure ends her current posts today, each leaving a vacancy as any ending post does, so that
the shelter's history of posts stays true; the ended posts lose her name with the account.
"""

from django.utils.translation import gettext as _

from bfe.core.personal_data import section

from . import services
from .models import CoordinatorPosition


def export(user):
    positions = CoordinatorPosition.objects.filter(person=user).select_related("shelter")
    return [
        section(
            "places.positions",
            _("Koordinationsstellen"),
            [
                {
                    _("Unterkunft"): position.shelter.name,
                    _("von"): position.starts_on,
                    _("bis"): position.ends_on,
                    _("Wochenstunden"): position.hours_per_week,
                    _("Öffentlicher Arbeitskontakt"): position.public_contact,
                }
                for position in positions.order_by("starts_on", "pk")
            ],
        )
    ]


def erase(user):
    ended = 0
    for position in CoordinatorPosition.objects.current().filter(person=user):
        services.end_position(position=position)
        ended += 1
    return {"positions_ended": ended}
