"""Reads of places for pages. Every read starts from a `visible_to` / `editable_by` scope."""

import hashlib
import json

from django.db.models import Case, Count, Prefetch, Q, Sum, When
from django.urls import reverse
from django.utils.translation import get_language

from bfe.accounts.models import Role, Roles
from bfe.core import fragments

from .models import CoordinatorPosition, District, Organisation, Region, Shelter, today


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


def _region_cards():
    return [
        {
            "name": region.name,
            "url": region.get_absolute_url(),
            "district_names": [district.name for district in region.districts.all()],
            "shelter_count": region.shelter_count,
            "coordinator_names": [role.user.get_full_name() for role in region.coordinator_roles],
            "contact_email": region.contact_email,
        }
        for region in current_regions()
    ]


def region_cards():
    """The region cards of the home page and the region list: plain values, the same for
    everyone, cached until places or people change (shelters close by date: keyed by today)."""
    return fragments.cached(
        "places.region_cards",
        _region_cards,
        apps=("places", "accounts"),
        vary=(get_language(), today().isoformat()),
    )


def _home_totals():
    totals = Shelter.objects.open().aggregate(shelters=Count("pk"), residents=Sum("residents"))
    return {"shelter_count": totals["shelters"] or 0, "resident_count": totals["residents"] or 0}


def home_figures():
    """The few public figures on the home page, and the region cards: from the cache while
    no place changed, so the home page does not grow with the data."""
    totals = fragments.cached(
        "places.home_totals", _home_totals, apps=("places",), vary=(today().isoformat(),)
    )
    return {**totals, "regions": region_cards()}


def shelters_for_directory(user):
    """The directory's base set: scoped, with what the list shows, in one query."""
    return (
        Shelter.objects.visible_to(user)
        .with_vacancy()
        .select_related("district", "operator")
        .order_by("name", "pk")
    )


def _point(lng, lat, properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        "properties": properties,
    }


def map_geojson(shelters):
    """A GeoJSON FeatureCollection of exactly the given (scoped) shelters, in two queries.

    Shelters whose address the viewer may see become exact pins (`kind` "shelter"); the others
    are counted per district and shown at the district's centre (`kind` "district"), so that
    the public never learns a location. Thousands of pins for staff at national scale: the
    browser clusters them.
    """
    exact = Q(shows_address=True, latitude__isnull=False, longitude__isnull=False)
    url = reverse("places:shelter_detail", args=[0]).removesuffix("0/")
    pins = (
        shelters.filter(exact)
        .order_by()
        .values_list("pk", "name", "latitude", "longitude", "is_staffed")
    )
    features = [
        _point(
            lng, lat, {"kind": "shelter", "name": name, "url": f"{url}{pk}/", "vacant": not staffed}
        )
        for pk, name, lat, lng, staffed in pins
    ]
    counts = (
        shelters.exclude(exact)
        .order_by()
        .values_list("district__name", "district__latitude", "district__longitude")
        .annotate(count=Count("pk"))
        .order_by("district__name")
    )
    features += [
        _point(lng, lat, {"kind": "district", "name": name, "count": count})
        for name, lat, lng, count in counts
    ]
    return {"type": "FeatureCollection", "features": features}


def map_geojson_cached(shelters, *, scope, filters):
    """`map_geojson` as JSON bytes, cached per places data version, the viewer's scope (what
    `visible_to` depends on), the filters and today (shelters close and posts end by date).
    Bytes, not the data: encoding thousands of pins again on every request cost more than
    reading them."""
    return fragments.cached(
        "places.map_geojson_json",
        lambda: json.dumps(map_geojson(shelters), separators=(",", ":")).encode(),
        apps=("places",),
        vary=(scope, today().isoformat(), filters),
    )


def map_scope(user):
    """What the viewer's map depends on: whether closed shelters and exact pins are shown."""
    roles = Roles.of(user)
    return f"staff={int(roles.is_bfe_staff)},exact={int(roles.sees_exact_addresses)}"


def map_version(user, filters):
    """A tag that changes whenever `map_geojson_cached` would answer differently (an ETag)."""
    parts = (*fragments.versions(("places",)), map_scope(user), today().isoformat(), filters)
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def map_point_of(shelter):
    """Map data (GeoJSON) for one shelter already loaded with `shows_address` (no query)."""
    features = []
    if shelter.shows_address and shelter.latitude is not None and shelter.longitude is not None:
        properties = {
            "kind": "shelter",
            "name": shelter.name,
            "url": shelter.get_absolute_url(),
            "vacant": not shelter.is_staffed,
        }
        features.append(_point(shelter.longitude, shelter.latitude, properties))
    return {"type": "FeatureCollection", "features": features}


SUGGESTION_LIMIT = 10


def filter_suggestions(field, text):
    """Up to SUGGESTION_LIMIT names for the directory's long filters (district, operator)
    that contain `text`, those starting with it first. Public names only."""
    sources = {
        "district": District.objects.all(),
        "operator": Organisation.objects.filter(kind=Organisation.Kind.OPERATOR),
    }
    text = text.strip()[:100]
    if field not in sources or not text:
        return []
    names = (
        sources[field]
        .filter(name__icontains=text)
        .annotate(starts=Case(When(name__istartswith=text, then=0), default=1))
        .order_by("starts", "name")
        .values_list("name", flat=True)[:SUGGESTION_LIMIT]
    )
    return list(names)


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
