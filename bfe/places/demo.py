"""Fictional, reproducible demo data: Berlin today ("small") or a nationwide benchmark ("large").

Every name, address and person is invented. One seed gives the same data on every run and on
every day: dates are drawn relative to a fixed reference date, not to today.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from bfe.accounts.models import Role, User

from .models import LANGUAGE_CHOICES, CoordinatorPosition, District, Organisation, Region, Shelter

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented password of every demo login
DEMO_EMAIL_DOMAIN = "bfe.example"
ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
# Demo organisations are recognised by their contact addresses on example.org.
ORGANISATION_DOMAIN = "example.org"
SYNTHETIC_DISTRICT_PREFIX = "DE-"
SYNTHETIC_REGION_PREFIX = "de-"
REFERENCE_DATE = datetime.date(2025, 12, 31)
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Scale:
    shelters: int
    operators: int
    civil_society_organisations: int
    synthetic_regions: int = 0
    districts_per_region: int = 0
    # Weights for 0, 1, 2, 3 earlier coordinators before the current one (turnover).
    history_weights: tuple = (88, 11, 1, 0)
    closed_share: float = 0.04
    vacant_share: float = 0.15
    public_address_share: float = 0.05


SCALES = {
    "small": Scale(shelters=120, operators=15, civil_society_organisations=7),
    "large": Scale(
        shelters=3000,
        operators=500,
        civil_society_organisations=250,
        synthetic_regions=36,
        districts_per_region=8,
        history_weights=(25, 40, 25, 10),
    ),
}


class DemoDataExists(Exception):
    """The demo logins exist already; seeding again would duplicate data."""


def demo_data_exists():
    return (
        User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").exists()
        or Organisation.objects.filter(email__iendswith=f".{ORGANISATION_DOMAIN}").exists()
    )


@transaction.atomic
def delete_demo_data():
    """Delete everything the generator creates; Berlin's districts and regions stay."""
    demo_organisations = Organisation.objects.filter(email__iendswith=f".{ORGANISATION_DOMAIN}")
    Shelter.objects.filter(operator__in=demo_organisations).delete()
    demo_organisations.delete()
    User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    Region.objects.filter(slug__startswith=SYNTHETIC_REGION_PREFIX).delete()
    District.objects.filter(number__startswith=SYNTHETIC_DISTRICT_PREFIX).delete()


@transaction.atomic
def seed(scale="small", seed=2016, reset=False):
    """Create demo data and return counts of what was created.

    Raises DemoDataExists when demo data is present, unless `reset` deletes it first.
    """
    if reset:
        delete_demo_data()
    elif demo_data_exists():
        raise DemoDataExists(ADMIN_EMAIL)
    if isinstance(scale, str):
        scale = SCALES[scale]
    return _Generator(scale, seed).run()


# Berlin postcode ranges by district number, roughly.
BERLIN_POSTCODES = {
    "01": [(10115, 10179), (10551, 10559), (13347, 13359)],
    "02": [(10243, 10249), (10961, 10999)],
    "03": [(10405, 10439), (13086, 13189)],
    "04": [(10585, 10719), (14050, 14059), (14193, 14199)],
    "05": [(13581, 13599)],
    "06": [(12157, 12169), (12203, 12209), (14109, 14169)],
    "07": [(10777, 10829), (12099, 12109), (12277, 12309)],
    "08": [(12043, 12059), (12347, 12359)],
    "09": [(12435, 12439), (12487, 12589)],
    "10": [(12619, 12689)],
    "11": [(10315, 10369), (13051, 13059)],
    "12": [(13403, 13509)],
}
# Share of shelters against an average district: more in the outer east and north.
BERLIN_WEIGHTS = {
    "01": 0.9, "02": 0.6, "03": 1.2, "04": 0.7, "05": 1.0, "06": 0.6,
    "07": 0.8, "08": 0.9, "09": 1.0, "10": 1.2, "11": 1.3, "12": 0.9,
}  # fmt: skip
GERMANY = {"lat": (47.6, 54.6), "lng": (6.2, 14.8)}

