"""Art. 15/20 DSGVO: a person's export of everything the platform holds about her, for every
role, with the access log of her volunteer records; never anyone else's data."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.tests.factories import UserFactory
from bfe.events.tests.factories import RegistrationFactory
from bfe.places.tests.factories import CoordinatorPositionFactory

from .factories import VolunteerFactory
from .factories_privacy import fill, profile_for, record_for

pytestmark = pytest.mark.django_db


def export_of(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content), response.content.decode()


def section(data, key):
    for app in data["apps"]:
        for found in app["sections"]:
            if found["key"] == key:
                return found
    raise AssertionError(key)


def test_the_export_of_a_volunteer_holds_her_records_in_both_shelters_with_the_access_log(
    client, volunteer_user, shelter, other_shelter, coordinator, other_coordinator
):
    nord = record_for(volunteer_user, shelter)
    west = record_for(volunteer_user, other_shelter)
    fill(nord, coordinator=coordinator)
    fill(west, coordinator=other_coordinator)
    profile_for(volunteer_user)

    data, text = export_of(client, volunteer_user)

    records = section(data, "volunteering.records")["items"]
    assert sorted(r["Unterkunft"] for r in records) == sorted([shelter.name, other_shelter.name])
    for record in records:
        assert record["Notizen der Koordination"][0]["Notiz"] == "Spricht Arabisch."
        assert record["Stunden"][0]["Stunden"] == 2.5
        assert record["Erweitertes Führungszeugnis"]["eingesehen am"] == "2026-03-02"
        assert [entry["was"] for entry in record["Zugriffe"]] == ["angesehen", "exportiert"]
        assert {entry["wer"] for entry in record["Zugriffe"]} == {
            f"Ehrenamtskoordination von {record['Unterkunft']}"
        }
    # Who looked: the role and shelter, never the coordinator's name.
    assert coordinator.full_name not in text and other_coordinator.full_name not in text
    assert len(section(data, "volunteering.applications")["items"]) == 2
    assert [c["erteilt"] for c in section(data, "volunteering.consents")["items"]] == [True, True]
    assert (
        section(data, "volunteering.profile")["items"][0]["Fähigkeiten und Interessen"] == "Mathe"
    )
    assert section(data, "accounts.account")["items"][0]["E-Mail-Adresse"] == volunteer_user.email
    assert data["consents"][0]["key"] == "volunteering.processing"
    assert data["consents"][0]["given"] is True


def test_an_access_by_a_deleted_account_is_named_as_such(
    client, volunteer_user, shelter, coordinator
):
    from bfe.volunteering.models import AccessLog

    record = record_for(volunteer_user, shelter)
    AccessLog.objects.create(volunteer=record, actor=None, action="edit", detail="Kontakt: phone")

    data, _text = export_of(client, volunteer_user)

    entry = section(data, "volunteering.records")["items"][0]["Zugriffe"][0]
    assert entry == {
        "wann": entry["wann"],
        "wer": "ein inzwischen gelöschtes Konto",
        "was": "geändert",
        "Einzelheit": "Kontakt: phone",
    }


def test_another_persons_data_is_never_in_the_export(client, volunteer_user, shelter, coordinator):
    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    VolunteerFactory(shelter=shelter, full_name="Nachbarin Zora Quast")
    other_account = UserFactory(full_name="Fremdes Konto")
    RegistrationFactory(person=other_account)

    _data, text = export_of(client, volunteer_user)

    assert "Zora Quast" not in text
    assert "Fremdes Konto" not in text
    assert other_account.email not in text


def test_a_record_with_her_address_held_by_another_account_is_not_in_her_export(
    client, volunteer_user, other_shelter
):
    other_account = UserFactory()
    VolunteerFactory(
        shelter=other_shelter,
        email=volunteer_user.email.upper(),
        full_name="Fremder Eintrag Ypsilon",
        user=other_account,
    )

    data, text = export_of(client, volunteer_user)

    assert section(data, "volunteering.records")["items"] == []
    assert "Ypsilon" not in text


def test_an_unlinked_record_with_her_confirmed_address_is_in_her_export(
    client, volunteer_user, shelter
):
    VolunteerFactory(shelter=shelter, email=volunteer_user.email.upper(), full_name="Mira S.")

    data, _text = export_of(client, volunteer_user)

    assert [r["Name"] for r in section(data, "volunteering.records")["items"]] == ["Mira S."]


@pytest.mark.parametrize("role", ["coordinator", "regional_coordinator", "partner", "lead"])
def test_every_role_exports_her_own_data_and_no_volunteers_names(
    client, request, role, shelter, coordinator
):
    person = request.getfixturevalue(role)
    fill(
        VolunteerFactory(shelter=shelter, full_name="Vertraulich Xaver Quendel"),
        coordinator=coordinator,
    )

    data, text = export_of(client, person)

    assert section(data, "accounts.account")["items"][0]["E-Mail-Adresse"] == person.email
    assert "Xaver Quendel" not in text
    assert section(data, "volunteering.records")["items"] == []


def test_a_coordinators_export_lists_her_posts(client, coordinator, shelter):
    data, _text = export_of(client, coordinator)

    posts = section(data, "places.positions")["items"]
    assert [post["Unterkunft"] for post in posts] == [shelter.name]


def test_the_readable_page_and_the_print_view_show_the_same_data(
    client, volunteer_user, shelter, coordinator
):
    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    client.force_login(volunteer_user)

    for name in ["accounts:my_data", "accounts:my_data_print"]:
        html = client.get(reverse(name)).text
        assert "Ihre Einträge als Freiwillige:r" in html
        assert "Spricht Arabisch." in html
        assert f"Ehrenamtskoordination von {shelter.name}" in html
        assert "Zugriffe" in html


def test_the_page_says_so_where_nothing_is_stored(client, someone):
    client.force_login(someone)

    html = client.get(reverse("accounts:my_data")).text

    assert "Wozu wir nichts über Sie speichern" in html
    assert "Ihre Einträge als Freiwillige:r</li>" in html
    assert "Keine Einwilligungen" in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    for name in ["accounts:my_data", "accounts:my_data_json", "accounts:my_data_print"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_export_reads_a_fixed_number_of_queries_whatever_the_records(
    client, volunteer_user, shelter, other_shelter, coordinator, other_coordinator
):
    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    client.force_login(volunteer_user)
    client.get(reverse("accounts:my_data_json"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accounts:my_data_json"))
    fill(record_for(volunteer_user, other_shelter), coordinator=other_coordinator)
    third = CoordinatorPositionFactory().shelter
    fill(record_for(volunteer_user, third), coordinator=other_coordinator)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("accounts:my_data_json"))

    assert len(three) == len(one)


def test_the_page_reads_in_english(client, volunteer_user, shelter, coordinator):
    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    client.force_login(volunteer_user)

    html = client.get(reverse("accounts:my_data"), headers={"accept-language": "en"}).text

    assert "My data" in html
    assert "Your records as a volunteer" in html


def test_the_pdf_holds_her_records_and_the_access_log(client, volunteer_user, shelter, coordinator):
    import io

    from pypdf import PdfReader

    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    client.force_login(volunteer_user)

    response = client.get(reverse("accounts:my_data_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Auskunft über Ihre Daten" in text
    assert "Spricht Arabisch." in text
    assert "Ehrenamtskoordination von" in text
    assert coordinator.full_name not in text
