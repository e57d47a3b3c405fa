"""The pipeline's rows: her shelter's coordinator alone reads and edits its volunteers; BfE
staff, partners, volunteers and other shelters' coordinators get a 404, never a name.
Actions answer a GET by sending the coordinator back to the page they belong to (302)."""


def matrix(m):
    page = m.NOBODY_BUT(coordinator_nord=200, coordinator_west=200)
    nord_page = m.NOBODY_BUT(coordinator_nord=200)
    nord_action = m.NOBODY_BUT(coordinator_nord=302)
    record = lambda w: [w["pipeline_volunteer_nord"].pk]  # noqa: E731
    return {
        "volunteering:pipeline": (None, page),
        "volunteering:pipeline_board": (None, page),
        "volunteering:pipeline_add": (None, page),
        "volunteering:pipeline_templates": (None, page),
        "volunteering:pipeline_template": (lambda w: ["first_meeting"], page),
        "volunteering:pipeline_checklist": (None, page),
        "volunteering:pipeline_checklist_item": (
            lambda w: [w["pipeline_checklist_item_nord"].pk],
            nord_action,
        ),
        "volunteering:volunteer": (record, nord_page),
        "volunteering:pipeline_contact": (record, nord_page),
        "volunteering:pipeline_move": (record, nord_action),
        "volunteering:pipeline_stage": (record, nord_action),
        "volunteering:pipeline_note": (record, nord_action),
        "volunteering:pipeline_message": (record, nord_page),
        "volunteering:pipeline_checklist_tick": (
            lambda w: [w["pipeline_volunteer_nord"].pk, w["pipeline_checklist_item_nord"].pk],
            nord_action,
        ),
        "volunteering:pipeline_clearance": (record, nord_action),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.services.pipeline_onboarding import checklist_items
    from bfe.volunteering.tests.factories import VolunteerFactory

    return {
        "pipeline_volunteer_nord": VolunteerFactory(
            shelter=shelter_nord, full_name="Vera Nord-Freiwillige"
        ),
        "pipeline_checklist_item_nord": checklist_items(shelter_nord).first(),
    }
