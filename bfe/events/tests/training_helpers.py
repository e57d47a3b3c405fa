"""People and series for the training tests."""

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.places.tests.factories import CoordinatorPositionFactory, berlin_region

from .factories import (
    RegistrationFactory,
    TrainingModuleEventFactory,
    TrainingSeriesFactory,
    in_days,
    module,
)


def coordinator(**kwargs):
    """A person with a current coordinator post (and so the coordinator role)."""
    person = UserFactory(**kwargs)
    CoordinatorPositionFactory(person=person)
    return person


def regional_coordinator(slug="nord", **kwargs):
    person = UserFactory(**kwargs)
    RoleFactory(user=person, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug))
    return person


def person_with_role(kind, **kwargs):
    person = UserFactory(**kwargs)
    RoleFactory(user=person, kind=kind)
    return person


def series_with_modules(*, level="basis", first_in_days=40, numbers=range(1, 9), **kwargs):
    """A published series with one module event per curriculum module, a week apart."""
    series = TrainingSeriesFactory(level=level, **kwargs)
    for offset, number in enumerate(numbers):
        TrainingModuleEventFactory(
            training_series=series,
            module=module(level, number),
            starts_at=in_days(first_in_days + 7 * offset, 9),
        )
    return series


def module_event(series, number):
    return series.modules.get(module__number=number)


def attend(person, series, *numbers):
    """Marks the person as having attended the series' module events with these numbers."""
    for number in numbers:
        event = module_event(series, number)
        registration = event.registrations.filter(person=person).first()
        if registration:
            registration.attended = True
            registration.save(update_fields=["attended"])
        else:
            RegistrationFactory(event=event, person=person, attended=True)
