"""Reads of volunteering for other apps (start pages, reports): counts, never names."""

from django.db.models import Sum

from bfe.accounts.models import Roles

from .models import ShelterVolunteerFigures, Volunteer

FIGURE_FIELDS = [stage.value for stage in Volunteer.Stage] + ["open_opportunities"]


def figures_for_shelters(shelter_ids):
    """The summed figures of these shelters, from the maintained table (one query)."""
    totals = ShelterVolunteerFigures.objects.filter(shelter_id__in=shelter_ids).aggregate(
        **{field: Sum(field) for field in FIGURE_FIELDS}
    )
    return {field: totals[field] or 0 for field in FIGURE_FIELDS}


def figures_visible_to(user):
    """Counts a person may see: her shelters' for a coordinator, her regions' shelters' for a
    regional coordinator, everything for the lead and partners. Never names."""
    roles = Roles.of(user)
    figures = ShelterVolunteerFigures.objects.all()
    if roles.is_admin or roles.is_partner:
        pass
    elif roles.region_ids:
        figures = figures.filter(shelter__district__regions__in=roles.region_ids)
    elif roles.shelter_ids:
        figures = figures.filter(shelter_id__in=roles.shelter_ids)
    else:
        figures = figures.none()
    totals = figures.aggregate(**{field: Sum(field) for field in FIGURE_FIELDS})
    return {field: totals[field] or 0 for field in FIGURE_FIELDS}
