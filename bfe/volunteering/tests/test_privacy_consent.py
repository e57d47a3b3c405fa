"""Withdrawing the consent to the processing of her volunteering data: recorded with the
version she had agreed to, her records ended, her coming places freed, the coordinators told."""

import pytest
from django.urls import reverse

from bfe.volunteering.models import (
    Application,
    ConsentRecord,
    ShelterVolunteerFigures,
    Shift,
    Volunteer,
)
from bfe.volunteering.services import records

from .factories_privacy import fill, record_for

pytestmark = pytest.mark.django_db
URL = reverse("accounts:consent_withdraw", args=["volunteering.processing"])


def test_withdrawing_ends_her_records_records_it_and_tells_the_coordinators(
    client,
    volunteer_user,
    shelter,
    other_shelter,
    coordinator,
    other_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    nord = record_for(volunteer_user, shelter)
    kept = fill(nord, coordinator=coordinator, consent_version="2026-12")
    record_for(volunteer_user, other_shelter, stage="onboarding")
    client.force_login(volunteer_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)

    assert response["Location"] == reverse("accounts:my_data")
    assert set(Volunteer.objects.values_list("stage", "end_reason", "end_note")) == {
        ("ended", "other", "Einwilligung widerrufen")
    }
    withdrawn = ConsentRecord.objects.filter(given=False, kind="processing")
    # The version she agreed to where she did; none where the record came without one.
    assert sorted(withdrawn.values_list("volunteer__shelter", "version")) == sorted(
        [(shelter.pk, "2026-12"), (other_shelter.pk, "")]
    )
    assert Application.objects.get(pk=kept["application"].pk).status == "withdrawn"
    assert Shift.objects.get(pk=kept["signup"].shift_id).confirmed_count == 0
    figures = ShelterVolunteerFigures.objects.get(shelter=shelter)
    assert (figures.active, figures.ended) == (0, 1)
    before = {
        row.shelter_id: (row.active, row.onboarding, row.ended)
        for row in ShelterVolunteerFigures.objects.all()
    }
    records.recompute_figures()
    assert before == {
        row.shelter_id: (row.active, row.onboarding, row.ended)
        for row in ShelterVolunteerFigures.objects.all()
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [coordinator.email, other_coordinator.email]
    )
    assert all("Einwilligung widerrufen" in mail.subject for mail in mailoutbox)
    assert all(volunteer_user.full_name not in mail.body for mail in mailoutbox)
    page = client.get(response["Location"]).text
    assert "Ihre Einwilligung ist widerrufen" in page
    assert "Einwilligung widerrufen</button>" not in page


def test_withdrawing_twice_changes_nothing_more(
    client, volunteer_user, shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    fill(record_for(volunteer_user, shelter), coordinator=coordinator)
    client.force_login(volunteer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)
    rows, mails = ConsentRecord.objects.count(), len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)

    assert (ConsentRecord.objects.count(), len(mailoutbox)) == (rows, mails)


def test_an_unknown_consent_is_refused_with_a_message(client, volunteer_user, shelter):
    record_for(volunteer_user, shelter)
    client.force_login(volunteer_user)

    response = client.post(
        reverse("accounts:consent_withdraw", args=["volunteering.photos"]), follow=True
    )

    assert "Diese Einwilligung gibt es nicht (mehr)." in response.text
    assert Volunteer.objects.get().stage == "active"


def test_withdrawing_takes_a_post(client, volunteer_user):
    client.force_login(volunteer_user)

    assert client.get(URL).status_code == 405


def test_someone_without_volunteer_records_is_offered_no_withdrawal(client, someone):
    client.force_login(someone)

    html = client.get(reverse("accounts:my_data")).text

    assert "Einwilligung widerrufen</button>" not in html


def test_the_coordinator_is_told_in_her_own_language(
    client, volunteer_user, shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    record_for(volunteer_user, shelter)
    client.force_login(volunteer_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)

    (mail,) = mailoutbox
    assert mail.subject == f"[BfE] A person has withdrawn their consent ({shelter.name})"
    assert "Their record is now “ended”" in mail.body
    assert "Their record is now" in mail.alternatives[0][0]


def test_an_application_without_a_record_is_withdrawn_and_the_withdrawal_recorded(
    client, volunteer_user, shelter
):
    from .factories import ApplicationFactory, OpportunityFactory

    application = ApplicationFactory(
        opportunity=OpportunityFactory(shelter=shelter), email=volunteer_user.email
    )
    ConsentRecord.objects.create(
        application=application, kind="processing", version="2026-12", given=True
    )
    client.force_login(volunteer_user)

    client.post(URL)

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    withdrawal = ConsentRecord.objects.get(given=False)
    assert (withdrawal.user, withdrawal.version) == (volunteer_user, "2026-12")
    html = client.get(reverse("accounts:my_data")).text
    assert "widerrufen" in html
    assert "Einwilligung widerrufen</button>" not in html


def test_her_withdrawal_shows_in_her_access_log_as_her_own(client, volunteer_user, shelter):
    import json

    record_for(volunteer_user, shelter)
    client.force_login(volunteer_user)
    client.post(URL)

    data = json.loads(client.get(reverse("accounts:my_data_json")).content)

    (records_section,) = [
        s for app in data["apps"] for s in app["sections"] if s["key"] == "volunteering.records"
    ]
    (entry,) = records_section["items"][0]["Zugriffe"]
    assert (entry["wer"], entry["was"]) == ("Sie selbst", "geändert")
