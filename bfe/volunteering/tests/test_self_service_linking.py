"""Records a coordinator made with a person's address become hers when she signs in."""

import pytest

from bfe.accounts.tests.factories import PASSWORD

from .factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_signing_in_links_the_records_made_with_her_verified_address(
    client, shelter, other_shelter, volunteer_user
):
    here = VolunteerFactory(shelter=shelter, email=volunteer_user.email.upper())
    there = VolunteerFactory(shelter=other_shelter, email="jemand-anders@example.org")

    assert client.login(email=volunteer_user.email, password=PASSWORD)

    here.refresh_from_db()
    there.refresh_from_db()
    assert here.user == volunteer_user
    assert there.user is None


def test_a_record_of_another_account_is_never_taken_over(client, shelter, volunteer_user, someone):
    taken = VolunteerFactory(shelter=shelter, email=volunteer_user.email, user=someone)

    client.login(email=volunteer_user.email, password=PASSWORD)

    taken.refresh_from_db()
    assert taken.user == someone
