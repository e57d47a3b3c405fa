"""Background work of the self-service part: hours proposed from the shifts that have ended."""

from django.tasks import task

from ..services import hours


@task()
def propose_shift_hours():
    """The scheduled run of `manage.py propose_shift_hours`, for deployments that schedule
    tasks instead of cron; idempotent like the command."""
    return hours.propose_hours_for_past_shifts()
