from django.core.management.base import BaseCommand

from bfe.events.services.registration import expire_unconfirmed_guests, send_due_reminders


class Command(BaseCommand):
    help = (
        "Reiht die Erinnerungs-E-Mails für Veranstaltungen der nächsten 24 Stunden ein und "
        "löscht Gastanmeldungen, die 48 Stunden lang nicht bestätigt wurden. Stündlich "
        "ausführen, z. B. per cron: "
        "'5 * * * * cd /srv/bfe && .venv/bin/python manage.py send_event_reminders'. "
        "Verschickt werden die E-Mails vom Task-Worker (manage.py db_worker). Jede Anmeldung "
        "bekommt höchstens eine Erinnerung (reminder_sent_at): mehrfaches oder gleichzeitiges "
        "Ausführen schickt nichts doppelt."
    )

    def handle(self, *args, **options):
        reminders = send_due_reminders()
        expired = expire_unconfirmed_guests()
        self.stdout.write(
            f"{reminders} Erinnerung(en) eingereiht, "
            f"{expired} unbestätigte Gastanmeldung(en) gelöscht."
        )
