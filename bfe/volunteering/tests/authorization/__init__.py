"""Volunteering's rows of the platform's authorisation matrix
(bfe/core/tests/test_authorization_matrix.py), one module per part of the app so that each
part adds its URLs without touching the others'. Each module has

    def matrix(m):   # m: the matrix module, for LOGIN, EVERYONE, NOBODY_BUT …
        return {"volunteering:board": (None, m.EVERYONE), ...}

    def world(people, shelter_nord, shelter_west):
        return {"opportunity_nord": ..., ...}   # objects its rows' args builders read
"""

from . import board, imports, pipeline, privacy, self_service, shifts

PARTS = [board, pipeline, shifts, self_service, imports, privacy]


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
