"""Who sees and edits which shelters, vacancies, and the rules the database keeps."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.models import CoordinatorPosition, Organisation, Region, Shelter, today
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    DistrictFactory,
    OrganisationFactory,
    RegionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db

YESTERDAY = today() - datetime.timedelta(days=1)
TOMORROW = today() + datetime.timedelta(days=1)


@pytest.fixture
def shelters():
    """One open shelter in Nord, one in West, one with a public address, one closed."""
    return {
        "nord": ShelterFactory(name="GU Nord", district=berlin_district("01")),
        "west": ShelterFactory(name="GU West", district=berlin_district("05")),
        "public": ShelterFactory(
            name="GU Öffentlich", district=berlin_district("08"), address_public=True
        ),
        "closed": ShelterFactory(
            name="GU Geschlossen",
            district=berlin_district("03"),
            opened_on=datetime.date(2016, 1, 1),
            closed_on=datetime.date(2020, 6, 30),
        ),
    }


def person_with_role(kind, region=None):
    return RoleFactory(kind=kind, region=region).user


def coordinator_of(shelter):
    return CoordinatorPositionFactory(shelter=shelter).person


def viewer(name, shelters):
    if name == "anonymous":
        return AnonymousUser()
    if name == "coordinator":
        return coordinator_of(shelters["nord"])
    if name == "regional_coordinator":
        return person_with_role(Role.Kind.REGIONAL_COORDINATOR, berlin_region("nord"))
    if name == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    return person_with_role(name)


def visible(user):
    return {s.name: s.shows_address for s in Shelter.objects.visible_to(user)}


def editable(user):
    return set(Shelter.objects.editable_by(user).values_list("name", flat=True))


# visible_to: what a person sees, and whether the exact address shows


@pytest.mark.parametrize("name", ["anonymous", "volunteer", "partner"])
def test_public_and_non_staff_see_open_shelters_with_address_only_where_public(name, shelters):
    assert visible(viewer(name, shelters)) == {
        "GU Nord": False,
        "GU West": False,
        "GU Öffentlich": True,
    }


def test_coordinator_sees_open_shelters_with_exact_addresses(shelters):
    assert visible(viewer("coordinator", shelters)) == {
        "GU Nord": True,
        "GU West": True,
        "GU Öffentlich": True,
    }


@pytest.mark.parametrize("name", ["admin", "superuser", "regional_coordinator"])
def test_bfe_staff_see_closed_shelters_too_with_exact_addresses(name, shelters):
    assert visible(viewer(name, shelters)) == {
        "GU Nord": True,
        "GU West": True,
        "GU Öffentlich": True,
        "GU Geschlossen": True,
    }


def test_former_coordinator_no_longer_sees_exact_addresses(shelters):
    former = CoordinatorPositionFactory(
        shelter=shelters["nord"],
        starts_on=datetime.date(2020, 1, 1),
        ends_on=YESTERDAY,
    ).person

    assert visible(former)["GU Nord"] is False


def test_closed_shelter_is_hidden_from_the_public_even_with_a_public_address():
    ShelterFactory(name="GU Zu", address_public=True, closed_on=datetime.date(2021, 1, 1))

    assert visible(AnonymousUser()) == {}


# editable_by: who may change which shelter


@pytest.mark.parametrize("name", ["anonymous", "volunteer", "partner"])
def test_people_without_a_post_or_staff_role_edit_nothing(name, shelters):
    assert editable(viewer(name, shelters)) == set()


def test_coordinator_edits_only_her_own_shelter(shelters):
    assert editable(viewer("coordinator", shelters)) == {"GU Nord"}


def test_coordinator_whose_post_ended_edits_nothing(shelters):
    former = CoordinatorPositionFactory(
        shelter=shelters["nord"], starts_on=datetime.date(2020, 1, 1), ends_on=YESTERDAY
    ).person

    assert editable(former) == set()


def test_coordinator_whose_post_starts_tomorrow_edits_nothing_yet(shelters):
    future = CoordinatorPositionFactory(shelter=shelters["nord"], starts_on=TOMORROW).person

    assert editable(future) == set()


def test_regional_coordinator_edits_only_her_region_including_closed_shelters(shelters):
    # Pankow (03) belongs to Nord, as does Mitte (01).
    assert editable(viewer("regional_coordinator", shelters)) == {"GU Nord", "GU Geschlossen"}


def test_regional_coordinator_of_west_does_not_edit_nord():
    ShelterFactory(name="GU Mitte", district=berlin_district("01"))
    west = person_with_role(Role.Kind.REGIONAL_COORDINATOR, berlin_region("west"))

    assert editable(west) == set()


def test_coordinator_who_is_also_regional_coordinator_edits_both_scopes(shelters):
    person = coordinator_of(shelters["west"])
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))

    assert editable(person) == {"GU Nord", "GU West", "GU Geschlossen"}


def test_shelter_in_a_district_of_two_of_her_regions_is_listed_once():
    district = DistrictFactory()
    person = UserFactory()
    for region in (RegionFactory(districts=[district]), RegionFactory(districts=[district])):
        RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=region)
    ShelterFactory(name="GU Doppelt", district=district)

    assert list(Shelter.objects.editable_by(person).values_list("name", flat=True)) == [
        "GU Doppelt"
    ]


@pytest.mark.parametrize("name", ["admin", "superuser"])
def test_admins_edit_every_shelter(name, shelters):
    assert editable(viewer(name, shelters)) == {
        "GU Nord",
        "GU West",
        "GU Öffentlich",
        "GU Geschlossen",
    }


# with_vacancy: a shelter is staffed only by a current post with a person


def staffing(shelter):
    return Shelter.objects.with_vacancy().get(pk=shelter.pk).is_staffed


def test_shelter_with_a_current_staffed_post_is_staffed():
    position = CoordinatorPositionFactory()

    assert staffing(position.shelter) is True


def test_shelter_with_only_an_open_vacancy_is_vacant():
    position = CoordinatorPositionFactory(person=None)

    assert staffing(position.shelter) is False


def test_shelter_without_any_post_is_vacant():
    assert staffing(ShelterFactory()) is False


def test_shelter_whose_only_post_ended_is_vacant():
    position = CoordinatorPositionFactory(starts_on=datetime.date(2020, 1, 1), ends_on=YESTERDAY)

    assert staffing(position.shelter) is False


def test_post_ending_today_still_staffs_the_shelter():
    position = CoordinatorPositionFactory(ends_on=today())

    assert staffing(position.shelter) is True


def test_staffed_post_next_to_a_vacancy_keeps_the_shelter_staffed():
    position = CoordinatorPositionFactory()
    CoordinatorPositionFactory(shelter=position.shelter, person=None)

    assert staffing(position.shelter) is True


# Small model helpers


def test_position_knows_whether_it_is_vacant_and_current():
    vacancy = CoordinatorPositionFactory(person=None)
    ended = CoordinatorPositionFactory(starts_on=datetime.date(2020, 1, 1), ends_on=YESTERDAY)

    assert (vacancy.is_vacant, vacancy.is_current) == (True, True)
    assert (ended.is_vacant, ended.is_current) == (False, False)
    assert list(CoordinatorPosition.objects.past()) == [ended]
    assert list(CoordinatorPosition.objects.current()) == [vacancy]


def test_shelter_reports_occupancy_languages_and_closure():
    shelter = ShelterFactory(capacity=200, residents=150, languages=["ar", "uk"])

    assert shelter.occupancy_percent == 75
    assert shelter.language_names == ["Arabisch", "Ukrainisch"]
    assert shelter.is_closed is False
    assert ShelterFactory(capacity=0).occupancy_percent is None


def test_shelters_in_region_are_those_of_its_districts():
    region = RegionFactory()
    inside = ShelterFactory(district=region.districts.get())
    ShelterFactory()

    assert list(Shelter.objects.in_region(region)) == [inside]


def test_only_regions_valid_today_are_current():
    past = RegionFactory(valid_from=datetime.date(2016, 1, 1), valid_until=YESTERDAY)

    assert past not in Region.objects.current()
    assert set(Region.objects.current().values_list("slug", flat=True)) == {
        "nord",
        "west",
        "suedost",
    }


# Constraints the database keeps, whatever the code in front of it does


def test_position_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorPositionFactory(
            starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2024, 4, 30)
        )


def test_position_may_end_on_the_day_it_starts():
    day = datetime.date(2024, 5, 1)

    assert CoordinatorPositionFactory(starts_on=day, ends_on=day).pk


def test_region_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionFactory(valid_from=datetime.date(2019, 1, 1), valid_until=datetime.date(2018, 12, 31))


def test_shelter_cannot_close_before_it_opened():
    with pytest.raises(IntegrityError), transaction.atomic():
        ShelterFactory(opened_on=datetime.date(2020, 1, 1), closed_on=datetime.date(2019, 1, 1))


def test_regional_coordinator_role_needs_a_region():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=None)


@pytest.mark.parametrize("kind", [Role.Kind.ADMIN, Role.Kind.PARTNER, Role.Kind.VOLUNTEER])
def test_other_roles_have_no_region(kind):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(kind=kind, region=berlin_region("nord"))


def test_a_person_holds_an_unscoped_role_once():
    role = RoleFactory(kind=Role.Kind.PARTNER)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(user=role.user, kind=Role.Kind.PARTNER)


def test_a_person_coordinates_a_region_once_but_may_coordinate_two():
    role = RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    RoleFactory(user=role.user, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("west"))

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(
            user=role.user, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord")
        )


def test_organisation_names_are_unique_per_kind():
    OrganisationFactory(name="Hilfswerk Spree gGmbH")
    OrganisationFactory(name="Hilfswerk Spree gGmbH", kind=Organisation.Kind.PROJECT)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="Hilfswerk Spree gGmbH")
