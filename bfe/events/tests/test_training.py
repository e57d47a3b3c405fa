"""Training series: enrolment, waiting list, module seats, progress, completion and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import UserFactory
from bfe.events.models import Certificate, Enrolment, Event, Registration
from bfe.events.selectors import training as selectors
from bfe.events.services import training as services

from .factories import (
    EnrolmentFactory,
    RegistrationFactory,
    TrainingModuleEventFactory,
    TrainingSeriesFactory,
    in_days,
    module,
)
from .training_helpers import (
    attend,
    coordinator,
    module_event,
    person_with_role,
    regional_coordinator,
    series_with_modules,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _no_staff_2fa(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def series():
    return series_with_modules(year=THIS_YEAR + 1, seats=2)


def confirmed_module_registrations(person, series):
    return Registration.objects.filter(
        person=person, event__training_series=series, status=Registration.Status.CONFIRMED
    )


# --- Enrolment --------------------------------------------------------------------------------


def test_coordinator_is_confirmed_and_gets_a_seat_in_every_module(series):
    eva = coordinator()

    enrolment = services.enrol(series=series, person=eva)

    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.waitlisted_at is None
    assert confirmed_module_registrations(eva, series).count() == 8


def test_person_is_waitlisted_when_every_seat_is_taken(series):
    first, second, third = coordinator(), coordinator(), coordinator()
    services.enrol(series=series, person=first)
    services.enrol(series=series, person=second)

    enrolment = services.enrol(series=series, person=third)

    assert enrolment.status == Enrolment.Status.WAITLISTED
    assert enrolment.waitlisted_at is not None
    assert not Registration.objects.filter(person=third).exists()
    assert selectors.waitlist_position(enrolment) == 1


def test_waiting_list_keeps_the_order_of_arrival(series):
    for _ in range(2):
        services.enrol(series=series, person=coordinator())
    waiting = [services.enrol(series=series, person=coordinator()) for _ in range(3)]

    assert [selectors.waitlist_position(e) for e in waiting] == [1, 2, 3]


def test_enrolling_twice_creates_one_enrolment_and_one_registration_per_module(series):
    eva = coordinator()

    first = services.enrol(series=series, person=eva)
    second = services.enrol(series=series, person=eva)

    assert first.pk == second.pk
    assert Enrolment.objects.filter(person=eva).count() == 1
    assert Registration.objects.filter(person=eva).count() == 8


@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, Role.Kind.PARTNER, Role.Kind.ADMIN])
def test_only_coordinators_may_enrol(series, kind):
    with pytest.raises(PermissionDenied):
        services.enrol(series=series, person=person_with_role(kind))
    assert not Enrolment.objects.exists()


def test_regional_coordinators_may_not_enrol(series):
    with pytest.raises(PermissionDenied):
        services.enrol(series=series, person=regional_coordinator())


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("opens", True),
        ("closes", True),
        ("before_opening", False),
        ("after_closing", False),
    ],
)
def test_enrolment_is_open_from_opening_to_closing_instant_included(
    series, monkeypatch, moment, allowed
):
    tick = datetime.timedelta(microseconds=1)
    instants = {
        "opens": series.enrolment_opens_at,
        "closes": series.enrolment_closes_at,
        "before_opening": series.enrolment_opens_at - tick,
        "after_closing": series.enrolment_closes_at + tick,
    }
    eva = coordinator()
    monkeypatch.setattr(timezone, "now", lambda: instants[moment])

    if allowed:
        assert services.enrol(series=series, person=eva).status == Enrolment.Status.CONFIRMED
    else:
        with pytest.raises(ValidationError) as error:
            services.enrol(series=series, person=eva)
        expected = "not_yet_open" if moment == "before_opening" else "closed"
        assert error.value.code == expected


def test_unpublished_series_takes_no_enrolments():
    draft = TrainingSeriesFactory(year=THIS_YEAR + 2, is_published=False)
    with pytest.raises(ValidationError) as error:
        services.enrol(series=draft, person=coordinator())
    assert error.value.code == "closed"


def test_cancelled_enrolment_is_reactivated_with_its_module_registrations(series):
    eva = coordinator()
    enrolment = services.enrol(series=series, person=eva)
    services.withdraw(enrolment=enrolment, by=eva)
    assert confirmed_module_registrations(eva, series).count() == 0

    again = services.enrol(series=series, person=eva)

    assert again.pk == enrolment.pk
    assert again.status == Enrolment.Status.CONFIRMED
    assert again.cancelled_at is None
    assert confirmed_module_registrations(eva, series).count() == 8
    assert Registration.objects.filter(person=eva).count() == 8


def test_enrolled_person_gets_her_module_seat_even_when_catch_up_guests_filled_it(series):
    """Module seats are reserved by the series: no per-event capacity check for enrolees."""
    event = module_event(series, 3)
    for _ in range(event.capacity):
        RegistrationFactory(event=event, person=coordinator())

    services.enrol(series=series, person=coordinator())

    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == 3


def test_only_module_events_still_to_come_are_registered():
    series = series_with_modules(year=THIS_YEAR + 1, first_in_days=-14, seats=5)
    eva = coordinator()

    services.enrol(series=series, person=eva)

    # Modules 1 and 2 began 14 and 7 days ago; 3 is today at 9:00 or later and may have begun.
    started = Event.objects.filter(training_series=series, starts_at__lte=timezone.now())
    assert not Registration.objects.filter(person=eva, event__in=started).exists()
    assert confirmed_module_registrations(eva, series).count() == 8 - started.count()


def test_confirmation_email_is_sent_in_the_recipients_language_with_the_dates(
    series, django_capture_on_commit_callbacks
):
    eva = coordinator(email="eva@example.org", full_name="Eva Gruber", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(series=series, person=eva)

    [message] = mail.outbox
    assert message.to == ["eva@example.org"]
    assert series.title in message.subject
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en">' in html
    assert "Eva Gruber" in message.body
    [(_filename, content, mimetype)] = message.attachments
    assert mimetype == "text/calendar"
    assert content.count("BEGIN:VEVENT") == 8


def test_waitlisted_person_is_told_her_place(series, django_capture_on_commit_callbacks):
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(series=series, person=coordinator(email="wartend@example.org"))

    [message] = mail.outbox
    assert message.subject.startswith("[BfE] Warteliste")
    assert "Ihr Platz auf der Warteliste: 1" in message.body
    assert message.attachments == []


# --- Withdrawal and the waiting list ----------------------------------------------------------


def test_waitlisted_person_is_promoted_when_a_seat_frees_and_is_told_by_email(
    series, django_capture_on_commit_callbacks
):
    first, second = coordinator(), coordinator()
    first_enrolment = services.enrol(series=series, person=first)
    services.enrol(series=series, person=second)
    waiting = services.enrol(series=series, person=coordinator(email="nachruecker@example.org"))
    later = services.enrol(series=series, person=coordinator())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(enrolment=first_enrolment, by=first)

    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    assert waiting.waitlisted_at is None
    assert later.status == Enrolment.Status.WAITLISTED
    assert selectors.waitlist_position(later) == 1
    assert confirmed_module_registrations(waiting.person, series).count() == 8
    assert confirmed_module_registrations(first, series).count() == 0
    [message] = mail.outbox
    assert message.to == ["nachruecker@example.org"]
    assert "Ein Platz ist frei geworden" in message.subject
    assert "nachgerückt" in message.body


def test_leaving_the_waiting_list_promotes_nobody(series, django_capture_on_commit_callbacks):
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    leaver = coordinator()
    leaving = services.enrol(series=series, person=leaver)
    staying = services.enrol(series=series, person=coordinator())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(enrolment=leaving, by=leaver)

    staying.refresh_from_db()
    assert staying.status == Enrolment.Status.WAITLISTED
    assert selectors.waitlist_position(staying) == 1
    assert mail.outbox == []


def test_withdrawal_keeps_past_modules_and_their_attendance():
    series = series_with_modules(year=THIS_YEAR + 1, first_in_days=-14, seats=5)
    eva = coordinator()
    past = module_event(series, 1)
    RegistrationFactory(event=past, person=eva, attended=True)
    enrolment = services.enrol(series=series, person=eva)

    services.withdraw(enrolment=enrolment, by=eva)

    kept = Registration.objects.get(event=past, person=eva)
    assert kept.status == Registration.Status.CONFIRMED
    assert kept.attended
    future = Registration.objects.filter(person=eva, event__starts_at__gt=timezone.now())
    assert future.exists()
    assert set(future.values_list("status", flat=True)) == {Registration.Status.CANCELLED}


def test_withdrawing_twice_changes_nothing(series):
    eva = coordinator()
    enrolment = services.enrol(series=series, person=eva)
    services.withdraw(enrolment=enrolment, by=eva)
    cancelled_at = Enrolment.objects.get(pk=enrolment.pk).cancelled_at

    services.withdraw(enrolment=enrolment, by=eva)

    assert Enrolment.objects.get(pk=enrolment.pk).cancelled_at == cancelled_at


def test_only_the_person_or_bfe_staff_may_withdraw_an_enrolment(series):
    eva = coordinator()
    enrolment = services.enrol(series=series, person=eva)

    with pytest.raises(PermissionDenied):
        services.withdraw(enrolment=enrolment, by=coordinator())
    services.withdraw(enrolment=enrolment, by=regional_coordinator())

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.CANCELLED


def test_nobody_is_promoted_once_every_module_has_begun():
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70, seats=1)
    first, waiting = coordinator(), coordinator()
    first_enrolment = EnrolmentFactory(series=series, person=first)
    waiting_enrolment = EnrolmentFactory(
        series=series,
        person=waiting,
        status=Enrolment.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )

    services.withdraw(enrolment=first_enrolment, by=first)

    waiting_enrolment.refresh_from_db()
    assert waiting_enrolment.status == Enrolment.Status.WAITLISTED


def test_added_seats_are_filled_from_the_waiting_list(series):
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    waiting = services.enrol(series=series, person=coordinator())
    series.seats = 3
    series.save(update_fields=["seats"])

    promoted = services.promote_from_waitlist(series=series)

    assert [e.pk for e in promoted] == [waiting.pk]


def test_module_event_added_later_gets_the_enrolled_people(series):
    eva = coordinator()
    services.enrol(series=series, person=eva)
    extra = TrainingModuleEventFactory(
        training_series=series, module=module("basis", 8), starts_at=in_days(200)
    )

    assert services.register_enrolled_people(event=extra) == 1
    assert extra.registrations.get().person == eva


# --- Progress and completion ------------------------------------------------------------------


def test_module_attended_in_last_years_series_counts():
    last_year = series_with_modules(year=THIS_YEAR - 1, first_in_days=-300, numbers=[3])
    this_year = series_with_modules(year=THIS_YEAR, first_in_days=-60, numbers=[1, 2])
    eva = coordinator()
    attend(eva, last_year, 3)
    attend(eva, this_year, 1)

    progress = selectors.progress(eva, "basis")

    assert [row.attended for row in progress.modules] == [
        True,
        False,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert progress.modules[2].attended_on == timezone.localdate(
        module_event(last_year, 3).starts_at
    )
    assert progress.attended_count == 2
    assert progress.hours == Decimal("12")


def test_a_registration_without_attendance_does_not_count(series):
    eva = coordinator()
    services.enrol(series=series, person=eva)

    assert selectors.progress(eva, "basis").attended_count == 0


def test_seven_of_eight_modules_meet_the_eighty_percent_rule():
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70)
    eva = coordinator()
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 3, 4, 5, 6, 7)

    progress = selectors.progress(eva, "basis")

    assert progress.percent == Decimal("87.5")
    assert progress.required_percent == 80
    assert progress.is_complete


def test_six_of_eight_modules_do_not():
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70)
    eva = coordinator()
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 3, 4, 5, 6)

    progress = selectors.progress(eva, "basis")

    assert progress.percent == Decimal("75.0")
    assert not progress.is_complete


def test_the_completion_rule_is_that_of_the_series_the_person_is_enrolled_in():
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70, completion_percent=100)
    eva = coordinator()
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 3, 4, 5, 6, 7)

    progress = selectors.progress(eva, "basis")

    assert progress.required_percent == 100
    assert not progress.is_complete


def test_progress_of_aufbau_counts_only_aufbau_modules():
    series = series_with_modules(
        level="aufbau", year=THIS_YEAR, first_in_days=-70, numbers=range(1, 7), title="Aufbau"
    )
    basis = series_with_modules(year=THIS_YEAR, first_in_days=-70, numbers=[1])
    eva = coordinator()
    attend(eva, series, 1, 2, 3, 4, 5)
    attend(eva, basis, 1)

    progress = selectors.progress(eva, "aufbau")

    assert progress.total == 6
    assert progress.attended_count == 5
    assert progress.is_complete  # 83.3 % ≥ 80 %


# --- Certificates -----------------------------------------------------------------------------


@pytest.fixture
def completed():
    """Eva, enrolled in this year's Basis series, attended 7 of 8 modules."""
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70)
    eva = coordinator(full_name="Eva Gruber")
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 3, 4, 5, 6, 7)
    return eva, series


