"""Helpers of the pipeline's tests: records made through the service, so that the shelter's
figures are kept as in production."""

from bfe.volunteering.models import Volunteer
from bfe.volunteering.services import records
from bfe.volunteering.services.pipeline import change_stage

_counter = iter(range(10**6))


def record(shelter, *, stage=Volunteer.Stage.APPLIED, full_name=None, email=None, **fields):
    """A volunteer of `shelter` at `stage`, made and moved through the services."""
    number = next(_counter)
    volunteer, _created = records.find_or_create_volunteer(
        shelter=shelter,
        full_name=full_name or f"Person {number:04d}",
        email=f"person{number}@example.org" if email is None else email,
        source=Volunteer.Source.MANUAL,
        **fields,
    )
    if stage != volunteer.stage:
        end_reason = Volunteer.EndReason.OTHER if stage == Volunteer.Stage.ENDED else ""
        change_stage(volunteer=volunteer, stage=stage, actor=None, end_reason=end_reason)
        volunteer.refresh_from_db()
    return volunteer
