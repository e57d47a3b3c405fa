"""Demo opportunities for the board (bfe/volunteering/board_demo.py)."""

import pytest

from bfe.volunteering import board_demo
from bfe.volunteering.models import Opportunity, ShelterVolunteerFigures

pytestmark = pytest.mark.django_db


def test_the_demo_gives_coordinated_shelters_opportunities_and_counts_them(shelter, coordinator):
    counts = board_demo.seed(scale="small", seed=1)
    opportunities = Opportunity.objects.filter(shelter=shelter)
    assert counts == {"volunteering_opportunities": opportunities.count()}
    assert opportunities.exists()
    assert all(o.public_latitude == shelter.district.latitude for o in opportunities)
    open_count = opportunities.filter(status=Opportunity.Status.OPEN).count()
    figures = ShelterVolunteerFigures.objects.filter(shelter=shelter).first()
    assert (figures.open_opportunities if figures else 0) == open_count