def test_certificate_is_issued_with_name_hours_and_a_code(completed):
    eva, series = completed

    certificate = services.issue_certificate(person=eva, series=series)

    assert certificate.holder_name == "Eva Gruber"
    assert certificate.hours == Decimal("42")
    assert len(certificate.verification_code) == 8
    assert set(certificate.verification_code) <= set(services.CODE_ALPHABET)


def test_issuing_twice_returns_the_same_certificate(completed):
    eva, series = completed

    first = services.issue_certificate(person=eva, series=series)
    second = services.issue_certificate(person=eva, series=series)

    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_the_name_on_a_certificate_stays_when_the_account_changes(completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    eva.full_name = "Eva Gruber-Schmidt"
    eva.save()

    assert services.issue_certificate(person=eva, series=series).holder_name == "Eva Gruber"
    certificate.refresh_from_db()
    assert certificate.holder_name == "Eva Gruber"


def test_no_certificate_below_the_completion_rule():
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70)
    eva = coordinator()
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 3, 4, 5, 6)

    with pytest.raises(ValidationError) as error:
        services.issue_certificate(person=eva, series=series)

    assert error.value.code == "incomplete"
    assert not Certificate.objects.exists()


def test_no_certificate_for_a_series_the_person_did_not_take_part_in(completed):
    eva, _series = completed
    next_year = series_with_modules(year=THIS_YEAR + 1)

    with pytest.raises(ValidationError) as error:
        services.issue_certificate(person=eva, series=next_year)

    assert error.value.code == "not_participant"


