"""A person without an account sees, downloads and deletes her record through its personal
link; a wrong or revoked link shows a friendly page, and guessing is rate-limited."""

import json

import pytest
from django.urls import reverse

from bfe.volunteering.models import Application, Attestation, Volunteer
from bfe.volunteering.services import links

from .factories import ApplicationFactory, OpportunityFactory, VolunteerFactory
from .factories_privacy import fill, record_for

pytestmark = pytest.mark.django_db


def test_her_link_shows_her_record_with_the_access_log_and_nobody_elses(
    client, shelter, coordinator
):
    record = VolunteerFactory(shelter=shelter, full_name="Lina Ohnekonto")
    fill(record, coordinator=coordinator)
    VolunteerFactory(shelter=shelter, full_name="Andere Person Xylo")
    token = links.volunteer_token(record)

    html = client.get(reverse("volunteering:privacy_record", args=[token])).text
    data = json.loads(client.get(reverse("volunteering:privacy_record_json", args=[token])).content)

    assert "Lina Ohnekonto" in html and "Xylo" not in html
    assert f"Ehrenamtskoordination von {shelter.name}" in html
    (item,) = data["sections"][0]["items"]
    assert item["Name"] == "Lina Ohnekonto"
    assert [entry["was"] for entry in item["Zugriffe"]] == ["angesehen", "exportiert"]


def test_deleting_on_her_link_needs_the_box_ticked_then_deletes_and_tells_the_coordinator(
    client, shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    # Through the record service, as every real record is made: the figures count it.
    record = record_for(None, shelter, full_name="Lina Ohnekonto", email="lina@example.org")
    kept = fill(record, coordinator=coordinator)
    ApplicationFactory(opportunity=OpportunityFactory(shelter=shelter), email=record.email)
    token = links.volunteer_token(record)
    url = reverse("volunteering:privacy_record_delete", args=[token])

    asked = client.get(url)
    unticked = client.post(url)
    assert asked.status_code == unticked.status_code == 200
    assert "Bitte bestätigen Sie das Löschen mit dem Häkchen." in unticked.text
    assert Volunteer.objects.filter(pk=record.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "1"})

    assert "Ihr Eintrag ist gelöscht" in done.text
    assert not Volunteer.objects.filter(pk=record.pk).exists()
    assert not Application.objects.exists()
    assert Attestation.objects.get(pk=kept["attestation"].pk).volunteer_id is None
    (mail,) = mailoutbox
    assert mail.to == [coordinator.email] and "Lina" not in mail.body
    assert client.get(reverse("volunteering:privacy_record", args=[token])).status_code == 404


def test_a_wrong_link_gets_a_friendly_page_and_guessing_stops(client):
    for _attempt in range(20):
        response = client.get(reverse("volunteering:privacy_record", args=["1.falsch"]))
        assert response.status_code == 404
        assert "Dieser Link gilt nicht (mehr)" in response.text

    assert client.get(reverse("volunteering:privacy_record", args=["1.falsch"])).status_code == 429


def test_a_revoked_link_opens_nothing(client, shelter):
    record = VolunteerFactory(shelter=shelter)
    token = links.volunteer_token(record)
    links.revoke_volunteer_link(record)

    assert client.get(reverse("volunteering:privacy_record", args=[token])).status_code == 404
