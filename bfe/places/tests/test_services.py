"""Changing places: coordinator posts start and end, shelters are edited by those allowed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.models import CoordinatorPosition, Shelter
from bfe.places.services import end_position, start_position, update_shelter
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2025, 3, 1)


def is_staffed(shelter):
    return Shelter.objects.with_vacancy().get(pk=shelter.pk).is_staffed


def posts(shelter):
    return list(
        CoordinatorPosition.objects.filter(shelter=shelter)
        .order_by("starts_on", "pk")
        .values_list("person", "starts_on", "ends_on")
    )


# start_position


def test_starting_a_post_closes_the_open_vacancy_the_day_before():
    vacancy = CoordinatorPositionFactory(
        person=None, starts_on=datetime.date(2024, 6, 1), hours_per_week=Decimal("30.0")
    )
    person = UserFactory()

    position = start_position(shelter=vacancy.shelter, person=person, starts_on=MARCH_1)

    assert posts(vacancy.shelter) == [
        (None, datetime.date(2024, 6, 1), datetime.date(2025, 2, 28)),
        (person.pk, MARCH_1, None),
    ]
    assert position.hours_per_week == Decimal("30.0")
    assert is_staffed(vacancy.shelter)


def test_starting_a_post_on_the_day_the_vacancy_opens_fills_the_vacancy():
    vacancy = CoordinatorPositionFactory(person=None, starts_on=MARCH_1)
    person = UserFactory()

    position = start_position(shelter=vacancy.shelter, person=person, starts_on=MARCH_1)

    assert position.pk == vacancy.pk
    assert posts(vacancy.shelter) == [(person.pk, MARCH_1, None)]


def test_starting_a_post_without_vacancy_adds_a_post():
    staffed = CoordinatorPositionFactory(starts_on=datetime.date(2024, 1, 1))
    person = UserFactory()

    start_position(shelter=staffed.shelter, person=person, starts_on=MARCH_1)

    assert posts(staffed.shelter) == [
        (staffed.person_id, datetime.date(2024, 1, 1), None),
        (person.pk, MARCH_1, None),
    ]


def test_starting_the_same_post_twice_creates_it_once():
    shelter = ShelterFactory()
    person = UserFactory()

    first = start_position(shelter=shelter, person=person, starts_on=MARCH_1)
    second = start_position(shelter=shelter, person=person, starts_on=MARCH_1)

    assert first.pk == second.pk
    assert CoordinatorPosition.objects.filter(shelter=shelter).count() == 1


def test_new_coordinator_may_edit_her_shelter():
    shelter = ShelterFactory()
    person = UserFactory()

    start_position(shelter=shelter, person=person)

    assert list(Shelter.objects.editable_by(person)) == [shelter]


# end_position


def test_ending_a_post_leaves_a_vacancy_from_the_next_day():
    position = CoordinatorPositionFactory(
        starts_on=datetime.date(2024, 1, 1), hours_per_week=Decimal("25.0")
    )

    vacancy = end_position(position=position, ends_on=datetime.date(2025, 2, 28))

    assert posts(position.shelter) == [
        (position.person_id, datetime.date(2024, 1, 1), datetime.date(2025, 2, 28)),
        (None, MARCH_1, None),
    ]
    assert vacancy.hours_per_week == Decimal("25.0")
    assert not is_staffed(position.shelter)


def test_ending_a_post_today_keeps_the_shelter_staffed_until_tonight():
    position = CoordinatorPositionFactory()

    end_position(position=position)

    assert is_staffed(position.shelter)


def test_ending_a_post_without_vacancy_leaves_no_post():
    position = CoordinatorPositionFactory(starts_on=datetime.date(2024, 1, 1))

    vacancy = end_position(position=position, ends_on=MARCH_1, leave_vacancy=False)

    assert vacancy is None
    assert CoordinatorPosition.objects.filter(shelter=position.shelter).count() == 1


def test_closing_a_vacancy_does_not_open_another():
    vacancy = CoordinatorPositionFactory(person=None, starts_on=datetime.date(2024, 1, 1))

    assert end_position(position=vacancy, ends_on=MARCH_1) is None
    assert posts(vacancy.shelter) == [(None, datetime.date(2024, 1, 1), MARCH_1)]


def test_a_post_cannot_end_before_it_started():
    position = CoordinatorPositionFactory(starts_on=MARCH_1)

    with pytest.raises(ValidationError):
        end_position(position=position, ends_on=datetime.date(2025, 2, 1))

    position.refresh_from_db()
    assert position.ends_on is None
    assert CoordinatorPosition.objects.filter(shelter=position.shelter).count() == 1


def test_vacancy_left_behind_can_be_filled_by_the_successor():
    position = CoordinatorPositionFactory(starts_on=datetime.date(2024, 1, 1))
    end_position(position=position, ends_on=datetime.date(2025, 2, 28))
    successor = UserFactory()

    start_position(shelter=position.shelter, person=successor, starts_on=MARCH_1)

    assert posts(position.shelter) == [
        (position.person_id, datetime.date(2024, 1, 1), datetime.date(2025, 2, 28)),
        (successor.pk, MARCH_1, None),
    ]


# update_shelter


class SavingForm:
    """Stands in for a validated ShelterForm: the service decides, the form saves."""

    saved = False

    def save(self):
        self.saved = True
        return "saved"


def test_coordinator_updates_her_own_shelter():
    position = CoordinatorPositionFactory()
    form = SavingForm()

    assert update_shelter(shelter=position.shelter, editor=position.person, form=form) == "saved"
    assert form.saved


def test_coordinator_may_not_update_another_shelter():
    position = CoordinatorPositionFactory()
    form = SavingForm()

    with pytest.raises(PermissionDenied):
        update_shelter(shelter=ShelterFactory(), editor=position.person, form=form)
    assert not form.saved


@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, Role.Kind.PARTNER])
def test_volunteers_and_partners_may_not_update_shelters(kind):
    form = SavingForm()

    with pytest.raises(PermissionDenied):
        update_shelter(shelter=ShelterFactory(), editor=RoleFactory(kind=kind).user, form=form)
    assert not form.saved
