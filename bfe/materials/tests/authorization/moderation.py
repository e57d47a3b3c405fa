"""The moderation part's rows of the authorisation matrix: coordinators and BfE staff suggest
and see their own suggestions; only BfE staff moderate and review. Everybody else gets 404."""


def matrix(m):
    suggesters = m.NOBODY_BUT(
        coordinator_nord=200, coordinator_west=200, regional_nord=200, regional_west=200, admin=200
    )
    staff = m.BFE_STAFF
    staff_action = m.NOBODY_BUT(regional_nord=302, regional_west=302, admin=302)
    suggestion = lambda w: [w["suggestion_nord"].pk]  # noqa: E731
    material = lambda w: [w["material_due"].pk]  # noqa: E731
    m.POST_ONLY.update(
        {"materials:suggestion_accept", "materials:suggestion_reject", "materials:mark_reviewed"}
    )
    return {
        "materials:suggest": (None, suggesters),
        "materials:my_suggestions": (None, suggesters),
        "materials:moderation": (None, staff),
        "materials:suggestion": (suggestion, staff),
        "materials:suggestion_file": (suggestion, staff),
        "materials:suggestion_accept": (suggestion, staff_action),
        # Without a reason the form is shown again with its error.
        "materials:suggestion_reject": (suggestion, staff),
        "materials:review": (None, staff),
        "materials:mark_reviewed": (material, staff_action),
    }


def world(people, shelter_nord, shelter_west):
    import datetime

    from django.core.files.base import ContentFile

    from bfe.materials.tests.factories import MaterialFactory, SuggestionFactory

    return {
        "suggestion_nord": SuggestionFactory(
            suggested_by=people["coordinator_nord"],
            url="https://example.org/hilfe",
            file=ContentFile(b"Ein Text.", name="hilfe.txt"),
            file_name="hilfe.txt",
        ),
        "material_due": MaterialFactory(reviewed_on=datetime.date(2020, 1, 1)),
    }
