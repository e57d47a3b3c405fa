"""The self-service part's rows: a volunteer's own pages are hers alone (every signed-in person
has them, showing her own records only); the coordinator's hours pages are the coordinators'
of the shelter; regional coordinators, the lead and partners get none of them (404)."""

import datetime


def matrix(m):
    coordinators = m.NOBODY_BUT(coordinator_nord=200, coordinator_west=200)
    nord_only = m.NOBODY_BUT(coordinator_nord=200)
    return {
        "volunteering:attestation_verify": (
            lambda w: [w["self_service_attestation"].verification_code],
            m.EVERYONE,
        ),
        "volunteering:self_service_hours": (None, m.SIGNED_IN),
        "volunteering:self_service_attestation": (None, m.SIGNED_IN),
        "volunteering:self_service_attestation_pdf": (
            lambda w: [w["self_service_attestation"].pk],
            m.NOBODY_BUT(volunteer=200),
        ),
        "volunteering:self_service_profile": (None, m.SIGNED_IN),
        "volunteering:self_service_applications": (None, m.SIGNED_IN),
        "volunteering:self_service_withdraw": (
            lambda w: [w["self_service_application"].pk],
            m.NOBODY_BUT(volunteer=200),
        ),
        "volunteering:self_service_hours_review": (None, coordinators),
        "volunteering:self_service_hours_record": (None, coordinators),
        "volunteering:self_service_hours_entry": (
            lambda w: [w["self_service_hours_entry"].pk],
            nord_only,
        ),
        "volunteering:self_service_shelter_attestation": (
            lambda w: [w["self_service_volunteer"].pk],
            nord_only,
        ),
        "volunteering:self_service_shelter_attestation_pdf": (
            lambda w: [w["self_service_attestation"].pk],
            nord_only,
        ),
        # GET asks whether she means it; the POST is tried for every refused role.
        "volunteering:self_service_attestation_revoke": (
            lambda w: [w["self_service_attestation"].pk],
            nord_only,
        ),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.models import HoursEntry
    from bfe.volunteering.services.hours import issue_attestation
    from bfe.volunteering.tests.factories import (
        ApplicationFactory,
        OpportunityFactory,
        VolunteerFactory,
    )

    volunteer = VolunteerFactory(
        shelter=shelter_nord, user=people["volunteer"], email=people["volunteer"].email
    )
    opportunity = OpportunityFactory(shelter=shelter_nord)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    HoursEntry.objects.create(
        volunteer=volunteer,
        date=yesterday,
        hours=3,
        activity="Sprachcafé",
        status=HoursEntry.Status.CONFIRMED,
    )
    proposed = HoursEntry.objects.create(
        volunteer=volunteer, date=yesterday, hours=2, activity="Hausaufgabenhilfe"
    )
    return {
        "self_service_volunteer": volunteer,
        "self_service_hours_entry": proposed,
        "self_service_application": ApplicationFactory(
            opportunity=opportunity,
            volunteer=volunteer,
            user=people["volunteer"],
            email=people["volunteer"].email,
        ),
        "self_service_attestation": issue_attestation(
            volunteer=volunteer,
            period_start=yesterday,
            period_end=yesterday,
            issued_by=people["volunteer"],
        ),
    }