def test_verification_codes_avoid_characters_people_confuse():
    codes = {services.new_verification_code() for _ in range(500)}

    assert len(codes) == 500
    assert not set("".join(codes)) & set("0O1I")


# --- Pages: overview and detail ---------------------------------------------------------------


def test_overview_shows_published_series_by_level_with_seats_left(client):
    basis = series_with_modules(year=THIS_YEAR + 1, seats=3)
    aufbau = TrainingSeriesFactory(
        level="aufbau", year=THIS_YEAR + 1, title="Freiwilligenkoordination BfE – Aufbau"
    )
    hidden = TrainingSeriesFactory(year=THIS_YEAR + 2, is_published=False, title="Geheim 2099")
    services.enrol(series=basis, person=coordinator())

    response = client.get(reverse("events:training_list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert basis.title in content
    assert aufbau.title in content
    assert hidden.title not in content
    assert "Reihe Basis" in content
    assert content.index("Reihe Basis") < content.index("Reihe Aufbau")
    assert "2 von 3" in content


def test_bfe_staff_see_unpublished_series(client):
    hidden = TrainingSeriesFactory(year=THIS_YEAR + 2, is_published=False, title="Entwurf 2099")
    client.force_login(regional_coordinator())

    assert hidden.title in client.get(reverse("events:training_list")).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_unpublished_series_is_not_found_for_coordinators(client):
    hidden = TrainingSeriesFactory(year=THIS_YEAR + 2, is_published=False)
    client.force_login(coordinator())

    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_overview_shows_the_persons_status_and_progress(client):
    series = series_with_modules(year=THIS_YEAR, first_in_days=-21, seats=1)
    eva = coordinator()
    services.enrol(series=series, person=coordinator())
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2)
    client.force_login(eva)

    content = client.get(reverse("events:training_list")).content.decode()

    assert "Sie sind angemeldet" in content
    assert "2 von 8 Modulen besucht (25 %)" in content


def test_overview_needs_the_same_number_of_queries_for_more_series(
    client, django_assert_num_queries
):
    eva = coordinator()
    series = series_with_modules(year=THIS_YEAR + 1)
    services.enrol(series=series, person=eva)
    client.force_login(eva)
    client.get(reverse("events:training_list"))  # warms the session and the roles

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("events:training_list"))
        return len(queries)

    few = count()
    for year in range(THIS_YEAR + 2, THIS_YEAR + 6):
        services.enrol(series=series_with_modules(year=year), person=eva)
    assert count() == few


