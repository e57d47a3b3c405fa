from django.core.management.base import BaseCommand

from bfe.volunteering.services.shifts import HORIZON, extend_all_series


class Command(BaseCommand):
    help = (
        "Legt die Einsätze wiederkehrender Terminreihen bis zum Horizont an "
        f"({HORIZON.days} Tage im Voraus). Täglich ausführen, z. B. per cron: "
        "'20 3 * * * cd /srv/bfe && .venv/bin/python manage.py extend_shift_series'. "
        "Mehrfaches Ausführen legt nichts doppelt an."
    )

    def handle(self, *args, **options):
        created = extend_all_series()
        self.stdout.write(f"{created} Einsatz/Einsätze angelegt.")
