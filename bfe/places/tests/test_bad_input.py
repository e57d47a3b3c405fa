"""Bad input on the shelter pages: the directory's filters and a coordinator's edit form answer
anything with 200, 302 or 4xx, and an edit is saved whole or not at all."""

import html

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from bfe.accounts.tests.factories import UserFactory
from bfe.core.tests.hostile import (
    assert_no_server_error,
    bad_input_settings,
    each_example_apart,
    mutated,
    query_strings,
    sent_value,
)
from bfe.places.models import Shelter
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory, berlin_district

pytestmark = pytest.mark.django_db

FILTERS = ["q", "region", "district", "kind", "operator", "vacancy", "seite"]


@pytest.fixture
def shelter():
    return ShelterFactory(name="GU Am Wiesengrund", district=berlin_district("01"))


@pytest.fixture
def coordinator(shelter):
    person = UserFactory()
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def edit_data(shelter):
    return {
        "name": shelter.name,
        "kind": shelter.kind,
        "operator": str(shelter.operator_id),
        "district": str(shelter.district_id),
        "street": shelter.street,
        "postcode": shelter.postcode,
        "city": shelter.city,
        "latitude": str(shelter.latitude),
        "longitude": str(shelter.longitude),
        "capacity": str(shelter.capacity),
        "residents": str(shelter.residents),
        "opened_on": shelter.opened_on.isoformat(),
        "closed_on": "",
        "description": "Sprachcafé dienstags",
        "languages": ["ar", "uk"],
    }


@bad_input_settings
@given(query=query_strings(FILTERS), htmx=st.booleans(), signed_in=st.booleans())
@example(query={"q": "\x00", "seite": "99999999999999999999"}, htmx=False, signed_in=False)
@example(query={"operator": "2²", "district": ["01", "mitte"]}, htmx=True, signed_in=True)
def test_the_shelter_directory_answers_any_filter_values(
    shelter, coordinator, query, htmx, signed_in
):
    with each_example_apart() as client:
        if signed_in:
            client.force_login(coordinator)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(reverse("places:shelter_list"), query, headers=headers)
        assert response.status_code == 200


def test_a_shelter_edit_with_any_input_is_saved_whole_or_not_at_all(shelter, coordinator):
    valid = edit_data(shelter)
    url = reverse("places:shelter_edit", args=[shelter.pk])

    @bad_input_settings
    @given(data=mutated(valid, extra=["address_public", "shows_address", "is_staffed"]))
    @example(data=valid)
    @example(data={**valid, "opened_on": "0000-00-00", "capacity": "-1"})
    @example(data={**valid, "latitude": "1e309", "longitude": "NaN"})
    def check(data):
        with each_example_apart() as client:
            before = model_to_dict(Shelter.objects.get(pk=shelter.pk))
            client.force_login(coordinator)

            response = client.post(url, data)

            assert_no_server_error(response)
            saved = Shelter.objects.get(pk=shelter.pk)
            if response.status_code == 302:
                saved.full_clean()
                assert saved.description == sent_value(data, "description").strip()
            else:
                assert response.status_code == 200
                assert model_to_dict(saved) == before
            # Only BfE decides whether the address becomes public.
            assert saved.address_public == before["address_public"]

    check()


def test_a_refused_shelter_edit_keeps_unicode_input_and_says_why_in_german(
    client, shelter, coordinator
):
    client.force_login(coordinator)
    data = {**edit_data(shelter), "description": "‏مرحبا – 🏠 Sprachcafé", "residents": "1e309"}

    response = client.post(reverse("places:shelter_edit", args=[shelter.pk]), data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Bitte prüfen Sie die markierten Felder." in page
    assert "Ganzzahl" in page or "ganze Zahl" in page
    assert "‏مرحبا – 🏠 Sprachcafé" in page
    shelter.refresh_from_db()
    assert shelter.description == ""