# kind, name prefix, weight, capacity range
KINDS = [
    (Shelter.Kind.COMMUNITY, "Gemeinschaftsunterkunft", 62, (50, 800)),
    (Shelter.Kind.RECEPTION, "Aufnahmeeinrichtung", 9, (300, 1200)),
    (Shelter.Kind.MODULAR, "MUF", 14, (200, 500)),
    (Shelter.Kind.TEMPOHOME, "Tempohome", 8, (150, 500)),
    (Shelter.Kind.EMERGENCY, "Notunterkunft", 7, (80, 1000)),
]
ARRIVAL_CENTRE = (Shelter.Kind.ARRIVAL_CENTRE, "Ankunftszentrum", 0, (1000, 1200))
TWO_POSTS_FROM_CAPACITY = 800


def _words(text):
    return text.split()


ROOTS = _words(
    "Wiesen Birken Linden Eichen Erlen Weiden Kiefern Buchen Ahorn Holunder Lerchen Finken "
    "Schwalben Kranich Reiher Sonnen Mühlen Brunnen Rosen Flieder Kastanien Pappel Ulmen Eschen "
    "Quellen Heide Fasanen Meisen Drossel Tannen Hasel Schilf Kirsch Apfel Nuss Kamillen Falken "
    "Wacholder Mohn Klee"
)
PLACES = [
    ("Am", "grund"), ("Am", "weg"), ("Am", "feld"), ("An der", "aue"), ("An der", "höhe"),
    ("Am", "park"), ("Am", "ring"), ("Im", "garten"), ("Im", "winkel"), ("Im", "tal"),
    ("Am", "anger"), ("Im", "hain"), ("Am", "bogen"), ("Am", "hof"),
]  # fmt: skip
TOWN_SUFFIXES = _words("au felde hagen dorf stedt burg heim hausen rode berg born bach brück wald")
REGION_SUFFIXES = ["land", "gau", "mark", "winkel"]
WATERS = _words(
    "Spree Havel Dahme Panke Wuhle Tegel Nuthe Elbe Oder Saale Mulde Weser Ems Lahn Main "
    "Neckar Mosel Ruhr Lippe Fulda Werra Ilm Unstrut Aller Leine Hunte Trave Warnow Peene Uecker "
    "Isar Lech Iller Altmühl Naab Nahe Sieg Erft Wupper Kinzig"
)
OPERATOR_WORDS = _words(
    "Hilfswerk Sozialwerk Gemeinwerk Brückenwerk Wohnhilfe Integrationswerk Sozialdienste "
    "Heimstatt Willkommenswerk Nachbarschaftsdienste Lebenswege Perspektivwerk Zuhause"
)
LEGAL_FORMS = ["gGmbH", "gGmbH", "gGmbH", "e.V.", "GmbH", "gUG"]
CIVIL_SOCIETY = [
    (Organisation.Kind.ALLIANCE, "Willkommensbündnis {}"),
    (Organisation.Kind.ALLIANCE, "Initiative Neue Nachbarn {}"),
    (Organisation.Kind.SELF_ORGANISATION, "Selbsthilfeverein Brücke {} e.V."),
    (Organisation.Kind.PROJECT, "Projekt Sprachcafé {}"),
    (Organisation.Kind.PROJECT, "Patenschaftsprojekt {}"),
    (Organisation.Kind.SELF_ORGANISATION, "Frauennetzwerk {} e.V."),
    (Organisation.Kind.FUNDER, "Stiftung {}"),
]
ACTIVITIES = [
    "Ehrenamtliche helfen bei Hausaufgaben, im Sprachcafé und bei Begleitungen zu Ämtern.",
    "Gesucht werden Freiwillige für Kinderbetreuung, Fahrradwerkstatt und Deutschkurse.",
    "Es gibt einen Gemeinschaftsgarten, eine Kleiderkammer und regelmäßige Spielenachmittage.",
    "Freiwillige unterstützen bei Wohnungssuche, Bewerbungen und Freizeitangeboten für Familien.",
    "Im Nachbarschaftstreff finden Sprachtandems, Nähkurse und Sportangebote statt.",
]
UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
RESIDENT_LANGUAGES = [code for code, _ in LANGUAGE_CHOICES if code not in {"de", "en"}]
HOURS = [Decimal("19.5"), Decimal("20.0"), Decimal("25.0"), Decimal("30.0"), Decimal("39.0")]
FIXED_USERS = [
    # email, name, role kind, region slug
    (ADMIN_EMAIL, "Alex Admin", Role.Kind.ADMIN, None),
    (f"nord@{DEMO_EMAIL_DOMAIN}", "Nora Nord", Role.Kind.REGIONAL_COORDINATOR, "nord"),
    (f"west@{DEMO_EMAIL_DOMAIN}", "Wim West", Role.Kind.REGIONAL_COORDINATOR, "west"),
    (f"suedost@{DEMO_EMAIL_DOMAIN}", "Sina Südost", Role.Kind.REGIONAL_COORDINATOR, "suedost"),
    (f"freiwillig1@{DEMO_EMAIL_DOMAIN}", "Frieda Freiwillig", Role.Kind.VOLUNTEER, None),
    (f"partner@{DEMO_EMAIL_DOMAIN}", "Paula Partner", Role.Kind.PARTNER, None),
]


