from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from bfe.core import backup


class Command(BaseCommand):
    help = (
        "Sichert Datenbank und hochgeladene Dateien in einen neuen Ordner: die Datenbank "
        "(PostgreSQL mit pg_dump --format=custom, SQLite mit der Online-Backup-API), MEDIA_ROOT "
        "als media.tar.gz und manifest.json mit Zeilenzahl und Prüfsumme jeder Tabelle. "
        "Zurück mit 'manage.py restore <ordner>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="neuer oder leerer Ordner für die Sicherung")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Alias der Datenbank in DATABASES"
        )

    def handle(self, *args, folder, database, **options):
        try:
            manifest = backup.backup(folder, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Gesichert in {folder}: {len(manifest['tables'])} Tabellen mit {rows} Zeilen, "
            f"{len(manifest['media'])} Dateien."
        )
