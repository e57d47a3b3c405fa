"""The demo data: Berlin today, fictional, reproducible, and seeded only once.

The large scale is too slow for the suite; it is timed by hand on PostgreSQL.
"""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from bfe.accounts.models import Role, User
from bfe.accounts.tests.factories import UserFactory
from bfe.places import demo
from bfe.places.models import CoordinatorPosition, District, Organisation, Region, Shelter
from bfe.places.tests.factories import ShelterFactory, berlin_district

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin@bfe.example",
    "nord@bfe.example",
    "west@bfe.example",
    "suedost@bfe.example",
    "eak1@bfe.example",
    "eak2@bfe.example",
    "eak-alt1@bfe.example",
    "freiwillig1@bfe.example",
    "partner@bfe.example",
]


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    shelters = Shelter.objects.order_by("name").values_list(
        "name", "street", "postcode", "latitude", "longitude", "capacity", "residents"
    )
    people = User.objects.order_by("email").values_list("email", "full_name")
    return list(shelters), list(people)


def current_shelters(user):
    return list(
        CoordinatorPosition.objects.current()
        .filter(person=user)
        .values_list("shelter__district__regions__slug", "shelter__closed_on")
    )


def test_small_seed_is_berlin_today():
    output = seed_demo()

    assert "Unterkünfte: 120" in output
    assert Region.objects.count() == 3
    assert District.objects.count() == 12
    assert Shelter.objects.count() == 120
    assert 12 <= Organisation.objects.filter(kind=Organisation.Kind.OPERATOR).count() <= 20
    assert Organisation.objects.exclude(kind=Organisation.Kind.OPERATOR).count() >= 15
    assert Shelter.objects.filter(kind=Shelter.Kind.ARRIVAL_CENTRE).count() == 1
    assert 130 <= CoordinatorPosition.objects.count() <= 180
    assert CoordinatorPosition.objects.past().exists()
    assert 1 <= Shelter.objects.exclude(closed_on=None).count() <= 10
    assert 1 <= Shelter.objects.filter(address_public=True).count() <= 15


def test_about_fifteen_percent_of_open_shelters_have_no_coordinator():
    seed_demo()
    open_shelters = Shelter.objects.open().with_vacancy()

    vacant = open_shelters.filter(is_staffed=False).count()

    assert 0.10 <= vacant / open_shelters.count() <= 0.20
    # Both kinds of vacancy: an open post, and no current post at all.
    assert CoordinatorPosition.objects.current().filter(person=None).exists()
    assert (
        open_shelters.filter(is_staffed=False)
        .exclude(pk__in=CoordinatorPosition.objects.current().values("shelter"))
        .exists()
    )


def test_shelters_are_plausible_and_in_berlin():
    seed_demo()

    for shelter in Shelter.objects.all():
        assert 52.34 < shelter.latitude < 52.68
        assert 13.09 < shelter.longitude < 13.76
        assert 10115 <= int(shelter.postcode) <= 14199
        assert 50 <= shelter.capacity <= 1200
        assert 0.6 * shelter.capacity <= shelter.residents <= shelter.capacity
        assert shelter.opened_on.year in range(2015, 2026)
        assert shelter.languages
        assert shelter.description
        assert shelter.operator.website.endswith(".example.org/")


def test_demo_logins_have_password_demo_and_a_verified_email():
    seed_demo()
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_LOGINS)}

    assert sorted(users) == sorted(DEMO_LOGINS)
    # All logins share one hash, so checking one checks them all.
    assert users["admin@bfe.example"].check_password("demo")
    assert {u.password for u in users.values()} == {users["admin@bfe.example"].password}
    verified = EmailAddress.objects.filter(
        email__in=DEMO_LOGINS, verified=True, primary=True
    ).count()
    assert verified == len(DEMO_LOGINS)


def test_demo_logins_hold_their_documented_roles():
    seed_demo()
    user = {u.email.split("@")[0]: u for u in User.objects.all()}

    assert user["admin"].roles.is_admin
    assert user["admin"].is_staff and user["admin"].is_superuser
    for slug in ("nord", "west", "suedost"):
        assert user[slug].roles.region_ids == {Region.objects.get(slug=slug).pk}
    assert user["freiwillig1"].roles.is_volunteer
    assert user["partner"].roles.is_partner
    assert current_shelters(user["eak1"]) == [("nord", None)]
    assert current_shelters(user["eak2"]) == [("west", None)]
    assert current_shelters(user["eak-alt1"]) == []
    assert user["eak-alt1"].coordinator_positions.past().exists()


def test_same_seed_gives_identical_data_and_another_seed_other_data():
    seed_demo("--seed", "7")
    first = snapshot()

    seed_demo("--seed", "7", "--reset")
    again = snapshot()
    seed_demo("--seed", "8", "--reset")
    other = snapshot()

    assert again == first
    assert other != first


def test_second_run_without_reset_creates_nothing():
    seed_demo()
    before = (Shelter.objects.count(), User.objects.count(), CoordinatorPosition.objects.count())

    output = seed_demo()

    assert "schon vorhanden" in output
    after = (Shelter.objects.count(), User.objects.count(), CoordinatorPosition.objects.count())
    assert after == before


def test_reset_replaces_only_demo_data():
    own_shelter = ShelterFactory(district=berlin_district("01"))
    own_person = UserFactory(email="someone@example.com")
    seed_demo()

    seed_demo("--reset")

    assert Shelter.objects.count() == 121
    assert Shelter.objects.filter(pk=own_shelter.pk).exists()
    assert User.objects.filter(pk=own_person.pk).exists()
    assert Organisation.objects.filter(pk=own_shelter.operator_id).exists()
    assert User.objects.filter(email="admin@bfe.example").count() == 1
    assert District.objects.count() == 12


def test_nationwide_scale_adds_synthetic_regions_and_districts_and_reset_removes_them():
    scale = demo.Scale(
        shelters=80,
        operators=6,
        civil_society_organisations=4,
        synthetic_regions=2,
        districts_per_region=3,
        history_weights=(25, 40, 25, 10),
    )

    counts = demo.seed(scale=scale, seed=1)

    assert counts["regions"] == 5
    assert counts["districts"] == 18
    synthetic = District.objects.filter(number__startswith="DE-")
    assert synthetic.count() == 6
    assert Region.objects.get(slug="de-01").districts.count() == 3
    assert Role.objects.filter(region__slug="de-02", user__email="rk-de-02@bfe.example").exists()
    assert Shelter.objects.count() == 80
    for shelter in Shelter.objects.filter(district__in=synthetic):
        assert 47 < shelter.latitude < 55.1
        assert 5.8 < shelter.longitude < 15.1
        assert shelter.city != "Berlin"

    demo.seed(scale="small", seed=1, reset=True)

    assert not District.objects.filter(number__startswith="DE-").exists()
    assert Region.objects.count() == 3
    assert Shelter.objects.count() == 120
