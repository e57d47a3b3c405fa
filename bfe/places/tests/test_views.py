import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.models import District, Region, Shelter
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    shelter_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor_here(settings):
    # The 2FA requirement has its own tests; these are about places.
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def mitte():
    return District.objects.get(number="01")


@pytest.fixture
def spandau():
    return District.objects.get(number="05")


@pytest.fixture
def coordinator(mitte):
    user = UserFactory(email="eak@example.org")
    shelter = ShelterFactory(name="GU Am Wiesengrund", district=mitte, street="Wiesenweg 5")
    CoordinatorPositionFactory(shelter=shelter, person=user)
    return user


def map_data(client, params=None):
    """The directory's map for these filters, as the page's script fetches it: exact pins
    (`shelters`) and district counts (`districts`)."""
    response = client.get(reverse("places:shelter_map"), params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    shelters, districts = [], []
    for feature in json.loads(response.content)["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        point = {**feature["properties"], "lat": lat, "lng": lng}
        (districts if point.pop("kind") == "district" else shelters).append(point)
    return {"shelters": shelters, "districts": districts}


def test_public_directory_shows_district_but_neither_street_nor_pin(client, mitte):
    ShelterFactory(name="GU Geheim", district=mitte, street="Versteckweg 1", address_public=False)

    response = client.get(reverse("places:shelter_list"))

    assert response.status_code == 200
    assert "GU Geheim" in response.text
    assert "Versteckweg" not in response.text
    points = map_data(client)
    assert points["shelters"] == []
    assert points["districts"] == [
        {"name": "Mitte", "lat": float(mitte.latitude), "lng": float(mitte.longitude), "count": 1}
    ]


def test_public_sees_the_address_that_bfe_made_public(client, mitte):
    ShelterFactory(name="GU Offen", district=mitte, street="Offener Weg 2", address_public=True)

    response = client.get(reverse("places:shelter_list"))

    assert "Offener Weg 2" in response.text
    assert [p["name"] for p in map_data(client)["shelters"]] == ["GU Offen"]


def test_signed_in_coordinator_sees_exact_addresses_and_pins(client, coordinator, mitte):
    ShelterFactory(name="GU Anderswo", district=mitte, street="Fremde Str. 9")
    client.force_login(coordinator)

    response = client.get(reverse("places:shelter_list"))

    assert "Fremde Str. 9" in response.text
    names = {p["name"] for p in map_data(client)["shelters"]}
    assert names == {"GU Am Wiesengrund", "GU Anderswo"}


def test_closed_shelters_are_hidden_from_the_public_but_shown_to_staff(client, mitte):
    closed = ShelterFactory(
        name="NU Ehemals", district=mitte, opened_on="2016-01-01", closed_on="2020-01-01"
    )
    admin = UserFactory()
    RoleFactory(user=admin, kind=Role.Kind.ADMIN)

    assert "NU Ehemals" not in client.get(reverse("places:shelter_list")).text
    assert client.get(closed.get_absolute_url()).status_code == 404
    client.force_login(admin)
    assert "NU Ehemals" in client.get(reverse("places:shelter_list")).text
    assert client.get(closed.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "nord"}, {"GU Mitte", "AE Mitte"}),
        ({"region": "west"}, {"GU Spandau"}),
        ({"district": "spandau"}, {"GU Spandau"}),
        ({"kind": Shelter.Kind.RECEPTION}, {"AE Mitte"}),
        ({"vacancy": "vacant"}, {"AE Mitte", "GU Spandau"}),
        ({"vacancy": "staffed"}, {"GU Mitte"}),
        ({"q": "spandau"}, {"GU Spandau"}),
        ({"q": "   "}, {"GU Mitte", "AE Mitte", "GU Spandau"}),
    ],
)
def test_directory_filters_narrow_the_list(client, mitte, spandau, params, expected):
    staffed = ShelterFactory(name="GU Mitte", district=mitte, kind=Shelter.Kind.COMMUNITY)
    CoordinatorPositionFactory(shelter=staffed)
    ShelterFactory(name="AE Mitte", district=mitte, kind=Shelter.Kind.RECEPTION)
    ShelterFactory(name="GU Spandau", district=spandau, kind=Shelter.Kind.COMMUNITY)

    response = client.get(reverse("places:shelter_list"), params)

    listed = {s.name for s in response.context["page"].object_list}
    assert listed == expected
    # The map shows exactly the filtered set, not only the page.
    counts = sum(d["count"] for d in map_data(client, params)["districts"])
    assert counts == len(expected)


