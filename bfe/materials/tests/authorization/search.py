"""The search part's rows of the authorisation matrix: the search page is for everyone; what it
finds is scoped by audience (tested in test_search_engine.py)."""


def matrix(m):
    return {"materials:search": (None, m.EVERYONE)}


def world(people, shelter_nord, shelter_west):
    return {}
