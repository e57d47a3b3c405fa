"""Finding informal German ("du") in texts, for allauth's catalogue and the tests of the pages.

The platform addresses people as "Sie". django-allauth's German catalogue says "du"; the texts
that do are translated again, formally, in bfe/locale_allauth (see its README).
"""

import gettext
import re
from pathlib import Path

import allauth

# Pronouns of informal address, second person verb forms that stand without them, and the
# imperatives allauth uses. "Ihr" alone is the formal possessive (or "her"); an "ihr" that
# addresses people comes with euch/euer or a second person plural verb, which are caught.
INFORMAL = re.compile(
    r"\b(?:du|dein|deine|deinen|deinem|deiner|deines|dich|dir|euch|euer|eure|euren|eurem|eurer"
    r"|hast|bist|kannst|musst|möchtest|willst|solltest|erhältst|habt|seid|könnt|müsst|wollt|gib"
    r"|bitte\s+(?:versuche|wähle|bestätige|kontaktiere|klick|klicke|lass|melde|überprüfe"
    r"|folge|erstelle|verwende|rufe))\b",
    re.IGNORECASE,
)

ALLAUTH_GERMAN = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"


def informal_words(text):
    """The informal forms of address in a text, sorted; empty when it speaks formally."""
    return sorted({match.group(0) for match in INFORMAL.finditer(text)})


def allauth_informal_entries():
    """allauth's German translations that address people informally, keyed as gettext keys
    its compiled catalogue: "msgid", "context\\x04msgid", or (msgid, plural index)."""
    with ALLAUTH_GERMAN.open("rb") as catalogue:
        entries = gettext.GNUTranslations(catalogue)._catalog
    return {key: text for key, text in entries.items() if key and informal_words(text)}
