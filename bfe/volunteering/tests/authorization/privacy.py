"""The privacy part's rows: "Meine Daten", its export, consent withdrawal and account deletion
(under /konto/, owned by accounts). Every signed-in person, whatever her role, reaches her own
data and nobody else's: the pages take no id, they read `request.user`."""


def matrix(m):
    # Withdrawing is an action: tried with POST (a person without consents gets a message).
    m.POST_ONLY.add("accounts:consent_withdraw")
    signed_in_action = {**dict.fromkeys(m.ROLES, 302), "anonymous": m.LOGIN}
    return {
        "accounts:my_data": (None, m.SIGNED_IN),
        "accounts:my_data_print": (None, m.SIGNED_IN),
        "accounts:my_data_json": (None, m.SIGNED_IN),
        "accounts:my_data_pdf": (None, m.SIGNED_IN),
        "accounts:consent_withdraw": (lambda w: ["volunteering.processing"], signed_in_action),
        # The project lead of the matrix is the only one: she sees why she may not (200).
        "accounts:account_delete": (None, m.SIGNED_IN),
        "accounts:account_deleted": (None, m.EVERYONE),
        # A record's personal link is the credential: whoever holds it, signed in or not.
        "volunteering:privacy_record": (lambda w: [w["privacy_token"]], m.EVERYONE),
        "volunteering:privacy_record_json": (lambda w: [w["privacy_token"]], m.EVERYONE),
        "volunteering:privacy_record_delete": (lambda w: [w["privacy_token"]], m.EVERYONE),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.services import links
    from bfe.volunteering.tests.factories import VolunteerFactory

    record = VolunteerFactory(shelter=shelter_nord, email="ohne-konto@example.org")
    return {"privacy_token": links.volunteer_token(record)}