def test_detail_shows_modules_with_dates_and_the_enrol_button_to_coordinators(client, series):
    client.force_login(coordinator())

    content = client.get(series.get_absolute_url()).content.decode()

    assert "Systeme des Freiwilligenmanagements" in content
    assert module_event(series, 1).starts_at.astimezone().strftime("%d.%m.%Y") in content
    assert reverse("events:training_enrol", args=[series.pk]) in content
    assert "Verbindlich anmelden" in content


def test_detail_asks_anonymous_visitors_to_sign_in(client, series):
    content = client.get(series.get_absolute_url()).content.decode()

    assert "Melden Sie sich an" in content
    assert reverse("events:training_enrol", args=[series.pk]) not in content


def test_detail_offers_no_enrolment_to_volunteers(client, series):
    client.force_login(person_with_role(Role.Kind.VOLUNTEER))

    content = client.get(series.get_absolute_url()).content.decode()

    assert reverse("events:training_enrol", args=[series.pk]) not in content
    assert "richtet sich an Ehrenamtskoordinator:innen" in content


def test_detail_shows_waitlist_place_and_withdraw_button(client, series):
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    eva = coordinator()
    services.enrol(series=series, person=eva)
    client.force_login(eva)

    content = client.get(series.get_absolute_url()).content.decode()

    assert "Warteliste, Platz 1" in content
    assert reverse("events:training_withdraw", args=[series.pk]) in content


