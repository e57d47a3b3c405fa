from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bfe.accounts.formal_address import ALLAUTH_GERMAN, informal_words

CATALOGUE = Path(settings.BASE_DIR) / "bfe" / "locale_allauth" / "de" / "LC_MESSAGES" / "django.po"


class Command(BaseCommand):
    help = (
        "Ergänzt bfe/locale_allauth/de/LC_MESSAGES/django.po um jeden deutschen Text von "
        "django-allauth, der duzt und dort noch fehlt: mit leerem msgstr und dem Text von "
        "allauth als Kommentar. Danach jeden neuen msgstr förmlich (Sie) schreiben und "
        "'make messages' ausführen. Braucht polib (requirements-dev.txt)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default=str(CATALOGUE), help="die formelle .po-Datei")

    def handle(self, *args, catalogue, **options):
        import polib

        allauth = polib.pofile(str(ALLAUTH_GERMAN.with_suffix(".po")))
        ours = polib.pofile(catalogue)
        known = {(entry.msgctxt, entry.msgid) for entry in ours}
        added = []
        for entry in allauth.translated_entries():
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            if not any(informal_words(text) for text in texts):
                continue
            if (entry.msgctxt, entry.msgid) in known:
                continue
            ours.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr="",
                    msgstr_plural=dict.fromkeys(entry.msgstr_plural, ""),
                    tcomment="allauth: " + " | ".join(texts).strip(" |"),
                    # "python-format" lets msgfmt check that the placeholders stay.
                    flags=[flag for flag in entry.flags if flag != "fuzzy"],
                )
            )
            added.append(entry.msgid)
        if added:
            ours.save(catalogue)
        current = {(entry.msgctxt, entry.msgid) for entry in allauth}
        for entry in ours:
            if (entry.msgctxt, entry.msgid) not in current:
                self.stdout.write(f"Nicht mehr in allauth: {entry.msgid!r}")
        self.stdout.write(
            f"{len(added)} neue Einträge ohne Übersetzung in {catalogue}."
            if added
            else f"Nichts zu ergänzen: {catalogue} deckt jeden duzenden Text von allauth ab."
        )
