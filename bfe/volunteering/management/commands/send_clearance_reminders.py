from django.core.management.base import BaseCommand

from bfe.volunteering.services.pipeline_onboarding import queue_clearance_reminders


class Command(BaseCommand):
    help = (
        "Erinnert die Koordination per E-Mail an erweiterte Führungszeugnisse, die in den "
        "nächsten 30 Tagen erneut einzusehen sind (oder überfällig). Einmal täglich ausführen, "
        "z. B. per cron: '30 7 * * * cd /srv/bfe && .venv/bin/python manage.py "
        "send_clearance_reminders'. Jede Einsichtnahme wird nur einmal angemahnt "
        "(reminder_sent_at): mehrfaches Ausführen schickt nichts doppelt."
    )

    def handle(self, *args, **options):
        count = queue_clearance_reminders()
        self.stdout.write(f"{count} Führungszeugnis(se) zur Erinnerung eingereiht.")
