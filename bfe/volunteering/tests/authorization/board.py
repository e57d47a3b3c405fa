"""The board's rows of the authorisation matrix: the public board and "Ich möchte helfen" are
for everyone; the opportunities of a shelter are managed by its coordinators only (everyone
else, BfE staff and partners included, gets 404)."""


def matrix(m):
    nord_only = m.NOBODY_BUT(coordinator_nord=200)
    coordinators = m.NOBODY_BUT(coordinator_nord=200, coordinator_west=200)
    opportunity = lambda w: [w["opportunity_nord"].pk]  # noqa: E731
    return {
        "volunteering:board": (None, m.EVERYONE),
        "volunteering:board_map": (None, m.EVERYONE),
        "volunteering:opportunity": (opportunity, m.EVERYONE),
        "volunteering:board_apply": (opportunity, m.EVERYONE),
        "volunteering:board_apply_sent": (opportunity, m.EVERYONE),
        "volunteering:board_confirm": (lambda w: [w["application_token_nord"]], m.EVERYONE),
        "volunteering:board_manage": (None, coordinators),
        "volunteering:board_create": (None, coordinators),
        "volunteering:board_edit": (opportunity, nord_only),
        "volunteering:board_status": (opportunity, nord_only),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.services import links
    from bfe.volunteering.tests.factories import ApplicationFactory, OpportunityFactory

    opportunity_nord = OpportunityFactory(shelter=shelter_nord)
    application = ApplicationFactory(opportunity=opportunity_nord)
    return {
        "opportunity_nord": opportunity_nord,
        "application_token_nord": links.application_token(application),
    }