def test_detail_shows_progress_and_lets_a_complete_participant_issue_her_certificate(
    client, completed
):
    eva, series = completed
    client.force_login(eva)

    content = client.get(series.get_absolute_url()).content.decode()
    assert "7 von 8 Modulen besucht (87,5 %)" in content
    assert "Bescheinigung ausstellen" in content

    response = client.post(series.get_absolute_url())

    certificate = Certificate.objects.get(person=eva, series=series)
    assert response.status_code == 302
    content = client.get(series.get_absolute_url()).content.decode()
    assert "Ihre Teilnahmebescheinigung ist ausgestellt" in content
    assert reverse("events:certificate_pdf", args=[certificate.pk]) in content
    assert "Bescheinigung herunterladen" in content


def test_an_incomplete_participant_cannot_issue_a_certificate(client):
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70)
    eva = coordinator()
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2)
    client.force_login(eva)

    client.post(series.get_absolute_url())

    assert not Certificate.objects.exists()
    content = client.get(series.get_absolute_url()).content.decode()
    assert "Für die Bescheinigung fehlen noch Module" in content
    assert "Bescheinigung ausstellen" not in content


def test_a_certificate_is_only_offered_for_a_series_the_person_took_part_in(client, completed):
    eva, _series = completed
    next_year = series_with_modules(year=THIS_YEAR + 1)
    client.force_login(eva)

    content = client.get(next_year.get_absolute_url()).content.decode()

    assert "7 von 8 Modulen besucht" in content  # her progress, for catching up
    assert "Bescheinigung ausstellen" not in content
    client.post(next_year.get_absolute_url())
    assert not Certificate.objects.exists()


