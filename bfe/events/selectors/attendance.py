"""Who took part in BfE's events, for the other apps: consultations' outreach list and timelines
read attendance through these functions, never through events' models."""

from django.db.models.functions import TruncDate

from ..models import Registration


def attended_registrations():
    """Registrations of signed-in people who attended, each annotated with `day`: the (local)
    date the event started. Callers narrow it down (by person, date) and scope it."""
    return Registration.objects.filter(attended=True, person__isnull=False).annotate(
        day=TruncDate("event__starts_at")
    )
