"""Start-page sections of the moderation part: for BfE staff the open suggestions and the
materials due for review; for a coordinator her open suggestions. Counts are bounded (at most
COUNT_LIMIT rows are read), so the start page never counts a whole table."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bfe.core.dashboard import DashboardSection, register

from .models import Suggestion
from .services import review

COUNT_LIMIT = 99
LISTED = 5


def _bounded_count(queryset):
    count = len(queryset.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    return min(count, COUNT_LIMIT), count > COUNT_LIMIT


def staff_work(user):
    suggestions, more_suggestions = _bounded_count(Suggestion.objects.pending())
    due, more_due = _bounded_count(review.due())
    return {
        "suggestions": suggestions,
        "more_suggestions": more_suggestions,
        "due": due,
        "more_due": more_due,
        "queue_url": reverse("materials:moderation") + "?status=pending",
        "review_url": reverse("materials:review"),
    }


def own_suggestions(user):
    rows = list(
        Suggestion.objects.pending()
        .filter(suggested_by=user)
        .select_related("material")
        .order_by("-created_at", "-pk")[:LISTED]
    )
    return {
        "rows": rows,
        "url": reverse("materials:my_suggestions"),
        "suggest_url": reverse("materials:suggest"),
    }


register(
    DashboardSection(
        key="materials.moderation",
        order=45,
        title=_("Materialbibliothek: Vorschläge und Prüfungen"),
        applies_to=lambda roles: roles.is_bfe_staff,
        template="materials/moderation/start_staff.html",
        context=lambda user, roles: staff_work(user),
    )
)
register(
    DashboardSection(
        key="materials.my_suggestions",
        order=46,
        title=_("Ihre Vorschläge für die Bibliothek"),
        applies_to=lambda roles: roles.is_coordinator and not roles.is_bfe_staff,
        template="materials/moderation/start_suggester.html",
        context=lambda user, roles: own_suggestions(user),
    )
)