def test_the_certificate_of_the_level_is_shown_on_later_series(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    next_year = series_with_modules(year=THIS_YEAR + 1)
    client.force_login(eva)

    content = client.get(next_year.get_absolute_url()).content.decode()

    assert reverse("events:certificate_pdf", args=[certificate.pk]) in content


def test_no_withdrawal_from_a_series_that_is_over(client, completed):
    eva, series = completed
    for event in series.modules.all():
        event.starts_at -= datetime.timedelta(days=60)
        event.ends_at -= datetime.timedelta(days=60)
        event.save()
    client.force_login(eva)

    content = client.get(series.get_absolute_url()).content.decode()

    assert "Sie haben teilgenommen" in content
    assert reverse("events:training_withdraw", args=[series.pk]) not in content


def test_detail_needs_a_fixed_number_of_queries(client, completed, django_assert_max_num_queries):
    eva, series = completed
    client.force_login(eva)
    client.get(series.get_absolute_url())

    with django_assert_max_num_queries(12):
        client.get(series.get_absolute_url())


# --- Pages: enrol and withdraw ----------------------------------------------------------------


def test_enrol_confirms_and_says_so(client, series):
    eva = coordinator()
    client.force_login(eva)

    response = client.post(reverse("events:training_enrol", args=[series.pk]), follow=True)

    assert response.redirect_chain[-1][0] == series.get_absolute_url()
    assert "verbindlich angemeldet" in response.content.decode()
    assert Enrolment.objects.get(person=eva).status == Enrolment.Status.CONFIRMED


def test_enrol_on_a_full_series_says_the_waiting_list_place(client, series):
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    services.enrol(series=series, person=coordinator())
    client.force_login(coordinator())

    response = client.post(reverse("events:training_enrol", args=[series.pk]), follow=True)

    assert "Sie stehen auf Platz 2 der Warteliste" in response.content.decode()


def test_enrol_after_closing_says_enrolment_is_closed(client):
    closed = series_with_modules(
        year=THIS_YEAR + 1, enrolment_opens_at=in_days(-30), enrolment_closes_at=in_days(-1)
    )
    client.force_login(coordinator())

    response = client.post(reverse("events:training_enrol", args=[closed.pk]), follow=True)

    assert "Die Anmeldung für diese Fortbildungsreihe ist geschlossen." in (
        response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_enrol_again_says_already_enrolled(client, series):
    eva = coordinator()
    services.enrol(series=series, person=eva)
    client.force_login(eva)

    response = client.post(reverse("events:training_enrol", args=[series.pk]), follow=True)

    assert "bereits angemeldet" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_enrol_takes_only_post(client, series):
    client.force_login(coordinator())

    assert client.get(reverse("events:training_enrol", args=[series.pk])).status_code == 405


@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, Role.Kind.PARTNER])
def test_partners_and_volunteers_cannot_enrol(client, series, kind):
    client.force_login(person_with_role(kind))

    response = client.post(reverse("events:training_enrol", args=[series.pk]))

    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_withdraw_cancels_and_says_so(client, series):
    eva = coordinator()
    services.enrol(series=series, person=eva)
    client.force_login(eva)

    response = client.post(reverse("events:training_withdraw", args=[series.pk]), follow=True)

    assert "abgemeldet" in response.content.decode()
    assert Enrolment.objects.get(person=eva).status == Enrolment.Status.CANCELLED


# --- Pages: participants ----------------------------------------------------------------------


