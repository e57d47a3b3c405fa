import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from bfe.places import demo

LABELS = {
    "regions": "Regionen",
    "districts": "Bezirke",
    "operators": "Betreiber",
    "other_organisations": "weitere Organisationen",
    "shelters": "Unterkünfte",
    "closed_shelters": "  davon geschlossen",
    "vacant_shelters": "  davon offen ohne Koordination",
    "positions": "Koordinationsstellen",
    "current_staffed_positions": "  aktuell besetzt",
    "open_vacancies": "  aktuell unbesetzt",
    "past_positions": "  beendet",
    "users": "Personen mit Login",
}


def capability_demos():
    """The `demo` modules of the apps built on places, in INSTALLED_APPS order.

    Each offers `seed(scale=, seed=) -> {label: count}` and `delete_demo_data()`; places itself
    knows none of them, so the dependencies keep pointing from the capabilities to places.
    """
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name.startswith("bfe.") and config.name != "bfe.places" and find_spec(name):
            modules.append(import_module(name))
    return modules


class Command(BaseCommand):
    help = (
        "Legt fiktive, reproduzierbare Demodaten an: 'small' ist Berlin heute, 'large' ein "
        "bundesweiter Lasttest. Alle Logins haben das Passwort 'demo'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(demo.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument(
            "--reset", action="store_true", help="Vorhandene Demodaten vorher löschen."
        )

    def handle(self, *args, scale, seed, reset, **options):
        started = time.monotonic()
        extras = capability_demos()
        try:
            with transaction.atomic():
                if reset:
                    # Capabilities point at shelters and people: they go first.
                    for module in reversed(extras):
                        module.delete_demo_data()
                counts = demo.seed(scale=scale, seed=seed, reset=reset)
                extra_counts = {}
                for module in extras:
                    extra_counts.update(module.seed(scale=scale, seed=seed))
        except demo.DemoDataExists:
            self.stdout.write(
                f"Demodaten sind schon vorhanden ({demo.ADMIN_EMAIL}); nichts angelegt. "
                "Mit --reset werden sie gelöscht und neu angelegt."
            )
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demodaten angelegt ({scale}, Seed {seed}, {seconds:.1f} s):")
        )
        for key, label in LABELS.items():
            self.stdout.write(f"  {label}: {counts[key]}")
        for label, count in extra_counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"Anmelden mit {demo.ADMIN_EMAIL}, nord@…, eak1@{demo.DEMO_EMAIL_DOMAIN} usw., "
            f"Passwort '{demo.DEMO_PASSWORD}'."
        )
