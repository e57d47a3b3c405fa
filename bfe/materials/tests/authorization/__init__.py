"""The materials library's rows of the platform's authorisation matrix
(bfe/core/tests/test_authorization_matrix.py), one module per part, as volunteering does:

    def matrix(m):   # m: the matrix module, for LOGIN, EVERYONE, NOBODY_BUT …
        return {"materials:detail": (args_builder_or_None, m.EVERYONE), ...}

    def world(people, shelter_nord, shelter_west):
        return {"material_public": ..., ...}   # objects its rows' args builders read
"""

from . import extraction, library, moderation, search

PARTS = [library, search, moderation, extraction]


def matrix(m):
    rows = {}
    for part in PARTS:
        rows.update(part.matrix(m))
    return rows


def world(people, shelter_nord, shelter_west):
    objects = {}
    for part in PARTS:
        objects.update(part.world(people, shelter_nord, shelter_west))
    return objects