def test_participants_lists_enrolled_and_waiting_with_modules_attended_in_any_year(client):
    last_year = series_with_modules(year=THIS_YEAR - 1, first_in_days=-300, numbers=[3])
    series = series_with_modules(year=THIS_YEAR, first_in_days=-70, seats=1)
    eva = coordinator(full_name="Eva Gruber")
    EnrolmentFactory(series=series, person=eva)
    attend(eva, series, 1, 2, 4, 5, 6, 7)
    attend(eva, last_year, 3)
    EnrolmentFactory(
        series=series,
        person=coordinator(full_name="Wanda Warteliste"),
        status=Enrolment.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    client.force_login(regional_coordinator())

    response = client.get(reverse("events:training_participants", args=[series.pk]))

    content = response.content.decode()
    assert "Eva Gruber" in content
    assert "7 von 8" in content
    assert "erfüllt" in content
    assert "Wanda Warteliste" in content
    assert content.index("Eva Gruber") < content.index("Wanda Warteliste")
    rows = selectors.series_participants(series)
    assert [(r.person.full_name, r.attended_count, r.is_complete) for r in rows] == [
        ("Eva Gruber", 7, True),
        ("Wanda Warteliste", 0, False),
    ]
    assert rows[1].waitlist_position == 1


def test_participants_page_needs_the_same_queries_for_many_people(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    series = series_with_modules(year=THIS_YEAR, first_in_days=-70, seats=40)
    client.force_login(regional_coordinator())
    url = reverse("events:training_participants", args=[series.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    EnrolmentFactory(series=series, person=coordinator())
    few = count()
    for _ in range(10):
        person = coordinator()
        EnrolmentFactory(series=series, person=person)
        attend(person, series, 1, 2)
    assert count() == few


def test_staff_issue_a_certificate_from_the_participants_page(client, completed):
    eva, series = completed
    client.force_login(regional_coordinator())
    url = reverse("events:training_participants", args=[series.pk])

    response = client.post(url, {"person": eva.pk}, follow=True)

    certificate = Certificate.objects.get(person=eva)
    assert "Die Bescheinigung für Eva Gruber ist ausgestellt." in response.content.decode()
    assert reverse("events:certificate_pdf", args=[certificate.pk]) in response.content.decode()


def test_coordinators_cannot_see_participants(client, series):
    client.force_login(coordinator())

    url = reverse("events:training_participants", args=[series.pk])
    assert client.get(url).status_code == 404


# --- Pages: certificate download and verification ---------------------------------------------


def test_holder_downloads_her_certificate(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    client.force_login(eva)

    response = client.get(reverse("events:certificate_pdf", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_another_coordinator_cannot_download_someone_elses_certificate(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    client.force_login(coordinator())

    assert client.get(reverse("events:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_bfe_staff_download_any_certificate(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    client.force_login(regional_coordinator("west"))

    assert client.get(reverse("events:certificate_pdf", args=[certificate.pk])).status_code == 200


def test_a_revoked_certificate_is_not_downloaded(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    client.force_login(eva)

    assert client.get(reverse("events:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_verification_page_confirms_a_valid_certificate_to_anyone(client, completed):
    eva, series = completed
    certificate = services.issue_certificate(person=eva, series=series)

    response = client.get(certificate.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Diese Bescheinigung ist gültig." in content
    assert "Eva Gruber" in content
    assert series.title in content
    assert ">42<" in content
    assert 'name="robots" content="noindex"' in content


def test_verification_accepts_codes_typed_in_lower_case_with_dashes(client):
    certificate = Certificate.objects.create(
        person=UserFactory(),
        series=TrainingSeriesFactory(),
        holder_name="Eva Gruber",
        verification_code="ABCD2345",
        hours=42,
    )

    response = client.get(reverse("events:certificate_verify", args=["abcd-2345 "]))

    assert response.status_code == 200
    assert certificate.holder_name in response.content.decode()


def test_verification_page_says_when_a_certificate_was_revoked(client):
    Certificate.objects.create(
        person=UserFactory(),
        series=TrainingSeriesFactory(),
        holder_name="Eva Gruber",
        verification_code="ABCD2345",
        hours=42,
        revoked_at=timezone.now(),
    )

    response = client.get(reverse("events:certificate_verify", args=["ABCD2345"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "widerrufen" in content
    assert "Diese Bescheinigung ist gültig." not in content
    assert "Eva Gruber" not in content


def test_unknown_codes_are_not_found(client):
    response = client.get(reverse("events:certificate_verify", args=["ZZZZ9999"]))

    assert response.status_code == 404
    assert "Diese Prüfnummer ist uns nicht bekannt." in response.content.decode()
