from django.core.management.base import BaseCommand

from bfe.volunteering.services.hours import propose_hours_for_past_shifts


class Command(BaseCommand):
    help = (
        "Schlägt für jede bestätigte Eintragung eines vorbeigegangenen Einsatzes die Stunden "
        "des Einsatzes vor (zur Bestätigung durch die Koordination). Stündlich ausführen, z. B. "
        "per cron: '15 * * * * cd /srv/bfe && .venv/bin/python manage.py propose_shift_hours'. "
        "Mehrfaches oder gleichzeitiges Ausführen schlägt nichts doppelt vor."
    )

    def handle(self, *args, **options):
        count = propose_hours_for_past_shifts()
        self.stdout.write(f"{count} Stundeneintrag/-einträge vorgeschlagen.")
