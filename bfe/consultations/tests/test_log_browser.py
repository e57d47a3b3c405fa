"""Logging a consultation in Debian's Chromium, as a regional coordinator does it."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import UserFactory
from bfe.consultations.models import Consultation
from bfe.core.tests.browser import sign_in
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

# Browser tests share the live server's database; keep the migrated districts and regions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def person(email, full_name):
    user = UserFactory(email=email, full_name=full_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_regional_coordinator_logs_a_consultation_and_finds_it_in_the_log(page, axe):
    mitte = District.objects.get(number="01")
    nora = person("nora@example.org", "Nora Nord")
    nord = Region.objects.get(slug="nord")
    nora.role_set.create(kind=Role.Kind.REGIONAL_COORDINATOR, region=nord)
    wiesengrund = ShelterFactory(name="GU Am Wiesengrund", district=mitte)
    anger = ShelterFactory(name="GU Am Anger", district=mitte)
    eva, olga = person("eva@example.org", "Eva Ehrenamt"), person("olga@example.org", "Olga Anger")
    CoordinatorPositionFactory(shelter=wiesengrund, person=eva)
    CoordinatorPositionFactory(shelter=anger, person=olga)

    sign_in(page, "nora@example.org")
    page.goto("/beratung/protokoll/")
    page.get_by_role("link", name="Beratung erfassen").first.click()
    page.get_by_label("Unterkunft").select_option(label="GU Am Anger (Mitte)")
    page.get_by_role("button", name="Weiter").click()

    # Date, duration and format come filled in; the date field has the focus.
    expect(page.get_by_label("Datum")).to_be_focused()
    expect(page.get_by_label("Dauer (Minuten)")).to_have_value("60")
    expect(page.get_by_label("vor Ort")).to_be_checked()
    expect(page.get_by_label("Olga Anger")).to_be_visible()
    assert axe() == []

    # Choosing another shelter swaps in its coordinators without reloading the page.
    page.get_by_label("Unterkunft").select_option(label="GU Am Wiesengrund (Mitte)")
    expect(page.get_by_label("Eva Ehrenamt")).to_be_visible()
    expect(page.get_by_label("Olga Anger")).to_have_count(0)

    page.get_by_label("Eva Ehrenamt").check()
    page.get_by_label("Telefon").check()
    page.get_by_label("Konflikte").check()
    page.get_by_label("Vereinbarte nächste Schritte").fill("Leitfaden Konfliktgespräch schicken")
    page.get_by_label("Vertrauliche Notiz").fill("Spannungen im Team")
    page.get_by_role("button", name="Beratung speichern").click()

    expect(page.get_by_text("Die Beratung wurde im Protokoll gespeichert.")).to_be_visible()
    expect(page.get_by_text("Spannungen im Team")).to_be_visible()

    page.get_by_role("link", name="Beratungsprotokoll").first.click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("GU Am Wiesengrund")
    expect(row).to_contain_text("Telefon")
    expect(row).to_contain_text("Konflikte")
    expect(row).to_contain_text("Eva Ehrenamt")
    consultation = Consultation.objects.get()
    assert consultation.logged_by == nora
    assert list(consultation.participants.values_list("full_name", flat=True)) == ["Eva Ehrenamt"]
