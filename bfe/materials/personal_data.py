"""The library's share of "Meine Daten" (see bfe/core/personal_data.py): the suggestions a person
sent. On erasure her suggestions are detached (suggested_by NULL) and their message, which may
speak about her, is replaced; title, link and file stay, since an accepted one may now be a
material of the library and staff need to see what was decided."""

from django.utils.translation import gettext as _

from bfe.core.personal_data import section

from .models import Suggestion

ERASED_MESSAGE = "—"


def export(user):
    suggestions = (
        Suggestion.objects.filter(suggested_by=user)
        .select_related("material")
        .order_by("created_at", "pk")
    )
    return [
        section(
            "materials.suggestions",
            _("Vorschläge für die Materialbibliothek"),
            [
                {
                    _("Art"): suggestion.get_kind_display(),
                    _("Material"): suggestion.material.title if suggestion.material else "",
                    _("Titel"): suggestion.title,
                    _("Link"): suggestion.url,
                    _("Datei"): suggestion.file_name,
                    _("Nachricht"): suggestion.message,
                    _("Status"): suggestion.status_label,
                    _("Begründung"): suggestion.reason,
                    _("gesendet am"): suggestion.created_at,
                    _("entschieden am"): suggestion.decided_at,
                }
                for suggestion in suggestions
            ],
        )
    ]


def erase(user):
    detached = Suggestion.objects.filter(suggested_by=user).update(
        suggested_by=None, message=ERASED_MESSAGE
    )
    decided = Suggestion.objects.filter(decided_by=user).update(decided_by=None)
    return {"suggestions": detached, "decisions": decided}
