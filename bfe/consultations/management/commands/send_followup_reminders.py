from django.core.management.base import BaseCommand

from bfe.consultations.services.followups import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Reiht die Erinnerungs-E-Mails für offene Aufgaben ein, die heute fällig oder überfällig "
        "sind. Einmal täglich am Morgen ausführen, z. B. per cron: "
        "'0 7 * * * cd /srv/bfe && .venv/bin/python manage.py send_followup_reminders'. "
        "Verschickt werden die E-Mails vom Task-Worker (manage.py db_worker). Jede Aufgabe "
        "bekommt höchstens eine Erinnerung am Tag (reminder_sent_on): mehrfaches Ausführen, "
        "auch stündlich, schickt nichts doppelt und holt nur fehlgeschlagene nach."
    )

    def handle(self, *args, **options):
        count = queue_due_reminders()
        self.stdout.write(f"{count} Erinnerung(en) eingereiht.")
