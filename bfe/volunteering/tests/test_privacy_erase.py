"""Art. 17 DSGVO: a person deletes her account and her data in every app, in one transaction;
anonymous counts stay, certificates stay verifiable, the coordinators are told, she is logged
out. The last project lead is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role, User
from bfe.accounts.tests.factories import PASSWORD, RoleFactory
from bfe.consultations.tests.factories import ConsultationFactory
from bfe.events.models import Certificate, Registration
from bfe.events.tests.factories import EventFactory, RegistrationFactory, TrainingSeriesFactory
from bfe.places.models import CoordinatorPosition, Region
from bfe.volunteering.models import (
    Application,
    Attestation,
    ConsentRecord,
    ShelterVolunteerFigures,
    Shift,
    Volunteer,
    VolunteerProfile,
)
from bfe.volunteering.services import records

from .factories import ApplicationFactory, OpportunityFactory
from .factories_privacy import fill, profile_for, record_for

pytestmark = pytest.mark.django_db


def figures(shelter):
    row = ShelterVolunteerFigures.objects.get(shelter=shelter)
    return {stage: getattr(row, stage) for stage in Volunteer.Stage.values}


def recounted(shelter):
    before = figures(shelter)
    records.recompute_figures([shelter.pk])
    after = figures(shelter) if ShelterVolunteerFigures.objects.filter(shelter=shelter) else {}
    return before, after or dict.fromkeys(Volunteer.Stage.values, 0)


def delete_account(client, user, password=PASSWORD, capture=None):
    client.force_login(user)
    if capture is None:
        return client.post(reverse("accounts:account_delete"), {"password": password})
    with capture(execute=True):
        return client.post(reverse("accounts:account_delete"), {"password": password})


def test_a_volunteer_deletes_her_data_in_both_shelters_and_the_coordinators_are_told(
    client,
    volunteer_user,
    shelter,
    other_shelter,
    coordinator,
    other_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    nord, west = record_for(volunteer_user, shelter), record_for(volunteer_user, other_shelter)
    kept = fill(nord, coordinator=coordinator)
    fill(west, coordinator=other_coordinator)
    profile_for(volunteer_user)
    neighbour = record_for(None, shelter, full_name="Bleibt Da", email="bleibt@example.org")
    name = volunteer_user.full_name

    response = delete_account(client, volunteer_user, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account_deleted")
    assert not User.objects.filter(pk=volunteer_user.pk).exists()
    assert list(Volunteer.objects.all()) == [neighbour]
    assert not Application.objects.filter(email=volunteer_user.email).exists()
    assert not ConsentRecord.objects.exists()
    assert not VolunteerProfile.objects.exists()
    # The shelters' counts follow the records: as if counted anew.
    for place in (shelter, other_shelter):
        before, after = recounted(place)
        assert before == after
    assert figures(shelter)["active"] == 1 and figures(other_shelter)["active"] == 0
    # An issued Ehrenamtsnachweis stays verifiable, without the link to her record.
    attestation = Attestation.objects.get(pk=kept["attestation"].pk)
    assert (attestation.holder_name, attestation.volunteer_id) == ("Mira Sommer", None)
    # Her place in the coming shift is free again.
    assert Shift.objects.get(pk=kept["signup"].shift_id).confirmed_count == 0
    # Each shelter's coordinator is told, without her name.
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [coordinator.email, other_coordinator.email]
    )
    for mail in mailoutbox:
        assert "hat ihre Daten" in mail.subject
        assert name not in mail.body and "Mira" not in mail.body
    # She is logged out and sees the confirmation.
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Ihr Konto ist gelöscht" in page.text


def test_a_wrong_password_deletes_nothing_and_says_why(client, volunteer_user, shelter):
    record_for(volunteer_user, shelter)

    response = delete_account(client, volunteer_user, password="falsch")

    assert response.status_code == 200
    assert "Das Passwort stimmt nicht" in response.text
    assert User.objects.filter(pk=volunteer_user.pk).exists()
    assert Volunteer.objects.filter(user=volunteer_user).exists()


def test_the_page_explains_what_happens_before_anything_is_deleted(client, volunteer_user):
    client.force_login(volunteer_user)

    html = client.get(reverse("accounts:account_delete")).text

    assert "lässt sich nicht rückgängig machen" in html
    assert 'name="password"' in html
    assert User.objects.filter(pk=volunteer_user.pk).exists()


def test_the_last_project_lead_may_not_delete_her_account(client, lead):
    client.force_login(lead)

    page = client.get(reverse("accounts:account_delete")).text
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert "einzige Person mit der Rolle Projektleitung" in page
    assert 'name="password"' not in page
    assert response.status_code == 200
    assert "einzige Person mit der Rolle Projektleitung" in response.text
    assert User.objects.filter(pk=lead.pk, is_active=True).exists()


def test_a_project_lead_may_delete_her_account_while_another_remains(client, lead):
    RoleFactory(kind=Role.Kind.ADMIN)

    response = delete_account(client, lead)

    assert response["Location"] == reverse("accounts:account_deleted")
    assert not User.objects.filter(pk=lead.pk).exists()


def test_a_coordinator_who_deletes_her_account_leaves_a_vacancy(client, coordinator, shelter):
    position = CoordinatorPosition.objects.get(person=coordinator)

    delete_account(client, coordinator)

    position.refresh_from_db()
    assert position.ends_on == timezone.localdate() and position.person_id is None
    assert CoordinatorPosition.objects.current().filter(shelter=shelter, person=None).exists()


def test_her_coming_event_seat_goes_to_the_waiting_list_and_past_attendance_stays_anonymous(
    client, someone
):
    coming = EventFactory(capacity=1)
    mine = RegistrationFactory(event=coming, person=someone)
    waiting = RegistrationFactory(event=coming, status=Registration.Status.WAITLISTED)
    past = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2),
    )
    attended = RegistrationFactory(event=past, person=someone, attended=True)

    delete_account(client, someone)

    mine.refresh_from_db()
    assert (mine.status, mine.person_id, mine.guest_name) == ("cancelled", None, "(gelöscht)")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    attended.refresh_from_db()
    assert attended.attended and attended.person_id is None and attended.guest_email == ""
    assert past.registrations.filter(attended=True).count() == 1


def test_a_certificate_stays_verifiable_and_keeps_the_account_as_an_empty_row(client, someone):
    certificate = Certificate.objects.create(
        person=someone,
        series=TrainingSeriesFactory(),
        holder_name=someone.full_name,
        verification_code="PRIV2345",
        hours=48,
    )
    holder = someone.full_name

    delete_account(client, someone)

    account = User.objects.get(pk=someone.pk)
    assert account.full_name == "" and not account.is_active
    assert account.email.endswith("@geloescht.invalid")
    assert not account.has_usable_password()
    assert Certificate.objects.get(pk=certificate.pk).holder_name == holder
    assert client.get(reverse("events:certificate_verify", args=["PRIV2345"])).status_code == 200


def test_she_is_removed_from_consultations_that_stay(client, coordinator, shelter):
    consultation = ConsultationFactory(
        shelter=shelter, region=Region.objects.get(slug="nord"), participants=[coordinator]
    )

    delete_account(client, coordinator)

    consultation.refresh_from_db()
    assert list(consultation.participants.all()) == []


def test_an_unlinked_application_with_her_address_goes_too(client, volunteer_user, shelter):
    ApplicationFactory(opportunity=OpportunityFactory(shelter=shelter), email=volunteer_user.email)

    delete_account(client, volunteer_user)

    assert not Application.objects.exists()


def test_nothing_is_deleted_when_one_app_fails(monkeypatch, volunteer_user, shelter):
    from bfe.accounts import personal_data as accounts_data
    from bfe.accounts import services

    record_for(volunteer_user, shelter)

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(accounts_data, "erase", broken)
    with pytest.raises(RuntimeError):
        services.erase_person(user=volunteer_user)

    assert Volunteer.objects.filter(user=volunteer_user).exists()
    assert figures(shelter)["active"] == 1


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("accounts:account_delete"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_her_guest_registration_with_a_confirmed_address_is_exported_and_anonymised(
    client, volunteer_user
):
    from bfe.events.tests.factories import GuestRegistrationFactory

    guest = GuestRegistrationFactory(
        guest_email=volunteer_user.email.upper(), guest_name="Gastname Quirin"
    )
    client.force_login(volunteer_user)
    assert "Gastname Quirin" in client.get(reverse("accounts:my_data_json")).content.decode()

    delete_account(client, volunteer_user)

    guest.refresh_from_db()
    assert (guest.guest_name, guest.guest_email, guest.status) == ("(gelöscht)", "", "cancelled")
