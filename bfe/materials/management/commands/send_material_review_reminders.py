"""Daily: remind the admins of library materials due for review (see services/review.py)."""

from django.core.management.base import BaseCommand

from ...services import review


class Command(BaseCommand):
    help = "E-mail the admins the materials whose last review is older than the set age."

    def handle(self, *args, **options):
        sent, listed = review.send_reminders()
        self.stdout.write(f"{sent} e-mails, {listed} materials")
