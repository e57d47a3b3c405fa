"""Backfill: put the files of every Werkstatt and training module into the library."""

from django.core.management.base import BaseCommand

from ...services.event_documents import sync_event_documents


class Command(BaseCommand):
    help = "Create or update the library's materials for the event documents."

    def handle(self, *args, **options):
        self.stdout.write(f"{sync_event_documents()} documents synchronised")
