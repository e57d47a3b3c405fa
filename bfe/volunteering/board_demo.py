"""Demo opportunities for the board, at the demo scales of places: `small` (Berlin today, a few
per shelter) and `large` (~30,000 for the national load test). Reproducible from the seed.

Meant to be called from the app's `demo.seed()` (seed_demo finds `bfe.volunteering.demo`);
written with bulk inserts, so the figures are counted afresh at the end.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from bfe.places.models import CoordinatorPosition, Shelter

from .models import WEEKDAY_BITS, Area, Opportunity, OpportunityLanguage
from .services import records
from .services.board import public_position

PER_SHELTER = {"small": 3, "large": 10}
TITLES = {
    "sprachcafe": [
        "Sprachcafé am Nachmittag",
        "Deutsch üben beim Kaffee",
        "Gesprächsrunde Deutsch",
    ],
    "hausaufgabenhilfe": ["Hausaufgabenhilfe für Grundschulkinder", "Mathe-Nachhilfe"],
    "kinderbetreuung": ["Spielnachmittag mit Kindern", "Bastelgruppe für Kinder"],
    "begleitung": ["Begleitung zu Ämtern", "Begleitung zu Arztterminen"],
    "dolmetschen": ["Dolmetschen Arabisch–Deutsch", "Dolmetschen Ukrainisch–Deutsch"],
    "sport": ["Fußball mit Jugendlichen", "Lauftreff am Wochenende"],
    "freizeit": ["Ausflüge in Berlin", "Kinoabend"],
    "handwerk": ["Fahrradwerkstatt im Hof", "Reparaturcafé"],
    "garten": ["Gemeinschaftsgarten", "Hochbeete pflegen"],
    "kleiderkammer": ["Kleiderkammer sortieren", "Ausgabe der Kleiderkammer"],
}
LANGUAGES = ["ar", "uk", "fa", "ru", "tr", "en", "ti", "ps"]
DESCRIPTION = (
    "Wir suchen Freiwillige, die regelmäßig mitmachen. Die Koordination arbeitet Sie ein; "
    "versichert sind Sie über die Unterkunft."
)


def delete_demo_data():
    Opportunity.objects.filter(created_by__email__iendswith="@bfe.example").delete()


@transaction.atomic
def seed(scale="small", seed=2016):
    """Opportunities for every open shelter with a current coordinator (most open, some in
    every other status); returns {label: count}."""
    rng = random.Random(seed + 10)
    per_shelter = PER_SHELTER.get(scale, 3)
    areas = list(Area.objects.all())
    coordinators = dict(
        CoordinatorPosition.objects.current()
        .filter(person__isnull=False)
        .values_list("shelter_id", "person_id")
    )
    now = timezone.now()
    today = timezone.localdate()
    statuses = [Opportunity.Status.OPEN] * 7 + [
        Opportunity.Status.DRAFT,
        Opportunity.Status.FILLED,
        Opportunity.Status.PAUSED,
    ]
    rows = []
    for shelter in Shelter.objects.open().select_related("district").order_by("pk").iterator():
        if shelter.pk not in coordinators:
            continue
        district_id, latitude, longitude = public_position(shelter)
        for _n in range(rng.randint(1, per_shelter * 2 - 1)):
            area = rng.choice(areas)
            one_off = rng.random() < 0.15
            date = today + datetime.timedelta(days=rng.randint(3, 60)) if one_off else None
            weekdays = (
                WEEKDAY_BITS[date.weekday()]
                if one_off
                else sum(WEEKDAY_BITS[d] for d in rng.sample(range(7), rng.randint(1, 3)))
            )
            status = rng.choice(statuses)
            rows.append(
                Opportunity(
                    shelter=shelter,
                    district_id=district_id,
                    area=area,
                    title=rng.choice(TITLES.get(area.slug, ["Mithelfen in der Unterkunft"])),
                    description=DESCRIPTION,
                    schedule=Opportunity.Schedule.ONE_OFF if one_off else "regular",
                    date=date,
                    weekdays=weekdays,
                    time_from=datetime.time(rng.choice([10, 14, 16, 17])),
                    needs_clearance=area.works_with_children,
                    volunteers_wanted=rng.randint(1, 4),
                    status=status,
                    published_at=(
                        None
                        if status == Opportunity.Status.DRAFT
                        else now - datetime.timedelta(hours=rng.randint(1, 2000))
                    ),
                    public_latitude=latitude,
                    public_longitude=longitude,
                    created_by_id=coordinators[shelter.pk],
                )
            )
    created = Opportunity.objects.bulk_create(rows, batch_size=2000)
    languages = [
        OpportunityLanguage(opportunity=opportunity, language=code)
        for opportunity in created
        for code in rng.sample(LANGUAGES, rng.randint(0, 2))
    ]
    OpportunityLanguage.objects.bulk_create(languages, batch_size=5000)
    records.recompute_figures()
    return {"volunteering_opportunities": len(created)}
