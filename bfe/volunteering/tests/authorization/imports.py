"""The imports part's rows: imports are for the shelter's coordinators only (they hold
names); the keep-my-data link is public, its token is the permission."""


def matrix(m):
    nord_only = m.NOBODY_BUT(coordinator_nord=200)
    return {
        "volunteering:import_upload": (
            None,
            m.NOBODY_BUT(coordinator_nord=200, coordinator_west=200),
        ),
        "volunteering:import_status": (lambda w: [w["import_nord"].pk], nord_only),
        "volunteering:import_mapping": (lambda w: [w["import_nord"].pk], nord_only),
        "volunteering:retention_keep": (lambda w: [w["keep_token_nord"]], m.EVERYONE),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.volunteering.services import imports
    from bfe.volunteering.services.links import volunteer_token
    from bfe.volunteering.tests.factories import VolunteerFactory
    from bfe.volunteering.tests.factories_imports import HEADER, csv_file, person_rows

    job = imports.upload_list(
        shelter=shelter_nord,
        uploaded_by=people["coordinator_nord"],
        upload=csv_file([HEADER, *person_rows(2)]),
    )
    return {
        "import_nord": job,
        "keep_token_nord": volunteer_token(VolunteerFactory(shelter=shelter_nord)),
    }
