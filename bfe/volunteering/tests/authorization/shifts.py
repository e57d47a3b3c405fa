"""The shifts part's rows of the authorisation matrix: an opportunity's shifts and a shift's
sign-ups are for the coordinators of its shelter only (regional coordinators, the lead and
partners see no names); "my shifts" for anyone signed in (her own records only); the personal
link and its feed by the token alone."""

UNKNOWN_TOKEN = "999999.not-a-valid-digest"
# Actions that only make sense as a POST are tried with POST (added to the matrix's set).
POST_ONLY = set()


def matrix(m):
    m.POST_ONLY.update(POST_ONLY)
    nord_only = m.NOBODY_BUT(coordinator_nord=200)
    return {
        "volunteering:shifts_list": (lambda w: [w["shifts_opportunity_nord"].pk], nord_only),
        "volunteering:shift_detail": (lambda w: [w["shifts_shift_nord"].pk], nord_only),
        "volunteering:shifts_mine": (None, m.SIGNED_IN),
        "volunteering:shifts_link": (lambda w: [w["shifts_token"]], m.EVERYONE),
        "volunteering:shifts_link_feed": (lambda w: [w["shifts_token"]], m.EVERYONE),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.services.links import volunteer_token

    from ..factories import OpportunityFactory, ShiftFactory, ShiftSignupFactory, VolunteerFactory

    opportunity = OpportunityFactory(shelter=shelter_nord)
    shift = ShiftFactory(opportunity=opportunity)
    volunteer = VolunteerFactory(shelter=shelter_nord, user=people["volunteer"])
    ShiftSignupFactory(shift=shift, volunteer=volunteer)
    return {
        "shifts_opportunity_nord": opportunity,
        "shifts_shift_nord": shift,
        "shifts_token": volunteer_token(volunteer),
    }
