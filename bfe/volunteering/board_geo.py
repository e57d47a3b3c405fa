"""Reads of the public board: postcode centroids, the distance filter and the map's GeoJSON.

Berlin's postcodes and the centre of each come from GeoNames (CC BY 4.0), shipped as
data/berlin_postcodes.csv: no geocoder is asked, nothing leaves the server.
"""

import csv
import functools
import hashlib
import json
import math
from pathlib import Path

from django.db.models import Count, FloatField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bfe.core import fragments
from bfe.places.models import LANGUAGE_NAMES

from .models import WEEKDAY_BITS, WEEKDAY_CHOICES, Opportunity

POSTCODES_FILE = Path(__file__).with_name("data") / "berlin_postcodes.csv"
KM_PER_DEGREE = 111.32  # one degree of latitude, and of longitude at the equator


@functools.cache
def postcodes():
    """{postcode: (lat, lon)} of Berlin's postcodes, read once per process."""
    with POSTCODES_FILE.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["postcode"]: (float(row["lat"]), float(row["lon"])) for row in rows}


def centre_of(postcode):
    return postcodes().get((postcode or "").strip())


def within(queryset, *, lat, lon, km):
    """The opportunities placed within `km` of (lat, lon), nearest first, annotated with
    `distance_km`. A bounding box on the indexed position narrows the rows, then the squared
    equirectangular distance decides (exact to well under 1 % at city scale); all in SQL, on
    SQLite and PostgreSQL alike, so the page keeps its fixed number of queries."""
    cos_lat = math.cos(math.radians(lat))
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * cos_lat)
    latitude = Cast("public_latitude", FloatField())
    longitude = Cast("public_longitude", FloatField())
    dy = latitude - lat
    dx = (longitude - lon) * cos_lat
    return (
        queryset.filter(
            public_latitude__gte=lat - dlat,
            public_latitude__lte=lat + dlat,
            public_longitude__gte=lon - dlon,
            public_longitude__lte=lon + dlon,
        )
        .annotate(distance_sq=dx * dx + dy * dy)
        .filter(distance_sq__lte=dlat * dlat)
        .order_by("distance_sq", "-published_at", "-pk")
    )


def distance_km(opportunity):
    """The distance annotated by `within`, in km, or None."""
    distance_sq = getattr(opportunity, "distance_sq", None)
    if distance_sq is None:
        return None
    return math.sqrt(max(distance_sq, 0)) * KM_PER_DEGREE


def board_base():
    """What the public board lists: published opportunities, one-off ones not yet past."""
    today = timezone.localdate()
    return Opportunity.objects.published().filter(
        Q(schedule=Opportunity.Schedule.REGULAR) | Q(date__gte=today)
    )


def _point(lng, lat, properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        "properties": properties,
    }


def map_geojson(opportunities):
    """A FeatureCollection of the given (filtered, published) opportunities, in two queries:
    a pin with title and link where the shelter's address is public, else a count per
    district at the district's centre, so that the map never shows where a shelter is."""
    exact = Q(shelter__address_public=True)
    pins = (
        opportunities.filter(exact)
        .order_by()
        .values_list("pk", "title", "public_latitude", "public_longitude")
    )
    url = reverse("volunteering:opportunity", args=[0]).removesuffix("0/")
    features = [
        _point(lng, lat, {"kind": "opportunity", "name": title, "url": f"{url}{pk}/"})
        for pk, title, lat, lng in pins
        if lat is not None and lng is not None
    ]
    counts = (
        opportunities.exclude(exact)
        .order_by()
        .values("district__name", "district__latitude", "district__longitude")
        .annotate(count=Count("pk"))
        .values_list("district__name", "district__latitude", "district__longitude", "count")
        .order_by("district__name")
    )
    features += [
        _point(lng, lat, {"kind": "district", "name": name, "count": count})
        for name, lat, lng, count in counts
    ]
    return {"type": "FeatureCollection", "features": features}


def map_geojson_cached(opportunities, *, filters):
    """`map_geojson` as JSON bytes, cached per data version of volunteering and places, the
    filters and today (one-off dates pass, shelters close by date)."""
    return fragments.cached(
        "volunteering.board_map",
        lambda: json.dumps(map_geojson(opportunities), separators=(",", ":")).encode(),
        apps=("volunteering", "places"),
        vary=(timezone.localdate().isoformat(), filters),
    )


def map_version(filters):
    """An ETag that changes whenever `map_geojson_cached` would answer differently."""
    parts = (
        *fragments.versions(("volunteering", "places")),
        timezone.localdate().isoformat(),
        filters,
    )
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def with_list_columns(queryset):
    """The lean columns a board row shows."""
    return queryset.select_related("area", "district").only(
        "pk",
        "title",
        "schedule",
        "weekdays",
        "date",
        "time_from",
        "time_until",
        "needs_clearance",
        "published_at",
        "area__name",
        "area__name_en",
        "district__name",
    )


def when_label(opportunity):
    """When an opportunity takes place, as one line ("regelmäßig: Dienstag, 16:00–18:00")."""
    times = ""
    if opportunity.time_from:
        times = opportunity.time_from.strftime("%H:%M")
        if opportunity.time_until:
            times += "–" + opportunity.time_until.strftime("%H:%M")
    if opportunity.schedule == Opportunity.Schedule.ONE_OFF and opportunity.date:
        text = _("einmalig am") + " " + date_format(opportunity.date, "SHORT_DATE_FORMAT")
    else:
        days = [
            str(label) for day, label in WEEKDAY_CHOICES if opportunity.weekdays & WEEKDAY_BITS[day]
        ]
        text = _("regelmäßig") + (": " + ", ".join(days) if days else "")
    return f"{text}, {times}" if times else text


def decorate(opportunities):
    """What a row shows, computed once in Python rather than in the template of each row:
    `when`, `language_names` (from prefetched languages) and `distance` (km or None)."""
    for opportunity in opportunities:
        opportunity.when = when_label(opportunity)
        opportunity.language_names = ", ".join(
            str(LANGUAGE_NAMES.get(row.language, row.language))
            for row in opportunity.languages.all()
        )
        opportunity.distance = distance_km(opportunity)
    return opportunities
