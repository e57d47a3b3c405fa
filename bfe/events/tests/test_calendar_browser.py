"""A regional coordinator plans a year of Jours fixes in the browser and finds them in the
calendar."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.core.tests.browser import sign_in
from bfe.events.models import Event, Series
from bfe.places.tests.factories import berlin_region

from .factories import EventFactory

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def regional_coordinator(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False
    user = UserFactory(email="nora@example.org", full_name="Nora Nord")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    RoleFactory(user=user, kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"))
    return user


def first_of_next_month():
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def test_regional_coordinator_creates_a_series_and_sees_it_in_the_calendar(
    page, axe, regional_coordinator
):
    starts_on = first_of_next_month()
    until = (starts_on + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)

    sign_in(page, "nora@example.org")
    page.goto("/veranstaltungen/")
    page.get_by_role("link", name="Neue Jour-fixe-Reihe").first.click()
    page.get_by_label("Titel").fill("Jour fixe Nord im Browser")
    page.get_by_label("Wochentag").select_option(label="Mittwoch")
    page.get_by_label("Rhythmus").select_option(label="jeden zweiten im Monat")
    page.get_by_label(re.compile(r"^Beginn")).fill("10:00")
    page.get_by_label(re.compile(r"^Ende")).fill("12:00")
    page.get_by_label("Erster Termin ab").fill(starts_on.isoformat())
    page.get_by_label("Letzter Termin bis").fill(until.isoformat())
    page.get_by_label(re.compile(r"^Ort\b")).fill("Stadtteilzentrum Am Wiesengrund")
    page.get_by_label("Plätze").fill("20")
    page.get_by_role("button", name="Reihe anlegen").click()

    expect(page.get_by_text("Die Reihe wurde mit 3 Terminen angelegt.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Jour fixe Nord im Browser")
    expect(page.locator(".series-table tbody tr")).to_have_count(3)
    assert axe() == []

    series = Series.objects.get()
    first = series.events.order_by("starts_at").first()
    local = timezone.localtime(first.starts_at)
    assert local.time() == datetime.time(10)
    assert first.status == Event.Status.PUBLISHED

    page.goto(f"/veranstaltungen/monat/{local.year}/{local.month}/")
    calendar = page.locator("table.month")
    expect(calendar.get_by_role("link", name="Jour fixe Nord im Browser")).to_have_count(1)
    expect(calendar.locator("caption")).to_contain_text("1 Veranstaltung")
    assert axe() == []

    calendar.get_by_role("link", name="Jour fixe Nord im Browser").click()
    expect(page.locator("h1")).to_have_text("Jour fixe Nord im Browser")
    expect(page.get_by_role("link", name="Zur Terminreihe")).to_be_visible()
    assert axe() == []

    page.goto("/veranstaltungen/")
    expect(page.locator("#results")).to_contain_text("Jour fixe Nord im Browser")
    assert axe() == []


def test_filtering_the_calendar_updates_it_without_reload(page):
    EventFactory(title="Werkstatt im Browser")
    EventFactory(title="Netzwerktreffen im Browser", kind=Event.Kind.NETWORK_MEETING)

    page.goto("/veranstaltungen/")
    page.get_by_label("Art").select_option(label="Werkstatt")

    expect(page.locator("#results")).not_to_contain_text("Netzwerktreffen im Browser")
    expect(page.locator("#results")).to_contain_text("Werkstatt im Browser")
    expect(page).to_have_url(re.compile(r"kind=workshop"))


def test_on_a_phone_the_month_grid_becomes_a_list_of_days(page):
    EventFactory(title="Werkstatt am Handy")
    local = timezone.localtime(Event.objects.get().starts_at)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/veranstaltungen/monat/{local.year}/{local.month}/")

    expect(page.locator("table.month thead")).not_to_be_in_viewport()
    visible_days = page.locator("td.month__day:visible")
    expect(visible_days).to_have_count(1)
    expect(visible_days.first).to_contain_text("Werkstatt am Handy")
    expect(visible_days.first.locator(".month__weekday")).to_be_visible()
