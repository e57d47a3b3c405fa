"""Which region a shelter belongs to: one answer, through its district and the date."""

import datetime

import pytest

from bfe.places.models import Region
from bfe.places.tests.factories import (
    DistrictFactory,
    RegionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db


def test_a_berlin_shelter_belongs_to_the_region_of_its_district_today():
    shelter = ShelterFactory(district=berlin_district("01"))

    assert shelter.current_region() == berlin_region("nord")


def test_a_shelter_whose_district_is_in_no_region_has_none():
    shelter = ShelterFactory(district=DistrictFactory())

    assert shelter.current_region() is None


def test_a_region_re_cut_on_a_date_gives_the_district_its_new_region_from_then_on():
    district = DistrictFactory()
    old = RegionFactory(
        districts=[district],
        valid_from=datetime.date(2016, 1, 1),
        valid_until=datetime.date(2018, 12, 31),
    )
    new = RegionFactory(districts=[district], valid_from=datetime.date(2019, 1, 1))
    shelter = ShelterFactory(district=district)

    assert shelter.current_region(datetime.date(2018, 12, 31)) == old
    assert shelter.current_region(datetime.date(2019, 1, 1)) == new
    assert shelter.current_region() == new


def test_a_region_that_ended_leaves_its_districts_without_one():
    district = DistrictFactory()
    RegionFactory(
        districts=[district],
        valid_from=datetime.date(2016, 1, 1),
        valid_until=datetime.date(2018, 12, 31),
    )

    assert ShelterFactory(district=district).current_region() is None


def test_with_overlapping_validity_the_region_valid_on_the_date_and_then_the_newer_cut_wins():
    district = DistrictFactory()
    # The newer cut is created first: the order of creation does not decide.
    newer = RegionFactory(districts=[district], valid_from=datetime.date(2019, 1, 1))
    older = RegionFactory(
        districts=[district],
        valid_from=datetime.date(2016, 1, 1),
        valid_until=datetime.date(2019, 6, 30),
    )
    shelter = ShelterFactory(district=district)

    assert shelter.current_region(datetime.date(2018, 6, 1)) == older
    assert shelter.current_region(datetime.date(2019, 3, 1)) == newer
    assert shelter.current_region(datetime.date(2019, 7, 1)) == newer


def test_the_region_is_read_in_one_query(django_assert_num_queries):
    shelter = ShelterFactory(district=berlin_district("05"))
    west = berlin_region("west")

    with django_assert_num_queries(1):
        region = shelter.current_region()

    assert region == west


def test_a_district_can_be_asked_by_instance_or_id():
    district = berlin_district("12")

    assert Region.objects.of_district(district) == Region.objects.of_district(district.pk)
    assert Region.objects.of_district(district) == berlin_region("nord")
