"""The board's services: opportunities (placement, status, figures) and applications."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bfe.places.tests.factories import CoordinatorPositionFactory
from bfe.volunteering import board_geo
from bfe.volunteering.models import (
    Application,
    ConsentRecord,
    Opportunity,
    ShelterVolunteerFigures,
    Volunteer,
)
from bfe.volunteering.services import board as services
from bfe.volunteering.services import links

from .factories import ApplicationFactory, OpportunityFactory, VolunteerFactory, area

pytestmark = pytest.mark.django_db


def new_opportunity(shelter, coordinator, **overrides):
    fields = {
        "title": "Hausaufgabenhilfe am Nachmittag",
        "description": "Wir helfen Schulkindern bei den Hausaufgaben.",
        "area": area("sprachcafe"),
        "schedule": Opportunity.Schedule.REGULAR,
        "weekdays": [0, 2],
        "languages": ["ar", "de"],
        **overrides,
    }
    return services.create_opportunity(shelter=shelter, by=coordinator, **fields)


def open_count(shelter):
    figures = ShelterVolunteerFigures.objects.filter(shelter=shelter).first()
    return figures.open_opportunities if figures else 0


def test_a_new_opportunity_is_a_draft_at_its_districts_centre(shelter, coordinator):
    opportunity = new_opportunity(shelter, coordinator)
    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.published_at is None
    assert opportunity.district == shelter.district
    assert opportunity.public_latitude == shelter.district.latitude
    assert opportunity.public_longitude == shelter.district.longitude
    assert opportunity.weekday_list == [0, 2]
    assert sorted(opportunity.language_codes) == ["ar", "de"]
    assert open_count(shelter) == 0


def test_a_shelter_with_a_public_address_places_its_opportunities_at_the_shelter(
    shelter, coordinator
):
    shelter.address_public = True
    shelter.latitude, shelter.longitude = Decimal("52.541000"), Decimal("13.401000")
    shelter.save()
    opportunity = new_opportunity(shelter, coordinator)
    assert (opportunity.public_latitude, opportunity.public_longitude) == (
        Decimal("52.541000"),
        Decimal("13.401000"),
    )


def test_opening_publishes_once_and_counts_as_open(shelter, coordinator):
    opportunity = new_opportunity(shelter, coordinator)
    services.set_status(opportunity=opportunity, status=Opportunity.Status.OPEN, by=coordinator)
    first_published = opportunity.published_at
    assert first_published is not None
    assert open_count(shelter) == 1
    services.set_status(opportunity=opportunity, status=Opportunity.Status.PAUSED, by=coordinator)
    assert open_count(shelter) == 0
    services.set_status(opportunity=opportunity, status=Opportunity.Status.OPEN, by=coordinator)
    opportunity.refresh_from_db()
    assert opportunity.published_at == first_published
    assert open_count(shelter) == 1


def test_setting_the_same_status_again_changes_no_count(shelter, coordinator):
    opportunity = new_opportunity(shelter, coordinator, status=Opportunity.Status.OPEN)
    services.set_status(opportunity=opportunity, status=Opportunity.Status.OPEN, by=coordinator)
    assert open_count(shelter) == 1


def test_a_one_off_opportunity_needs_a_date_and_counts_as_its_weekday(shelter, coordinator):
    with pytest.raises(ValidationError):
        new_opportunity(shelter, coordinator, schedule=Opportunity.Schedule.ONE_OFF)
    saturday = datetime.date(2027, 1, 2)
    opportunity = new_opportunity(
        shelter, coordinator, schedule=Opportunity.Schedule.ONE_OFF, date=saturday
    )
    assert opportunity.weekday_list == [5]


def test_updating_replaces_the_languages_and_follows_the_shelters_consent(shelter, coordinator):
    opportunity = new_opportunity(shelter, coordinator)
    shelter.address_public = True
    shelter.save()
    services.update_opportunity(
        opportunity=opportunity,
        by=coordinator,
        title="Sprachcafé",
        weekdays=[4],
        languages=["uk"],
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "Sprachcafé"
    assert opportunity.weekday_list == [4]
    assert opportunity.language_codes == ["uk"]
    assert opportunity.public_latitude == shelter.latitude


def test_an_application_is_stored_unconfirmed_with_a_salt_and_the_consent_version(opportunity):
    application = services.apply(
        opportunity=opportunity, full_name=" Amira Haddad ", email="amira@example.org"
    )
    assert application.status == Application.Status.UNCONFIRMED
    assert application.full_name == "Amira Haddad"
    assert application.link_salt
    assert application.consent_version == services.CONSENT_VERSION
    assert links.application_for_token(links.application_token(application)) == application


def test_a_paused_opportunity_takes_no_application(opportunity):
    opportunity.status = Opportunity.Status.PAUSED
    opportunity.save()
    with pytest.raises(ValidationError):
        services.apply(opportunity=opportunity, full_name="A", email="a@example.org")
    assert not Application.objects.exists()


def test_confirming_makes_the_shelters_record_with_the_consent(opportunity, shelter):
    application = ApplicationFactory(opportunity=opportunity, languages=["ar"])
    confirmed, newly = services.confirm_application(application=application)
    assert newly
    assert confirmed.status == Application.Status.CONFIRMED
    volunteer = confirmed.volunteer
    assert volunteer.shelter == shelter
    assert volunteer.source == Volunteer.Source.APPLICATION
    assert volunteer.stage == Volunteer.Stage.APPLIED
    assert volunteer.languages == ["ar"]
    consent = ConsentRecord.objects.get(application=confirmed)
    assert consent.volunteer == volunteer
    assert consent.version == application.consent_version
    assert consent.kind == ConsentRecord.Kind.PROCESSING
    assert ShelterVolunteerFigures.objects.get(shelter=shelter).applied == 1


def test_confirming_twice_is_harmless(opportunity, shelter):
    application = ApplicationFactory(opportunity=opportunity)
    services.confirm_application(application=application)
    _again, newly = services.confirm_application(application=application)
    assert not newly
    assert Volunteer.objects.count() == 1
    assert ConsentRecord.objects.count() == 1
    assert ShelterVolunteerFigures.objects.get(shelter=shelter).applied == 1


def test_a_known_address_finds_the_existing_record(opportunity, shelter):
    known = VolunteerFactory(shelter=shelter, email="Amira@Example.org")
    application = ApplicationFactory(opportunity=opportunity, email="amira@example.org")
    confirmed, _newly = services.confirm_application(application=application)
    assert confirmed.volunteer == known
    assert Volunteer.objects.count() == 1


def test_an_expired_application_cannot_be_confirmed(opportunity, settings):
    application = ApplicationFactory(
        opportunity=opportunity,
        created_at=timezone.now()
        - datetime.timedelta(hours=settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS, minutes=1),
    )
    assert services.is_expired(application)
    with pytest.raises(ValidationError):
        services.confirm_application(application=application)
    assert not Volunteer.objects.exists()


def test_every_berlin_postcode_has_a_centre_inside_berlin():
    codes = board_geo.postcodes()
    assert len(codes) > 180
    assert codes["10115"] == pytest.approx((52.5323, 13.3846))
    for lat, lon in codes.values():
        assert 52.3 < lat < 52.7 and 13.05 < lon < 13.8


def test_distance_keeps_what_lies_within_the_radius_nearest_first(shelter, other_shelter):
    mitte = OpportunityFactory(shelter=shelter)  # district centre ~1.7 km from 10115
    spandau = OpportunityFactory(shelter=other_shelter)  # ~12.9 km from 10115
    lat, lon = board_geo.centre_of("10115")
    near = list(board_geo.within(Opportunity.objects.all(), lat=lat, lon=lon, km=3))
    assert near == [mitte]
    assert board_geo.distance_km(near[0]) == pytest.approx(1.7, abs=0.2)
    both = list(board_geo.within(Opportunity.objects.all(), lat=lat, lon=lon, km=20))
    assert both == [mitte, spandau]
    assert board_geo.distance_km(both[1]) == pytest.approx(12.9, abs=0.5)


def test_current_coordinators_are_who_is_told(opportunity, shelter, coordinator):
    CoordinatorPositionFactory(shelter=shelter, person=None)
    from bfe.volunteering.tasks import board as tasks

    application = ApplicationFactory(opportunity=opportunity, status=Application.Status.CONFIRMED)
    assert tasks.notify_coordinators.call(application_id=application.pk) == 1


def test_withdrawing_the_public_address_moves_the_opportunities_to_the_district_centre(
    shelter, coordinator
):
    shelter.address_public = True
    shelter.latitude, shelter.longitude = Decimal("52.541000"), Decimal("13.401000")
    shelter.save()
    opportunity = new_opportunity(shelter, coordinator)
    shelter.address_public = False
    # Saving the shelter is enough: volunteering listens for it (apps.py).
    shelter.save()
    opportunity.refresh_from_db()
    assert opportunity.public_latitude == shelter.district.latitude
    assert opportunity.public_longitude == shelter.district.longitude
    assert services.refresh_public_position(shelter=shelter) == 0


def test_a_signed_in_volunteer_applying_with_her_address_gets_her_record_linked(
    opportunity, volunteer_user
):
    application = services.apply(
        opportunity=opportunity,
        full_name="Amira Haddad",
        email=volunteer_user.email.upper(),
        user=volunteer_user,
    )
    confirmed, _newly = services.confirm_application(application=application)
    assert confirmed.user == volunteer_user
    assert confirmed.volunteer.user == volunteer_user


def test_applying_with_another_address_links_no_account(opportunity, volunteer_user):
    application = services.apply(
        opportunity=opportunity, full_name="A", email="other@example.org", user=volunteer_user
    )
    assert application.user is None
