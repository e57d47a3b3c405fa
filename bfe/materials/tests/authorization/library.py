"""The library part's rows of the authorisation matrix: the front page, public materials, their
downloads and collections are for everyone; internal materials for coordinators and BfE staff
(anonymous visitors, volunteers and partners get 404); curation for BfE staff only."""


def matrix(m):
    staff = m.BFE_STAFF
    staff_redirect = m.NOBODY_BUT(regional_nord=302, regional_west=302, admin=302)
    public_material = lambda w: [w["material_public"].pk]  # noqa: E731
    internal_material = lambda w: [w["material_internal"].pk]  # noqa: E731
    file_material = lambda w: [w["material_file"].pk]  # noqa: E731
    collection = lambda w: [w["collection"].slug]  # noqa: E731
    return {
        "materials:index": (None, m.EVERYONE),
        "materials:detail": (public_material, m.EVERYONE),
        # Internal materials (their page, and who gets 404) are tested in test_library_pages.
        "materials:download": (file_material, m.EVERYONE),
        "materials:version_download": (lambda w: [w["material_file"].pk, 1], staff),
        "materials:create": (None, staff),
        "materials:edit": (internal_material, staff),
        "materials:replace": (internal_material, staff),
        "materials:archive": (internal_material, staff),
        "materials:collection": (collection, m.EVERYONE),
        "materials:collection_list": (None, staff),
        "materials:collection_create": (None, staff),
        "materials:collection_edit": (collection, staff),
        "materials:collection_add": (collection, staff_redirect),
        "materials:collection_item": (
            lambda w: [w["collection"].slug, w["collection_item"].pk],
            staff_redirect,
        ),
    }


def world(people, shelter_nord, shelter_west):
    from bfe.materials.models import Material
    from bfe.materials.tests.factories import (
        CollectionFactory,
        CollectionItemFactory,
        MaterialFactory,
        MaterialVersionFactory,
    )

    public = MaterialFactory(audience=Material.Audience.PUBLIC)
    version = MaterialVersionFactory(number=1, material__audience=Material.Audience.PUBLIC)
    collection = CollectionFactory()
    return {
        "material_public": public,
        "material_internal": MaterialFactory(),
        "material_file": version.material,
        "collection": collection,
        "collection_item": CollectionItemFactory(collection=collection, material=public),
    }
