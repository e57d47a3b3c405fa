"""The directory's map as GeoJSON (scoped, conditional) and its long filters as text boxes."""

import json

import pytest
from django.urls import reverse

from bfe.accounts.tests.factories import UserFactory
from bfe.places.models import District
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor_here(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def mitte():
    return District.objects.get(number="01")


def features(response):
    assert response.status_code == 200
    return json.loads(response.content)["features"]


def exact_coordinates(response):
    return [
        tuple(f["geometry"]["coordinates"])
        for f in features(response)
        if f["properties"]["kind"] == "shelter"
    ]


def test_public_map_never_holds_the_location_of_a_shelter_whose_address_is_hidden(client, mitte):
    hidden = ShelterFactory(district=mitte, latitude="52.111111", longitude="13.222222")

    response = client.get(reverse("places:shelter_map"))

    assert exact_coordinates(response) == []
    assert "52.111111" not in response.text and "13.222222" not in response.text
    [district] = features(response)
    assert district["properties"] == {"kind": "district", "name": "Mitte", "count": 1}
    assert district["geometry"]["coordinates"] == [float(mitte.longitude), float(mitte.latitude)]
    assert hidden.name not in response.text


def test_public_map_pins_only_the_addresses_bfe_made_public(client, mitte):
    ShelterFactory(district=mitte, address_public=True, latitude="52.5", longitude="13.4")
    ShelterFactory(district=mitte, latitude="52.6", longitude="13.5")

    assert exact_coordinates(client.get(reverse("places:shelter_map"))) == [(13.4, 52.5)]


def test_signed_in_coordinator_gets_exact_pins_of_every_shelter(client, mitte):
    user = UserFactory()
    own = ShelterFactory(district=mitte, latitude="52.5", longitude="13.4")
    CoordinatorPositionFactory(shelter=own, person=user)
    ShelterFactory(district=mitte, latitude="52.6", longitude="13.5")
    client.force_login(user)

    response = client.get(reverse("places:shelter_map"))

    assert sorted(exact_coordinates(response)) == [(13.4, 52.5), (13.5, 52.6)]
    assert "private" in response["Cache-Control"]


def test_map_honours_the_directory_filters(client, mitte):
    spandau = District.objects.get(number="05")
    ShelterFactory(district=mitte)
    ShelterFactory(district=spandau)

    response = client.get(reverse("places:shelter_map"), {"district": "Spandau", "seite": "3"})

    assert [f["properties"]["name"] for f in features(response)] == ["Spandau"]


def test_map_answers_not_modified_while_nothing_changed(client, mitte):
    ShelterFactory(district=mitte)
    url = reverse("places:shelter_map")
    first = client.get(url)
    assert "public" in first["Cache-Control"]

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    ShelterFactory(district=mitte)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_etag_differs_between_the_public_and_a_coordinator(client, mitte):
    shelter = ShelterFactory(district=mitte)
    public = client.get(reverse("places:shelter_map"))["ETag"]
    user = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=user)
    client.force_login(user)

    response = client.get(reverse("places:shelter_map"), HTTP_IF_NONE_MATCH=public)

    assert response.status_code == 200


def test_typed_district_name_filters_without_javascript(client, mitte):
    spandau = District.objects.get(number="05")
    ShelterFactory(name="GU Mitte", district=mitte)
    ShelterFactory(name="GU Spandau", district=spandau)

    for typed in ("Spandau", "spandau", " SPANDAU "):
        response = client.get(reverse("places:shelter_list"), {"district": typed})
        assert [s.name for s in response.context["page"].object_list] == ["GU Spandau"]
    assert 'value="Spandau"' in response.text


def test_unknown_district_name_is_explained_and_the_other_filters_still_apply(client, mitte):
    ShelterFactory(name="GU Eins", district=mitte, kind="community")
    ShelterFactory(name="AE Zwei", district=mitte, kind="reception")

    response = client.get(
        reverse("places:shelter_list"), {"district": "Atlantis", "kind": "reception"}
    )

    assert response.status_code == 200
    assert "Einen Bezirk „Atlantis“ kennen wir nicht." in response.text
    assert [s.name for s in response.context["page"].object_list] == ["AE Zwei"]
    assert 'value="Atlantis"' in response.text


def test_unknown_district_message_speaks_english_when_asked(client):
    response = client.get(
        reverse("places:shelter_list"), {"district": "Atlantis"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "We do not know a district" in response.text


def test_operator_is_found_by_name_or_by_the_id_in_old_links(client, mitte):
    shelter = ShelterFactory(name="GU Betrieben", district=mitte)
    ShelterFactory(name="GU Andere", district=mitte)

    for value in (shelter.operator.name, str(shelter.operator_id)):
        response = client.get(reverse("places:shelter_list"), {"operator": value})
        assert [s.name for s in response.context["page"].object_list] == ["GU Betrieben"]


def test_the_long_filters_are_text_boxes_not_hundreds_of_options(client):
    response = client.get(reverse("places:shelter_list"))

    assert 'name="district"' in response.text and '<select name="district"' not in response.text
    assert '<select name="operator"' not in response.text


def test_suggestions_name_matching_districts_those_starting_with_the_text_first(client):
    response = client.get(reverse("places:filter_suggestions", args=["district"]), {"q": "sp"})

    assert response.json()["suggestions"][0] == "Spandau"
    unknown = client.get(reverse("places:filter_suggestions", args=["user"]), {"q": "a"})
    assert unknown.json() == {"suggestions": []}


@pytest.mark.parametrize(
    ("viewer", "url", "expected"),
    [
        ("anonymous", "places:shelter_map", 3),
        ("coordinator", "places:shelter_map", 7),
        ("anonymous", "places:shelter_list", 4),
        ("coordinator", "places:shelter_list", 8),
        ("anonymous", "core:home", 4),
        ("anonymous", "places:region_list", 3),
    ],
)
def test_pages_take_a_fixed_number_of_queries(
    client, mitte, django_assert_max_num_queries, viewer, url, expected
):
    for _ in range(5):
        shelter = ShelterFactory(district=mitte)
        CoordinatorPositionFactory(shelter=shelter)
    if viewer == "coordinator":
        user = UserFactory()
        CoordinatorPositionFactory(shelter=shelter, person=user)
        client.force_login(user)
    with django_assert_max_num_queries(expected):
        assert client.get(reverse(url), {"district": "mitte"}).status_code == 200


def test_region_page_takes_a_fixed_number_of_queries(client, mitte, django_assert_max_num_queries):
    for _ in range(5):
        ShelterFactory(district=mitte)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("places:region_detail", args=["nord"])).status_code == 200
