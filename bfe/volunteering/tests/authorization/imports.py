def matrix(m):
    return {}


def world(people, shelter_nord, shelter_west):
    return {}
