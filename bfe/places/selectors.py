"""Reads of places for pages. Every read starts from a `visible_to` / `editable_by` scope."""

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse

from bfe.accounts.models import Role, Roles

from .models import CoordinatorPosition, District, Region, Shelter, today


def regional_coordinators():
    """Roles of the regional coordinators, with their person, for contact lists."""
    return Role.objects.filter(kind=Role.Kind.REGIONAL_COORDINATOR).select_related("user")


def current_regions():
    """Current regions with their districts, coordinators and counts of open shelters."""
    return (
        Region.objects.current()
        .annotate(
            shelter_count=Count(
                "districts__shelters",
                filter=Q(districts__shelters__closed_on__isnull=True)
                | Q(districts__shelters__closed_on__gt=today()),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.order_by("number")),
            Prefetch("roles", queryset=regional_coordinators(), to_attr="coordinator_roles"),
        )
        .order_by("name")
    )


def home_figures():
    """The few public figures on the home page."""
    totals = Shelter.objects.open().aggregate(shelters=Count("pk"), residents=Sum("residents"))
    return {
        "shelter_count": totals["shelters"] or 0,
        "resident_count": totals["residents"] or 0,
        "regions": list(current_regions()),
    }


def shelters_for_directory(user):
    """The directory's base set: scoped, with what the list shows, in one query."""
    return (
        Shelter.objects.visible_to(user)
        .with_vacancy()
        .select_related("district", "operator")
        .order_by("name", "pk")
    )


def map_points(shelters):
    """Map data for exactly the given shelters.

    Shelters whose address the viewer may see become exact pins; the others are counted per
    district and shown at the district's centre, so that the public never sees a location.
    """
    exact = []
    by_district = {}
    rows = shelters.values_list(
        "pk",
        "name",
        "latitude",
        "longitude",
        "shows_address",
        "is_staffed",
        "district__name",
        "district__latitude",
        "district__longitude",
    )
    # Thousands of rows at national scale: one reverse() for all pins, one dict per district.
    url = reverse("places:shelter_detail", args=[0]).removesuffix("0/")
    for pk, name, lat, lng, shows_address, is_staffed, d_name, d_lat, d_lng in rows:
        if shows_address and lat is not None and lng is not None:
            exact.append(
                {
                    "url": f"{url}{pk}/",
                    "name": name,
                    "lat": float(lat),
                    "lng": float(lng),
                    "vacant": not is_staffed,
                }
            )
        else:
            entry = by_district.get(d_name)
            if entry is None:
                entry = by_district[d_name] = {
                    "name": d_name,
                    "lat": float(d_lat),
                    "lng": float(d_lng),
                    "count": 0,
                }
            entry["count"] += 1
    return {"shelters": exact, "districts": list(by_district.values())}


def map_point_of(shelter):
    """Map data for one shelter already loaded with `shows_address` (no query)."""
    if not shelter.shows_address or shelter.latitude is None or shelter.longitude is None:
        return {"shelters": [], "districts": []}
    point = {
        "url": shelter.get_absolute_url(),
        "name": shelter.name,
        "lat": float(shelter.latitude),
        "lng": float(shelter.longitude),
        "vacant": not shelter.is_staffed,
    }
    return {"shelters": [point], "districts": []}


def shelter_for_detail(user, pk):
    """One shelter as the viewer may see it.

    `contacts`: the current holders whose name and work e-mail the viewer may see;
    `position_history`: every post with its weekly hours, for the shelter's BfE staff only
    (empty for everyone else); `district.regions`: its current regions with their regional
    coordinators (`coordinator_roles`), the contact for everyone.
    """
    positions = (
        CoordinatorPosition.objects.visible_to(user)
        .select_related("person")
        .order_by("-starts_on", "pk")
    )
    regions = Region.objects.current().prefetch_related(
        Prefetch("roles", queryset=regional_coordinators(), to_attr="coordinator_roles")
    )
    shelter = (
        Shelter.objects.visible_to(user)
        .with_vacancy()
        .with_position_access(user)
        .select_related("district", "operator")
        .prefetch_related(
            Prefetch("positions", queryset=positions, to_attr="visible_positions"),
            Prefetch("district__regions", queryset=regions),
        )
        .get(pk=pk)
    )
    shelter.contacts = [p for p in shelter.visible_positions if p.is_current and not p.is_vacant]
    shelter.position_history = [p for p in shelter.visible_positions if p.shows_history]
    return shelter


def region_with_shelters(user, slug):
    region = current_regions().get(slug=slug)
    shelters = shelters_for_directory(user).in_region(region)
    return region, shelters


# The start page's shelter section shows the first few; the directory has the rest.
START_SHELTER_LIMIT = 10


def shelters_for_start(user):
    """The start page's shelter section: the shelters a person may edit (unstaffed first, then
    the largest), the first START_SHELTER_LIMIT of them, their totals and her regions, in three
    queries. Scoped by `Shelter.objects.editable_by`: a coordinator's own shelters, a regional
    coordinator's region."""
    roles = Roles.of(user)
    editable = shelters_for_directory(user).filter(
        pk__in=Shelter.objects.editable_by(user).values("pk")
    )
    first = editable.order_by("is_staffed", "-residents", "name")[:START_SHELTER_LIMIT]
    return {
        "shelters": list(first),
        "totals": editable.aggregate(
            total=Count("pk"), vacant=Count("pk", filter=Q(is_staffed=False))
        ),
        "regions": list(Region.objects.filter(pk__in=roles.region_ids).order_by("name"))
        if roles.region_ids
        else [],
    }
