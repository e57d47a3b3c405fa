from django.core.management.base import BaseCommand

from bfe.volunteering.services.shifts import send_due_reminders


class Command(BaseCommand):
    help = (
        "Reiht die Erinnerungs-E-Mails für Einsätze der nächsten 24 Stunden ein. Stündlich "
        "ausführen, z. B. per cron: "
        "'10 * * * * cd /srv/bfe && .venv/bin/python manage.py send_shift_reminders'. "
        "Verschickt werden die E-Mails vom Task-Worker (manage.py db_worker). Jede Eintragung "
        "bekommt höchstens eine Erinnerung (reminder_sent_at): mehrfaches oder gleichzeitiges "
        "Ausführen schickt nichts doppelt."
    )

    def handle(self, *args, **options):
        reminders = send_due_reminders()
        self.stdout.write(f"{reminders} Erinnerung(en) eingereiht.")
