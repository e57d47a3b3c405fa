import time

from django.core.management.base import BaseCommand

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
        try:
            counts = demo.seed(scale=scale, seed=seed, reset=reset)
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
        self.stdout.write(
            f"Anmelden mit {demo.ADMIN_EMAIL}, nord@…, eak1@{demo.DEMO_EMAIL_DOMAIN} usw., "
            f"Passwort '{demo.DEMO_PASSWORD}'."
        )