@dataclass
class Area:
    """Where shelters of one district go: its centre, town and postcodes."""

    district: District
    city: str
    postcodes: list
    radius_km: float
    weight: float


@dataclass
class PlannedPosition:
    shelter: Shelter
    holder: str | None  # "current", "past" or None for a vacancy
    starts_on: datetime.date
    ends_on: datetime.date | None
    hours: Decimal
    person: User | None = None


class _Generator:
    def __init__(self, scale, seed):
        self.scale = scale
        self.rng = random.Random(seed)
        self.fake = Faker("de_DE")
        self.fake.seed_instance(seed)
        # Hashing is slow on purpose: hash once, share the hash.
        self.password = make_password(DEMO_PASSWORD)
        self.vacant = set()

    def run(self):
        regions = self.berlin_regions()
        areas = self.berlin_areas()
        synthetic_regions, synthetic_areas = self.synthetic_regions_and_districts()
        areas += synthetic_areas
        operators = self.operators(areas)
        others = self.other_organisations(areas)
        Organisation.objects.bulk_create(operators + others, batch_size=BATCH_SIZE)
        shelters = self.shelters(areas, operators)
        Shelter.objects.bulk_create(shelters, batch_size=BATCH_SIZE)
        plans = self.positions(shelters, regions)
        users = self.users(plans, regions, synthetic_regions)
        positions = [
            CoordinatorPosition(
                shelter=plan.shelter,
                person=plan.person,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                hours_per_week=plan.hours,
            )
            for plan in plans
        ]
        CoordinatorPosition.objects.bulk_create(positions, batch_size=BATCH_SIZE)
        return {
            "regions": len(regions) + len(synthetic_regions),
            "districts": len(areas),
            "operators": len(operators),
            "other_organisations": len(others),
            "shelters": len(shelters),
            "closed_shelters": sum(1 for s in shelters if s.closed_on),
            "vacant_shelters": len(self.vacant),
            "positions": len(plans),
            "current_staffed_positions": sum(1 for p in plans if p.holder == "current"),
            "open_vacancies": sum(1 for p in plans if p.holder is None),
            "past_positions": sum(1 for p in plans if p.holder == "past"),
            "users": len(users),
        }

    # Regions and districts

    def berlin_regions(self):
        regions = {r.slug: r for r in Region.objects.filter(slug__in=["nord", "west", "suedost"])}
        if len(regions) != 3:
            raise RuntimeError("The Berlin regions nord, west and suedost are missing; migrate.")
        return regions

    def berlin_areas(self):
        districts = District.objects.filter(number__in=BERLIN_POSTCODES).order_by("number")
        return [
            Area(d, "Berlin", BERLIN_POSTCODES[d.number], 2.0, BERLIN_WEIGHTS[d.number])
            for d in districts
        ]

    def synthetic_regions_and_districts(self):
        scale, rng = self.scale, self.rng
        if not scale.synthetic_regions:
            return [], []
        region_names = self.unique_names(
            scale.synthetic_regions, ROOTS, REGION_SUFFIXES, "Region {}{}"
        )
        towns = self.unique_names(
            scale.synthetic_regions * scale.districts_per_region, ROOTS, TOWN_SUFFIXES, "{}{}"
        )
        regions, areas, memberships = [], [], []
        for r, region_name in enumerate(region_names, start=1):
            slug = f"{SYNTHETIC_REGION_PREFIX}{r:02d}"
            region = Region(
                name=region_name,
                slug=slug,
                contact_email=f"rk-{slug}@{DEMO_EMAIL_DOMAIN}",
                description="Fiktive Region für Last- und Demotests.",
            )
            regions.append(region)
            centre_lat = rng.uniform(*GERMANY["lat"])
            centre_lng = rng.uniform(*GERMANY["lng"])
            for _ in range(scale.districts_per_region):
                n = len(areas) + 1
                town = towns[n - 1]
                lat = _clamp(centre_lat + rng.uniform(-0.6, 0.6), *GERMANY["lat"])
                lng = _clamp(centre_lng + rng.uniform(-0.9, 0.9), *GERMANY["lng"])
                district = District(
                    number=f"{SYNTHETIC_DISTRICT_PREFIX}{n:03d}",
                    name=f"Kreis {town}",
                    slug=f"de-{n:03d}",
                    latitude=_coordinate(lat),
                    longitude=_coordinate(lng),
                )
                first_postcode = rng.randint(1067, 99000)
                areas.append(Area(district, town, [(first_postcode, first_postcode + 90)], 8, 1))
                memberships.append((region, district))
        Region.objects.bulk_create(regions, batch_size=BATCH_SIZE)
        District.objects.bulk_create([a.district for a in areas], batch_size=BATCH_SIZE)
        Region.districts.through.objects.bulk_create(
            [Region.districts.through(region=r, district=d) for r, d in memberships],
            batch_size=BATCH_SIZE,
        )
        return regions, areas

    # Organisations

    def operators(self, areas):
        names = [
            f"{word} {water}"
            for word, water in self.shuffled(product(OPERATOR_WORDS, WATERS))[
                : self.scale.operators
            ]
        ]
        return [
            self.organisation(
                f"{name} {self.rng.choice(LEGAL_FORMS)}",
                Organisation.Kind.OPERATOR,
                self.rng.choice(areas).district,
            )
            for name in names
        ]

    def other_organisations(self, areas):
        kind = Organisation.Kind.ADMINISTRATION
        organisations = [
            self.organisation("Landesamt für Flüchtlingsangelegenheiten (LAF)", kind),
            self.organisation("Koordinierungsstelle Flüchtlingsmanagement", kind),
        ]
        for area in areas:
            if area.city == "Berlin":
                name = f"Bezirksamt {area.district.name}"
            else:
                name = f"Kreisverwaltung {area.city}"
            organisations.append(self.organisation(name, kind, area.district))
        places = self.shuffled(ROOTS + WATERS)
        for i in range(self.scale.civil_society_organisations):
            kind, pattern = CIVIL_SOCIETY[i % len(CIVIL_SOCIETY)]
            suffix = places[i % len(places)] + ("" if i < len(places) else f" {i // len(places)}")
            area = self.rng.choice(areas)
            organisations.append(self.organisation(pattern.format(suffix), kind, area.district))
        return organisations

    def organisation(self, name, kind, district=None):
        host = f"{slugify(name.translate(UMLAUTS))[:50].strip('-')}.{ORGANISATION_DOMAIN}"
        return Organisation(
            name=name,
            kind=kind,
            website=f"https://{host}/",
            email=f"info@{host}",
            district=district,
        )

    # Shelters

    def shelters(self, areas, operators):
        scale, rng = self.scale, self.rng
        # A few operators run many shelters, most run a handful.
        operator_weights = [1 / (i + 1) ** 0.7 for i in range(len(operators))]
        area_weights = [a.weight * rng.uniform(0.6, 1.4) for a in areas]
        places = self.shuffled(product(PLACES, ROOTS))
        taken = set()
        closed = set(rng.sample(range(scale.shelters), round(scale.shelters * scale.closed_share)))
        shelters = []
        for i in range(scale.shelters):
            area = rng.choices(areas, area_weights)[0]
            kind, label, _, (low, high) = (
                ARRIVAL_CENTRE if i == 0 else rng.choices(KINDS, [k[2] for k in KINDS])[0]
            )
            # Most shelters are small to middling; a few are very large.
            capacity = round(low + (high - low) * rng.random() ** 2)
            (article, suffix), root = places[i % len(places)]
            name = f"{label} {article} {root}{suffix}"
            if name in taken:
                name = f"{name} {area.city if area.city != 'Berlin' else area.district.name}"
            while name in taken:
                name += " II"
            taken.add(name)
            lat, lng = self.scatter(area)
            low, high = rng.choice(area.postcodes)
            if i in closed:
                opened_on = _random_date(rng, datetime.date(2015, 1, 1), datetime.date(2023, 6, 30))
                closed_on = _random_date(
                    rng, opened_on + datetime.timedelta(days=180), REFERENCE_DATE - _days(30)
                )
            else:
                opened_on = _random_date(rng, datetime.date(2015, 1, 1), REFERENCE_DATE - _days(60))
                closed_on = None
            shelters.append(
                Shelter(
                    name=name,
                    kind=kind,
                    operator=rng.choices(operators, operator_weights)[0],
                    district=area.district,
                    street=f"{self.fake.street_name()} {rng.randint(1, 180)}",
                    postcode=f"{rng.randint(low, high):05d}",
                    city=area.city,
                    latitude=_coordinate(lat),
                    longitude=_coordinate(lng),
                    address_public=rng.random() < scale.public_address_share,
                    capacity=capacity,
                    residents=round(capacity * rng.uniform(0.6, 1.0)),
                    opened_on=opened_on,
                    closed_on=closed_on,
                    description=(
                        f"{label} in {area.district.name} mit Platz für {capacity} Menschen. "
                        f"{rng.choice(ACTIVITIES)}"
                    ),
                    languages=sorted(rng.sample(RESIDENT_LANGUAGES, rng.randint(2, 6))),
                )
            )
        return shelters

    def scatter(self, area):
        """A point within the area's radius around its district's centre."""
        distance = area.radius_km * math.sqrt(self.rng.random())
        angle = self.rng.uniform(0, 2 * math.pi)
        lat = float(area.district.latitude) + distance * math.sin(angle) / 111.32
        lng = float(area.district.longitude) + distance * math.cos(angle) / (
            111.32 * math.cos(math.radians(lat))
        )
        return lat, lng

    # Coordinator positions

    def positions(self, shelters, regions):
        """Plan current posts, vacancies and earlier coordinators for every shelter."""
        rng = self.rng
        open_shelters = [s for s in shelters if s.closed_on is None]
        # eak1 and eak2 are documented: one post each, in Nord and in West.
        first = {}
        for slug in ("nord", "west"):
            district_ids = set(regions[slug].districts.values_list("pk", flat=True))
            first[slug] = next(
                (
                    s
                    for s in open_shelters
                    if s.district_id in district_ids and s.capacity < TWO_POSTS_FROM_CAPACITY
                ),
                None,
            )
            if first[slug] is None:
                raise RuntimeError(f"Too few shelters: none for a coordinator in {slug}.")
        candidates = [s for s in open_shelters if s not in first.values()]
        self.vacant = set(
            rng.sample(candidates, round(len(open_shelters) * self.scale.vacant_share))
        )
        plans = []
        for shelter in shelters:
            if shelter.closed_on:
                count = rng.randint(1, 2)
                plans += self.earlier_posts(shelter, shelter.closed_on + _days(1), count)
            elif shelter in self.vacant and rng.random() < 0.6:
                vacancy_from = _random_date(
                    rng,
                    max(shelter.opened_on + _days(60), REFERENCE_DATE - _days(365)),
                    REFERENCE_DATE - _days(3),
                )
                previous = self.earlier_posts(shelter, vacancy_from, 1 + self.history(), gap=0)
                hours = previous[0].hours if previous else rng.choice(HOURS)
                plans.append(PlannedPosition(shelter, None, vacancy_from, None, hours))
                plans += previous
            elif shelter in self.vacant:
                left_on = REFERENCE_DATE - _days(rng.randint(30, 400))
                plans += self.earlier_posts(shelter, left_on, self.history())
            else:
                posts = 2 if shelter.capacity >= TWO_POSTS_FROM_CAPACITY else 1
                for _ in range(posts):
                    starts_on = _random_date(
                        rng,
                        max(shelter.opened_on, REFERENCE_DATE - _days(4 * 365)),
                        REFERENCE_DATE - _days(7),
                    )
                    hours = rng.choice(HOURS)
                    plans.append(PlannedPosition(shelter, "current", starts_on, None, hours))
                    plans += self.earlier_posts(shelter, starts_on, self.history())
        # Move the documented coordinators to the front, so that they become eak1 and eak2.
        for shelter in (first["west"], first["nord"]):
            index = next(i for i, p in enumerate(plans) if p.shelter is shelter)
            plans.insert(0, plans.pop(index))
        return plans

    def history(self):
        return self.rng.choices(range(4), self.scale.history_weights)[0]

    def earlier_posts(self, shelter, before, count, gap=None):
        """Up to `count` ended posts, going back in time from the day `before`."""
        rng, posts = self.rng, []
        ends_on = before - _days(1 + (rng.randint(0, 90) if gap is None else gap))
        for _ in range(count):
            if (ends_on - shelter.opened_on).days < 30:
                break
            starts_on = max(shelter.opened_on, ends_on - _days(rng.randint(90, 900)))
            posts.append(PlannedPosition(shelter, "past", starts_on, ends_on, rng.choice(HOURS)))
            ends_on = starts_on - _days(1 + rng.randint(0, 120))
        return posts

    # People

    def users(self, plans, regions, synthetic_regions):
        joined = datetime.datetime.combine(
            datetime.date(2019, 1, 7), datetime.time(9), tzinfo=datetime.UTC
        )
        users, roles = [], []
        for email, name, kind, region_slug in FIXED_USERS:
            is_admin = kind == Role.Kind.ADMIN
            user = self.user(
                email, name, joined, User.Language.GERMAN, is_staff=is_admin, is_superuser=is_admin
            )
            users.append(user)
            roles.append(Role(user=user, kind=kind, region=regions.get(region_slug)))
        for region in synthetic_regions:
            user = self.user(region.contact_email, self.name(), joined)
            users.append(user)
            roles.append(Role(user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=region))
        numbers = {"current": 0, "past": 0}
        for plan in plans:
            if plan.holder is None:
                continue
            numbers[plan.holder] += 1
            local = "eak" if plan.holder == "current" else "eak-alt"
            email = f"{local}{numbers[plan.holder]}@{DEMO_EMAIL_DOMAIN}"
            since = datetime.datetime.combine(plan.starts_on, datetime.time(9), tzinfo=datetime.UTC)
            plan.person = self.user(email, self.name(), since)
            users.append(plan.person)
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        Role.objects.bulk_create(roles, batch_size=BATCH_SIZE)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=BATCH_SIZE,
        )
        return users

    def user(self, email, full_name, date_joined, language=None, **flags):
        if language is None:
            english = self.rng.random() < 0.1
            language = User.Language.ENGLISH if english else User.Language.GERMAN
        return User(
            email=email,
            full_name=full_name,
            password=self.password,
            language=language,
            date_joined=date_joined,
            **flags,
        )

    def name(self):
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    # Helpers

    def shuffled(self, items):
        items = list(items)
        self.rng.shuffle(items)
        return items

    def unique_names(self, count, roots, suffixes, pattern):
        combinations = self.shuffled(product(roots, suffixes))
        if count > len(combinations):
            raise ValueError(f"Only {len(combinations)} distinct names for {count}.")
        return [pattern.format(root, suffix) for root, suffix in combinations[:count]]


def _days(n):
    return datetime.timedelta(days=n)


def _random_date(rng, first, last):
    return first + _days(rng.randint(0, max((last - first).days, 0)))


def _coordinate(value):
    return Decimal(f"{value:.6f}")


def _clamp(value, low, high):
    return min(max(value, low), high)
