"""Who sees a coordinator's name, work e-mail, weekly hours and predecessors, who edits what.

The per-role comparison of whole pages is in bfe/core/tests/test_authorization_matrix.py; these
tests pin the QuerySet rules, the opt-in to a public contact, moving and closing a shelter, and
the page cache.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core import page_cache
from bfe.places import views
from bfe.places.forms import ShelterForm
from bfe.places.models import CoordinatorPosition, District, Region, Shelter
from bfe.places.services import set_public_contact, update_shelter
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    RegionFactory,
    ShelterFactory,
    shelter_form_data,
)

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_two_factor_here(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def nord_shelter():
    """A shelter in Mitte (region Nord) with a current coordinator and a predecessor."""
    shelter = ShelterFactory(name="GU Lindenhof", district=District.objects.get(number="01"))
    CoordinatorPositionFactory(
        shelter=shelter,
        person=UserFactory(full_name="Carla Kollegin", email="carla@traeger.example.org"),
        hours_per_week=Decimal("37.5"),
    )
    CoordinatorPositionFactory(
        shelter=shelter,
        person=UserFactory(full_name="Paula Vorgängerin"),
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    return shelter


def regional(slug):
    user = UserFactory()
    RoleFactory(
        user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug=slug)
    )
    return user


def coordinator_elsewhere():
    return CoordinatorPositionFactory(shelter=ShelterFactory()).person


def visible_names(user, shelter):
    rows = CoordinatorPosition.objects.visible_to(user).filter(shelter=shelter)
    return {(row.person.full_name if row.person else None): row for row in rows}


@pytest.mark.parametrize("kind", [None, Role.Kind.VOLUNTEER, Role.Kind.PARTNER])
def test_the_public_volunteers_and_partners_see_no_coordinator(nord_shelter, kind):
    viewer = RoleFactory(kind=kind).user if kind else None

    assert visible_names(viewer, nord_shelter) == {}


@pytest.mark.parametrize("viewer", ["coordinator_elsewhere", "regional_west"])
def test_colleagues_see_current_holders_without_hours_or_history(nord_shelter, viewer):
    user = coordinator_elsewhere() if viewer == "coordinator_elsewhere" else regional("west")

    rows = visible_names(user, nord_shelter)

    assert set(rows) == {"Carla Kollegin"}
    assert rows["Carla Kollegin"].weekly_hours is None
    assert rows["Carla Kollegin"].shows_history is False
    assert rows["Carla Kollegin"].contact_editable is False


@pytest.mark.parametrize("viewer", ["regional_nord", "admin"])
def test_the_shelters_staff_see_every_post_with_hours(nord_shelter, viewer):
    user = regional("nord") if viewer == "regional_nord" else RoleFactory(kind="admin").user

    rows = visible_names(user, nord_shelter)

    assert set(rows) == {"Carla Kollegin", "Paula Vorgängerin"}
    assert rows["Carla Kollegin"].weekly_hours == Decimal("37.5")
    assert all(row.shows_history and row.contact_editable for row in rows.values())


def test_the_stored_hours_are_not_even_loaded(nord_shelter):
    row = CoordinatorPosition.objects.visible_to(regional("west")).get(shelter=nord_shelter)

    assert "hours_per_week" in row.get_deferred_fields()


def test_a_coordinator_edits_the_public_contact_of_her_own_post_only(nord_shelter):
    carla = nord_shelter.positions.get(person__full_name="Carla Kollegin")
    colleague = CoordinatorPositionFactory(shelter=nord_shelter)

    rows = visible_names(carla.person, nord_shelter)

    assert rows["Carla Kollegin"].contact_editable is True
    assert rows[colleague.person.full_name].contact_editable is False
    assert "Paula Vorgängerin" not in rows


def test_an_opted_in_holder_is_shown_to_everyone_but_not_her_hours(nord_shelter):
    CoordinatorPosition.objects.filter(person__full_name="Carla Kollegin").update(
        public_contact=True
    )

    rows = visible_names(None, nord_shelter)

    assert set(rows) == {"Carla Kollegin"}
    assert rows["Carla Kollegin"].weekly_hours is None


def test_a_regional_coordinator_of_an_ended_region_sees_only_public_contacts(nord_shelter):
    ended = RegionFactory(
        districts=[nord_shelter.district],
        valid_from=datetime.date(2015, 1, 1),
        valid_until=YESTERDAY,
    )
    user = UserFactory()
    RoleFactory(user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=ended)

    assert visible_names(user, nord_shelter) == {}
    CoordinatorPosition.objects.filter(person__full_name="Carla Kollegin").update(
        public_contact=True
    )
    assert set(visible_names(user, nord_shelter)) == {"Carla Kollegin"}


# Opting in -------------------------------------------------------------------------------------


def test_a_coordinator_opts_in_and_anonymous_visitors_then_see_her_work_contact(nord_shelter):
    position = nord_shelter.positions.get(person__full_name="Carla Kollegin")
    url = reverse("places:position_contact", args=[nord_shelter.pk, position.pk])
    anonymous = Client()
    assert "carla@traeger.example.org" not in anonymous.get(nord_shelter.get_absolute_url()).text
    client = Client()
    client.force_login(position.person)

    form_page = client.get(url)
    response = client.post(url, {"public_contact": "on"})

    assert form_page.status_code == 200
    assert response.status_code == 302
    page = anonymous.get(nord_shelter.get_absolute_url()).text
    assert "Carla Kollegin" in page
    assert "carla@traeger.example.org" in page
    assert "37,5" not in page
    assert "Paula Vorgängerin" not in page

    client.post(url, {})

    position.refresh_from_db()
    assert position.public_contact is False
    assert "Carla Kollegin" not in anonymous.get(nord_shelter.get_absolute_url()).text


@pytest.mark.parametrize("editor", ["colleague", "regional_west", "partner"])
def test_nobody_else_switches_a_coordinators_public_contact(nord_shelter, editor):
    position = nord_shelter.positions.get(person__full_name="Carla Kollegin")
    person = {
        "colleague": lambda: CoordinatorPositionFactory(shelter=nord_shelter).person,
        "regional_west": lambda: regional("west"),
        "partner": lambda: RoleFactory(kind=Role.Kind.PARTNER).user,
    }[editor]()
    client = Client()
    client.force_login(person)

    response = client.post(
        reverse("places:position_contact", args=[nord_shelter.pk, position.pk]),
        {"public_contact": "on"},
    )

    assert response.status_code == 404
    position.refresh_from_db()
    assert position.public_contact is False
    with pytest.raises(PermissionDenied):
        set_public_contact(position=position, editor=person, public=True)


def test_the_regions_staff_switch_a_public_contact_for_her(nord_shelter):
    position = nord_shelter.positions.get(person__full_name="Carla Kollegin")

    set_public_contact(position=position, editor=regional("nord"), public=True)

    position.refresh_from_db()
    assert position.public_contact is True


def test_a_past_post_has_no_public_contact_to_switch(nord_shelter):
    past = nord_shelter.positions.get(person__full_name="Paula Vorgängerin")
    client = Client()
    client.force_login(past.person)

    response = client.get(reverse("places:position_contact", args=[nord_shelter.pk, past.pk]))

    assert response.status_code == 404


# Who edits a shelter: current regions and current posts only ---------------------------------


def test_a_former_coordinator_may_no_longer_edit_her_shelter(nord_shelter):
    former = nord_shelter.positions.get(person__full_name="Paula Vorgängerin").person

    assert not Shelter.objects.editable_by(former).filter(pk=nord_shelter.pk).exists()


def test_a_coordinator_whose_post_starts_later_may_not_edit_yet(nord_shelter):
    future = CoordinatorPositionFactory(
        shelter=nord_shelter, starts_on=datetime.date.today() + datetime.timedelta(days=7)
    )

    assert not Shelter.objects.editable_by(future.person).filter(pk=nord_shelter.pk).exists()


def test_after_a_recut_only_the_region_covering_the_district_today_may_edit(nord_shelter):
    old = RegionFactory(
        name="Alt-Nord",
        districts=[nord_shelter.district],
        valid_from=datetime.date(2015, 1, 1),
        valid_until=YESTERDAY,
    )
    new = RegionFactory(name="Mitte neu", districts=[nord_shelter.district], valid_from=YESTERDAY)
    old_staff, new_staff = UserFactory(), UserFactory()
    RoleFactory(user=old_staff, kind=Role.Kind.REGIONAL_COORDINATOR, region=old)
    RoleFactory(user=new_staff, kind=Role.Kind.REGIONAL_COORDINATOR, region=new)

    assert not Shelter.objects.editable_by(old_staff).filter(pk=nord_shelter.pk).exists()
    assert not Shelter.objects.in_staff_care_of(old_staff).filter(pk=nord_shelter.pk).exists()
    assert Shelter.objects.editable_by(new_staff).filter(pk=nord_shelter.pk).exists()


def test_a_region_no_longer_covering_a_district_grants_nothing_there(nord_shelter):
    nord = Region.objects.get(slug="nord")
    staff = regional("nord")
    nord.districts.remove(nord_shelter.district)

    assert not Shelter.objects.editable_by(staff).filter(pk=nord_shelter.pk).exists()


def test_editable_by_lists_each_shelter_once_for_staff_of_overlapping_regions(nord_shelter):
    staff = regional("nord")
    other = RegionFactory(districts=[nord_shelter.district])
    RoleFactory(user=staff, kind=Role.Kind.REGIONAL_COORDINATOR, region=other)
    staff = type(staff).objects.get(pk=staff.pk)  # fresh roles

    assert list(Shelter.objects.editable_by(staff).filter(pk=nord_shelter.pk)) == [nord_shelter]


# Moving and closing: staff only ----------------------------------------------------------------


def test_a_coordinator_is_not_offered_district_or_closing_date(nord_shelter):
    carla = nord_shelter.positions.get(person__full_name="Carla Kollegin").person

    form = ShelterForm(instance=nord_shelter, user=carla)

    assert "district" not in form.fields
    assert "closed_on" not in form.fields
    assert "residents" in form.fields


@pytest.mark.parametrize(
    "change",
    [{"district": "05"}, {"closed_on": "2026-01-31"}],
    ids=["move", "close"],
)
def test_a_coordinator_posting_a_move_or_closing_is_refused_with_a_reason(nord_shelter, change):
    carla = nord_shelter.positions.get(person__full_name="Carla Kollegin").person
    if "district" in change:
        change = {"district": District.objects.get(number=change["district"]).pk}
    client = Client()
    client.force_login(carla)

    response = client.post(
        reverse("places:shelter_edit", args=[nord_shelter.pk]),
        shelter_form_data(nord_shelter, description="Bleibt im Formular", **change),
    )

    assert response.status_code == 200
    assert "kann nur die Regionalkoordination oder die Projektleitung" in response.text
    assert "Bleibt im Formular" in response.text
    stored = Shelter.objects.get(pk=nord_shelter.pk)
    assert (stored.district.number, stored.closed_on, stored.description) == (
        "01",
        None,
        nord_shelter.description,
    )


def test_a_coordinator_posting_the_unchanged_district_saves_her_other_changes(nord_shelter):
    carla = nord_shelter.positions.get(person__full_name="Carla Kollegin").person
    client = Client()
    client.force_login(carla)

    response = client.post(
        reverse("places:shelter_edit", args=[nord_shelter.pk]),
        shelter_form_data(nord_shelter, district=nord_shelter.district_id, residents=99),
    )

    assert response.status_code == 302
    assert Shelter.objects.get(pk=nord_shelter.pk).residents == 99


def test_the_regional_coordinator_moves_and_closes_a_shelter_of_her_region(nord_shelter):
    staff = regional("nord")
    client = Client()
    client.force_login(staff)
    spandau = District.objects.get(number="05")

    response = client.post(
        reverse("places:shelter_edit", args=[nord_shelter.pk]),
        shelter_form_data(nord_shelter, district=spandau.pk, closed_on="2026-01-31"),
    )

    assert response.status_code == 302
    stored = Shelter.objects.get(pk=nord_shelter.pk)
    assert (stored.district, str(stored.closed_on)) == (spandau, "2026-01-31")


def test_the_service_refuses_a_move_by_a_coordinator_whatever_form_it_gets(nord_shelter):
    carla = nord_shelter.positions.get(person__full_name="Carla Kollegin").person
    saved = []

    class AnyForm:
        def save(self):
            saved.append(True)

    nord_shelter.district = District.objects.get(number="05")

    with pytest.raises(PermissionDenied):
        update_shelter(shelter=nord_shelter, editor=carla, form=AnyForm())
    assert saved == []


# The page cache never carries a name -----------------------------------------------------------


def test_a_staff_visit_leaves_no_names_in_the_page_served_to_anonymous_visitors(nord_shelter):
    staff = Client()
    staff.force_login(regional("nord"))
    assert "Paula Vorgängerin" in staff.get(nord_shelter.get_absolute_url()).text

    page = Client().get(nord_shelter.get_absolute_url()).text
    again = Client().get(nord_shelter.get_absolute_url()).text

    for text in (page, again):
        assert "Carla Kollegin" not in text
        assert "carla@traeger.example.org" not in text
        assert "Paula Vorgängerin" not in text


def test_a_signed_in_rendering_is_never_stored_even_without_a_session_cookie(nord_shelter):
    """Sign-in by any other means than the session cookie must not fill the shared cache."""
    request = RequestFactory().get(nord_shelter.get_absolute_url())
    request.user = regional("nord")
    request.session = {}

    response = views.shelter_detail(request, pk=nord_shelter.pk)

    assert "Paula Vorgängerin" in response.content.decode()
    assert page_cache._lookup(page_cache._key(request))[0] is None
