"""The extraction part's rows of the authorisation matrix: the staff page of unreadable files
and its retry are for BfE staff (lead and regional coordinators); everyone else gets 404."""


def matrix(m):
    return {
        "materials:extraction": (None, m.BFE_STAFF),
        # GET asks before the POST retries: the same people see the question.
        "materials:extraction_retry": (lambda w: [w["version_failed"].pk], m.BFE_STAFF),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.materials.models import MaterialVersion
    from bfe.materials.tests.factories import MaterialVersionFactory

    version = MaterialVersionFactory(
        extraction_status=MaterialVersion.Extraction.FAILED,
        extraction_error="PDF beschädigt oder nicht lesbar (PdfReadError: EOF marker not found)",
        extracted_text="",
    )
    return {"version_failed": version}