def test_filter_by_operator(client, mitte):
    shelter = ShelterFactory(name="GU Betrieben", district=mitte)
    ShelterFactory(name="GU Andere", district=mitte)

    response = client.get(reverse("places:shelter_list"), {"operator": shelter.operator_id})

    assert [s.name for s in response.context["page"].object_list] == ["GU Betrieben"]


def test_public_search_does_not_reveal_hidden_addresses(client, mitte):
    ShelterFactory(name="GU Eins", district=mitte, street="Geheimgasse 3", address_public=False)

    response = client.get(reverse("places:shelter_list"), {"q": "Geheimgasse"})

    assert list(response.context["page"].object_list) == []
    assert "Keine Unterkunft gefunden" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"region": "gibt-es-nicht"},
        {"district": "<script>"},
        {"operator": "abc"},
        {"kind": "castle"},
        {"vacancy": "maybe"},
        {"seite": "-1"},
        {"seite": "999999"},
        {"q": "x" * 5000},
    ],
)
def test_bad_filter_input_is_answered_without_error(client, mitte, params):
    ShelterFactory(name="GU Eins", district=mitte)

    response = client.get(reverse("places:shelter_list"), params)

    assert response.status_code == 200


def test_htmx_request_gets_only_the_results_fragment(client, mitte):
    ShelterFactory(name="GU Eins", district=mitte)

    response = client.get(reverse("places:shelter_list"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "GU Eins" in response.text
    assert "karte.geojson" in response.text


def test_directory_is_paginated_and_keeps_filters(client, mitte, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for number in range(5):
        ShelterFactory(name=f"GU {number}", district=mitte)

    response = client.get(reverse("places:shelter_list"), {"district": "mitte", "seite": 2})

    assert [s.name for s in response.context["page"].object_list] == ["GU 2", "GU 3"]
    assert "?district=mitte&amp;seite=3" in response.text


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "coordinator", "admin"])
def test_directory_and_detail_queries_do_not_grow_with_data(client, mitte, spandau, viewer):
    if viewer != "anonymous":
        user = UserFactory()
        if viewer == "admin":
            RoleFactory(user=user, kind=Role.Kind.ADMIN)
        client.force_login(user)

    def add_shelters(count):
        for _ in range(count):
            shelter = ShelterFactory(district=mitte)
            CoordinatorPositionFactory(shelter=shelter)
            CoordinatorPositionFactory(
                shelter=shelter, starts_on="2017-01-01", ends_on="2018-01-01"
            )
        if viewer == "coordinator":
            CoordinatorPositionFactory(shelter=shelter, person=user)
        return shelter

    urls = lambda shelter: [  # noqa: E731
        reverse("places:shelter_list"),
        reverse("places:shelter_list") + "?region=nord&vacancy=staffed&q=GU",
        shelter.get_absolute_url(),
        reverse("places:region_list"),
        reverse("places:region_detail", args=["nord"]),
        reverse("core:home"),
    ]
    shelter = add_shelters(3)
    small = [count_queries(client, url) for url in urls(shelter)]
    shelter = add_shelters(30)
    large = [count_queries(client, url) for url in urls(shelter)]

    assert small == large


def test_shelter_detail_shows_past_coordinators_to_the_regions_staff_only(
    client, coordinator, regional_nord
):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    former = UserFactory(full_name="Frieda Früher")
    CoordinatorPositionFactory(
        shelter=shelter, person=former, starts_on="2017-01-01", ends_on="2019-06-30"
    )

    anonymous = client.get(shelter.get_absolute_url())
    client.force_login(coordinator)
    own_coordinator = client.get(shelter.get_absolute_url())
    client.force_login(regional_nord)
    staff = client.get(shelter.get_absolute_url())

    assert "Frieda Früher" not in anonymous.text
    assert coordinator.email not in anonymous.text
    assert "Koordination besetzt" in anonymous.text
    assert "Frieda Früher" not in own_coordinator.text
    assert coordinator.email in own_coordinator.text
    assert "Frieda Früher" in staff.text
    assert coordinator.email in staff.text


def test_unknown_shelter_and_region_are_404(client):
    assert client.get(reverse("places:shelter_detail", args=[999999])).status_code == 404
    assert client.get(reverse("places:region_detail", args=["atlantis"])).status_code == 404


def test_region_page_names_its_coordinator_and_districts(client):
    nord = Region.objects.get(slug="nord")
    RoleFactory(
        user=UserFactory(full_name="Nora Nord"), kind=Role.Kind.REGIONAL_COORDINATOR, region=nord
    )

    response = client.get(nord.get_absolute_url())

    assert "Nora Nord" in response.text
    assert "Pankow" in response.text
    assert "Spandau" not in response.text


def test_coordinator_edits_her_shelter(client, coordinator):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    client.force_login(coordinator)

    response = client.post(
        reverse("places:shelter_edit", args=[shelter.pk]),
        shelter_form_data(
            shelter, residents=321, description="Neu: Sprachcafé", languages=["ar", "uk"]
        ),
    )

    assert response.status_code == 302
    shelter.refresh_from_db()
    assert (shelter.residents, shelter.description) == (321, "Neu: Sprachcafé")
    assert shelter.languages == ["ar", "uk"]


def test_coordinator_cannot_make_her_address_public(client, coordinator):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    client.force_login(coordinator)

    form = client.get(reverse("places:shelter_edit", args=[shelter.pk])).context["form"]
    client.post(
        reverse("places:shelter_edit", args=[shelter.pk]),
        shelter_form_data(shelter, address_public="on"),
    )

    assert "address_public" not in form.fields
    shelter.refresh_from_db()
    assert shelter.address_public is False


def test_bad_edit_keeps_what_was_entered_and_explains_in_german(client, coordinator, regional_nord):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    # Closing dates are for staff: coordinators are not offered the field.
    client.force_login(regional_nord)

    response = client.post(
        reverse("places:shelter_edit", args=[shelter.pk]),
        shelter_form_data(
            shelter,
            description="Mein langer Text",
            opened_on="2020-05-01",
            closed_on="2019-01-01",
            latitude="52.5",
            longitude="",
            capacity="viele",
        ),
    )

    assert response.status_code == 200
    assert "Das Schließdatum liegt vor dem Eröffnungsdatum." in response.text
    assert "Bitte Breiten- und Längengrad zusammen angeben." in response.text
    assert "Mein langer Text" in response.text
    shelter.refresh_from_db()
    assert shelter.description != "Mein langer Text"


def test_edit_form_speaks_english_when_asked(client, coordinator, regional_nord):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    client.force_login(regional_nord)

    response = client.post(
        reverse("places:shelter_edit", args=[shelter.pk]),
        shelter_form_data(shelter, opened_on="2020-05-01", closed_on="2019-01-01"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "The closing date is before the opening date." in response.text


def test_shelter_closing_in_the_future_is_still_listed_with_its_date(client, mitte):
    closing = ShelterFactory(name="NU Bald Zu", district=mitte, closed_on="2099-03-31")

    assert "NU Bald Zu" in client.get(reverse("places:shelter_list")).text
    assert "schließt am" in client.get(closing.get_absolute_url()).text


@pytest.fixture
def regional_nord():
    user = UserFactory()
    RoleFactory(
        user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug="nord")
    )
    return user


def test_regional_coordinator_records_that_a_coordinator_left(client, coordinator, regional_nord):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    position = shelter.positions.get()
    client.force_login(regional_nord)
    url = reverse("places:position_end", args=[shelter.pk, position.pk])

    assert "Stelle beenden" in client.get(shelter.get_absolute_url()).text
    response = client.post(url, {"ends_on": "2025-06-30"})

    assert response.status_code == 302
    position.refresh_from_db()
    assert str(position.ends_on) == "2025-06-30"
    vacancy = shelter.positions.get(person__isnull=True)
    assert str(vacancy.starts_on) == "2025-07-01"
    assert Shelter.objects.with_vacancy().get(pk=shelter.pk).is_staffed is False


def test_ending_a_position_before_it_began_is_refused_with_a_reason(
    client, coordinator, regional_nord
):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    position = shelter.positions.get()
    client.force_login(regional_nord)

    response = client.post(
        reverse("places:position_end", args=[shelter.pk, position.pk]), {"ends_on": "2001-01-01"}
    )

    assert response.status_code == 200
    assert "Das Ende liegt vor dem Beginn der Stelle (01.01.2024)." in response.text
    assert 'value="2001-01-01"' in response.text
    position.refresh_from_db()
    assert position.ends_on is None


def test_coordinator_cannot_end_her_own_position_and_sees_no_such_action(client, coordinator):
    shelter = Shelter.objects.get(name="GU Am Wiesengrund")
    position = shelter.positions.get()
    client.force_login(coordinator)

    assert "Stelle beenden" not in client.get(shelter.get_absolute_url()).text
    response = client.post(
        reverse("places:position_end", args=[shelter.pk, position.pk]), {"ends_on": "2025-06-30"}
    )

    assert response.status_code == 404
    position.refresh_from_db()
    assert position.ends_on is None
