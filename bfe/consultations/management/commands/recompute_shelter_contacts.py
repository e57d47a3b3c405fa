"""Repair the maintained last consultation per shelter from the consultations themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from bfe.consultations.services.contacts import recompute_shelter_contacts


class Command(BaseCommand):
    help = "Recompute every shelter's last consultation date (the outreach list's figure)."

    def handle(self, *args, **options):
        with transaction.atomic():
            wrong = recompute_shelter_contacts()
        self.stdout.write(f"{wrong} shelter(s) corrected.")
