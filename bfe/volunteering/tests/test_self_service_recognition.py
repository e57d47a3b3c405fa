"""Progress against the Berliner Ehrenamtskarte (≥ 200 h in the last twelve months, engaged for
at least a year) and the FreiwilligenPass (80 h in the last twelve months, or 200 h in one
project), counted from confirmed hours only, across her shelters."""

import datetime
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from bfe.volunteering.models import HoursEntry
from bfe.volunteering.self_service_reads import hours_summary

from .factories import VolunteerFactory
from .factories_self_service import HoursEntryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def record(shelter, volunteer_user):
    return VolunteerFactory(shelter=shelter, user=volunteer_user, email=volunteer_user.email)


def hours(record, amount, date, activity="Sprachcafé", **fields):
    return HoursEntryFactory(
        volunteer=record, hours=Decimal(amount), date=date, activity=activity, **fields
    )


def karte(user):
    return hours_summary(user, today=TODAY).recognitions[0]


def freiwilligenpass(user):
    return hours_summary(user, today=TODAY).recognitions[1]


def test_199_75_hours_are_not_enough_for_the_ehrenamtskarte(volunteer_user, record):
    hours(record, "20", TODAY - relativedelta(months=13), activity="Früher")  # a year ago
    for month in range(1, 10):
        hours(record, "22", TODAY - relativedelta(months=month))
    hours(record, "1.75", TODAY)

    recognition = karte(volunteer_user)

    assert not recognition.is_met
    assert recognition.goals[0].hours == Decimal("199.75")
    assert "noch 0,25 Stunden in den letzten 12 Monaten" in recognition.explanation


def test_200_hours_and_a_year_of_engagement_meet_the_ehrenamtskarte(volunteer_user, record):
    hours(record, "20", TODAY - relativedelta(months=13), activity="Früher")
    for month in range(1, 10):
        hours(record, "22", TODAY - relativedelta(months=month))
    hours(record, "2", TODAY)

    recognition = karte(volunteer_user)

    assert recognition.is_met
    assert (
        recognition.explanation
        == "Sie erfüllen die Voraussetzungen für die Berliner Ehrenamtskarte."
    )


def test_200_hours_within_the_first_year_are_not_yet_enough(volunteer_user, record):
    first = TODAY - relativedelta(months=12) + datetime.timedelta(days=1)
    hours(record, "24", first)
    for day in range(1, 10):
        hours(record, "20", TODAY - datetime.timedelta(days=day))

    recognition = karte(volunteer_user)

    assert recognition.goals[0].is_met
    assert not recognition.is_met
    assert "erreicht am 3. Dezember 2026" not in recognition.explanation
    assert "Engagement seit mindestens einem Jahr: erreicht am 4. Dezember 2026" in (
        recognition.explanation
    )


def test_first_hours_exactly_twelve_months_ago_count_as_a_year(volunteer_user, record):
    hours(record, "1", TODAY - relativedelta(months=12))
    for day in range(1, 11):
        hours(record, "20", TODAY - datetime.timedelta(days=day))

    assert karte(volunteer_user).is_met


def test_hours_older_than_twelve_months_do_not_count_for_the_year(volunteer_user, record):
    hours(record, "24", TODAY - relativedelta(months=12))
    for day in range(1, 10):
        hours(record, "20", TODAY - datetime.timedelta(days=day))

    recognition = karte(volunteer_user)

    assert recognition.goals[0].hours == Decimal("180")
    assert "noch 20 Stunden" in recognition.explanation


def test_proposed_and_rejected_hours_do_not_count(volunteer_user, record):
    hours(record, "24", TODAY, status=HoursEntry.Status.PROPOSED)
    hours(record, "24", TODAY, status=HoursEntry.Status.REJECTED)
    hours(record, "3", TODAY)

    summary = hours_summary(volunteer_user, today=TODAY)

    assert summary.last_year == Decimal("3")
    assert summary.pending == Decimal("24")


def test_hours_in_two_shelters_add_up(volunteer_user, record, other_shelter):
    second = VolunteerFactory(shelter=other_shelter, user=volunteer_user)
    hours(record, "40", TODAY)
    hours(second, "40", TODAY, activity="Garten")

    recognition = freiwilligenpass(volunteer_user)

    assert recognition.goals[0].hours == Decimal("80")
    assert recognition.is_met


def test_79_75_hours_in_a_year_are_not_enough_for_the_freiwilligenpass(volunteer_user, record):
    hours(record, "20", TODAY)
    hours(record, "20", TODAY - datetime.timedelta(days=5), activity="Garten")
    hours(record, "20", TODAY - datetime.timedelta(days=9), activity="Fahrradwerkstatt")
    hours(record, "19.75", TODAY - datetime.timedelta(days=20), activity="Ausflug")

    recognition = freiwilligenpass(volunteer_user)

    assert not recognition.is_met
    assert "noch 0,25 Stunden in den letzten 12 Monaten oder noch 180 Stunden in einem Projekt" in (
        recognition.explanation
    )


def test_200_hours_in_one_project_over_the_years_meet_the_freiwilligenpass(volunteer_user, record):
    for year in range(2, 12):
        hours(record, "20", TODAY - relativedelta(years=year), activity="Sprachcafé ")
    hours(record, "20", TODAY - relativedelta(years=1, days=2), activity="sprachcafé")

    recognition = freiwilligenpass(volunteer_user)

    assert recognition.goals[0].hours == Decimal("0")
    assert recognition.goals[1].hours == Decimal("220")
    assert recognition.is_met


def test_199_75_hours_spread_over_projects_are_not_one_project(volunteer_user, record):
    for year in range(2, 12):
        hours(record, "19.975", TODAY - relativedelta(years=year), activity=f"Projekt {year}")

    recognition = freiwilligenpass(volunteer_user)

    assert not recognition.is_met


def test_a_person_without_hours_is_told_what_both_need(volunteer_user, record):
    summary = hours_summary(volunteer_user, today=TODAY)

    assert "noch 200 Stunden" in summary.recognitions[0].explanation
    assert "ein Jahr Engagement" in summary.recognitions[0].explanation
    assert "noch 80 Stunden" in summary.recognitions[1].explanation


def test_the_hours_page_shows_years_progress_bars_and_what_is_missing(
    client, volunteer_user, record
):
    today = timezone.localdate()
    hours(record, "166", today - datetime.timedelta(days=1))
    hours(record, "12.5", today - relativedelta(years=2))
    client.force_login(volunteer_user)

    response = client.get(reverse("volunteering:self_service_hours"))

    text = response.text
    assert response.status_code == 200
    # The value attribute in the dot notation HTML wants, whatever the page's language.
    assert re.search(r'<progress class="goal__bar" max="200" value="166(\.00)?"', text)
    assert "noch 34 Stunden in den letzten 12 Monaten" in text
    assert str(today.year) in text and str(today.year - 2) in text
    assert "12,5" in text
    assert "style=" not in text


def test_the_hours_page_is_in_english_too(client, volunteer_user, record):
    hours(record, "10", timezone.localdate())
    client.force_login(volunteer_user)

    response = client.get(
        reverse("volunteering:self_service_hours"), headers={"accept-language": "en"}
    )

    assert "Berliner Ehrenamtskarte (Berlin volunteer card)" in response.text
    assert "Hours in the last 12 months: <strong>10 / 200</strong>" in response.text
    assert "another 190 hours in the last 12 months" in response.text
