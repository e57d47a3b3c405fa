from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from bfe.core import backup


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung von 'manage.py backup' in eine leere Datenbank und einen leeren "
        "MEDIA_ROOT wieder her (--force überschreibt vorhandene Daten) und vergleicht danach "
        "Zeilenzahl und Prüfsumme jeder Tabelle und jede Datei mit manifest.json. Gibt OK aus "
        "oder die abweichenden Tabellen und Dateien und endet dann mit Fehlercode 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Ordner einer Sicherung (mit manifest.json)")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Alias der Datenbank in DATABASES"
        )
        parser.add_argument(
            "--force", action="store_true", help="auch in eine nicht leere Datenbank"
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="nichts wiederherstellen, nur den jetzigen Stand mit der Sicherung vergleichen",
        )

    def handle(self, *args, folder, database, force, verify_only, **options):
        try:
            if verify_only:
                comparison = backup.verify(folder, using=database)
            else:
                comparison = backup.restore(folder, using=database, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if comparison.ok:
            self.stdout.write("OK: alle Tabellen und Dateien stimmen mit der Sicherung überein.")
            return
        for table in comparison.tables:
            self.stdout.write(f"Tabelle weicht ab: {table}")
        for name in comparison.files:
            self.stdout.write(f"Datei weicht ab: {name}")
        raise CommandError(
            f"{len(comparison.tables)} Tabelle(n) und {len(comparison.files)} Datei(en) weichen "
            "von der Sicherung ab."
        )
