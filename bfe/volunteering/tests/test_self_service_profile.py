"""Her records linked to her account by her verified address; her profile; her applications,
which she may withdraw while they are open."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from bfe.places.models import District
from bfe.volunteering.models import WEEKDAY_BITS, Application, Volunteer, VolunteerProfile
from bfe.volunteering.services.self_service import link_records

from .factories import ApplicationFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


# Linking -----------------------------------------------------------------------------------


def test_records_and_applications_with_her_verified_address_are_linked_once(
    volunteer_user, shelter, other_shelter, opportunity
):
    upper = volunteer_user.email.upper()
    first = VolunteerFactory(shelter=shelter, email=upper)
    second = VolunteerFactory(shelter=other_shelter, email=volunteer_user.email)
    application = ApplicationFactory(opportunity=opportunity, email=upper)

    assert link_records(volunteer_user) == (2, 1)
    assert link_records(volunteer_user) == (0, 0)

    assert set(Volunteer.objects.of(volunteer_user)) == {first, second}
    application.refresh_from_db()
    assert application.user == volunteer_user


def test_an_unverified_address_links_nothing(someone, shelter):
    record = VolunteerFactory(shelter=shelter, email=someone.email)
    EmailAddress.objects.create(user=someone, email=someone.email, verified=False, primary=True)

    assert link_records(someone) == (0, 0)
    record.refresh_from_db()
    assert record.user is None


def test_a_record_of_another_account_is_never_taken_over(volunteer_user, someone, shelter):
    record = VolunteerFactory(shelter=shelter, email=volunteer_user.email, user=someone)

    link_records(volunteer_user)

    record.refresh_from_db()
    assert record.user == someone


def test_her_pages_link_her_records_as_she_opens_them(client, volunteer_user, opportunity):
    ApplicationFactory(opportunity=opportunity, email=volunteer_user.email, full_name="Ich selbst")
    client.force_login(volunteer_user)

    response = client.get(reverse("volunteering:self_service_applications"))

    assert opportunity.title in response.text


def test_without_a_verified_address_she_is_asked_to_confirm_it(client, someone):
    client.force_login(someone)

    response = client.get(reverse("volunteering:self_service_applications"))

    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in response.text


# Profile -----------------------------------------------------------------------------------


def profile_data(**changes):
    data = {
        "phone": "030 1234567",
        "languages": ["de", "ar"],
        "skills": "Nachhilfe in Mathematik",
        "weekdays": ["1", "5"],
        "availability": "abends",
        "districts": [District.objects.get(number="01").pk],
        "contact_preference": "phone",
    }
    data.update(changes)
    return data


def test_she_saves_her_profile_and_her_records_take_over_what_they_lack(
    client, volunteer_user, shelter
):
    record = VolunteerFactory(shelter=shelter, user=volunteer_user, phone="", skills="")
    client.force_login(volunteer_user)

    response = client.post(reverse("volunteering:self_service_profile"), profile_data())

    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=volunteer_user)
    assert profile.languages == ["de", "ar"]
    assert profile.weekdays == WEEKDAY_BITS[1] | WEEKDAY_BITS[5]
    assert list(profile.districts.values_list("number", flat=True)) == ["01"]
    assert profile.contact_preference == Volunteer.ContactPreference.PHONE
    record.refresh_from_db()
    assert (record.phone, record.skills, record.contact_preference) == (
        "030 1234567",
        "Nachhilfe in Mathematik",
        "phone",
    )
    shown = client.get(reverse("volunteering:self_service_profile"))
    assert 'value="030 1234567"' in shown.text
    assert re.search(r'name="weekdays" value="5"[^>]*checked', shown.text)
    assert not re.search(r'name="weekdays" value="4"[^>]*checked', shown.text)


def test_contact_by_phone_without_a_number_is_refused_and_the_rest_is_kept(client, volunteer_user):
    client.force_login(volunteer_user)

    response = client.post(reverse("volunteering:self_service_profile"), profile_data(phone=""))

    assert response.status_code == 200
    assert "Für Kontakt per Telefon brauchen wir Ihre Telefonnummer." in response.text
    assert "Nachhilfe in Mathematik" in response.text
    assert 'value="abends"' in response.text
    assert not VolunteerProfile.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "ruf mich an"}, "Bitte geben Sie nur Ziffern"),
        ({"phone": "12"}, "Diese Telefonnummer ist zu kurz."),
        ({"languages": ["xx"]}, "Bitte wählen Sie Sprachen aus der Liste."),
        ({"weekdays": ["9"]}, "Bitte wählen Sie Wochentage aus der Liste."),
        ({"districts": ["99999"]}, "Bitte wählen Sie Bezirke aus der Liste."),
        ({"contact_preference": "brieftaube"}, "Bitte wählen Sie E-Mail oder Telefon."),
        ({"availability": "x" * 301}, "höchstens 300 Zeichen"),
    ],
)
def test_bad_profile_input_gets_a_german_message(client, volunteer_user, changes, message):
    client.force_login(volunteer_user)

    response = client.post(reverse("volunteering:self_service_profile"), profile_data(**changes))

    assert response.status_code == 200
    assert message in response.text
    assert not VolunteerProfile.objects.exists()


# Applications ------------------------------------------------------------------------------


def test_without_applications_the_page_points_to_the_board(client, volunteer_user):
    client.force_login(volunteer_user)

    response = client.get(reverse("volunteering:self_service_applications"))

    assert "Keine Bewerbungen" in response.text
    assert 'href="/engagement/"' in response.text


@pytest.mark.parametrize("status", [Application.Status.UNCONFIRMED, Application.Status.CONFIRMED])
def test_she_withdraws_an_open_application(client, volunteer_user, opportunity, status):
    application = ApplicationFactory(opportunity=opportunity, user=volunteer_user, status=status)
    client.force_login(volunteer_user)
    url = reverse("volunteering:self_service_withdraw", args=[application.pk])

    asked = client.get(url)
    response = client.post(url)

    assert "wirklich zurückziehen" in asked.text
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_an_expired_application_cannot_be_withdrawn(client, volunteer_user, opportunity):
    application = ApplicationFactory(
        opportunity=opportunity, user=volunteer_user, status=Application.Status.EXPIRED
    )
    client.force_login(volunteer_user)

    response = client.post(
        reverse("volunteering:self_service_withdraw", args=[application.pk]), follow=True
    )

    assert "nicht mehr offen" in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.EXPIRED


def test_nobody_withdraws_someone_elses_application(client, someone, coordinator, opportunity):
    application = ApplicationFactory(opportunity=opportunity, email="andere@example.org")
    for person in (someone, coordinator):
        client.force_login(person)
        response = client.post(reverse("volunteering:self_service_withdraw", args=[application.pk]))
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED
