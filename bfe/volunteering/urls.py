"""URLs of volunteering, full paths as in the other apps: the public board under /engagement/,
the coordinators' tools under /freiwillige/, a volunteer's own pages under /mein-engagement/.
Each part of the app keeps its routes in its own module under routes/."""

from .routes import board, imports, pipeline, privacy, self_service, shifts

app_name = "volunteering"

urlpatterns = [
    *board.patterns,
    *pipeline.patterns,
    *shifts.patterns,
    *self_service.patterns,
    *imports.patterns,
    *privacy.patterns,
]
