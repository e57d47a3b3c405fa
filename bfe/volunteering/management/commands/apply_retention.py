from django.core.management.base import BaseCommand

from bfe.volunteering.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Löscht die Daten von Freiwilligen nach der Aufbewahrungsfrist "
        "(VOLUNTEER_RETENTION_MONTHS, vorher eine E-Mail VOLUNTEER_RETENTION_NOTICE_DAYS Tage "
        "vorher), lässt unbestätigte Bewerbungen ablaufen und löscht nicht mehr nötige "
        "Führungszeugnis-Angaben. Täglich ausführen, z. B. per cron: "
        "'15 3 * * * cd /srv/bfe && .venv/bin/python manage.py apply_retention'. "
        "Mehrfaches Ausführen am selben Tag ändert nichts mehr. Die E-Mails verschickt der "
        "Task-Worker (manage.py db_worker)."
    )

    def handle(self, *args, **options):
        run = apply_retention()
        self.stdout.write(
            f"{run.applications_expired} Bewerbung(en) abgelaufen, "
            f"{run.notices_sent} Hinweis(e) eingereiht, "
            f"{run.volunteers_deleted} Freiwillige gelöscht, "
            f"{run.clearances_deleted} Führungszeugnis-Angabe(n) gelöscht."
        )
