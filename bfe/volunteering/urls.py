"""URLs of volunteering, full paths as in the other apps: the public board under /engagement/,
the coordinators' tools under /freiwillige/, a volunteer's own pages under /mein-engagement/.
Each part of the app keeps its routes in its own list below."""

from django.urls import path  # noqa: F401

app_name = "volunteering"

# Public board, opportunities, applications (double opt-in).
board_patterns = []
# Coordinators: pipeline, notes, messages, onboarding checklist, clearances.
pipeline_patterns = []
# Shifts, sign-ups, waiting lists, iCal.
shift_patterns = []
# Hours, Ehrenamtsnachweis, self-service profile, data export and deletion.
self_service_patterns = []
# Import of volunteer lists.
import_patterns = []

urlpatterns = (
    board_patterns + pipeline_patterns + shift_patterns + self_service_patterns + import_patterns
)
