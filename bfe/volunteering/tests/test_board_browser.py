"""The phone journey of the board in Debian's Chromium at 390 px: find an opportunity near a
postcode, apply without an account, confirm with the link from the e-mail; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from bfe.places.models import District
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory
from bfe.volunteering.models import Application, Volunteer

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_person_finds_help_near_her_postcode_applies_and_confirms_on_her_phone(
    page, axe, mailoutbox, live_server
):
    mitte = ShelterFactory(district=District.objects.get(number="01"))
    coordinator = CoordinatorPositionFactory(shelter=mitte).person
    OpportunityFactory(shelter=mitte, title="Sprachcafé in Mitte")
    OpportunityFactory(
        shelter=ShelterFactory(district=District.objects.get(number="05")),
        title="Sprachcafé in Spandau",
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/engagement/")
    page.get_by_label("In der Nähe der PLZ").fill("10115")
    page.get_by_label("Umkreis").select_option("3")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/engagement/?plz=10115&km=3*")
    expect(page.locator(".result__title")).to_have_text(["Sprachcafé in Mitte"])
    assert axe() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Sprachcafé in Mitte").click()
    expect(page.locator("h1")).to_have_text("Sprachcafé in Mitte")
    assert mitte.name not in page.content()
    page.get_by_label("Ihr Name").fill("Amira Haddad")
    page.get_by_label("E-Mail-Adresse").fill("amira@example.org")
    page.get_by_label("Arabisch").check()
    page.get_by_label("Nachricht an die Koordination").fill("Dienstags habe ich Zeit.")
    page.get_by_label("Ich willige in die Verarbeitung").check()
    assert axe() == []
    page.get_by_role("button", name="Bewerbung absenden").click()

    expect(page.locator("h1")).to_have_text("Bitte schauen Sie in Ihr Postfach")
    assert axe() == []
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/engagement/bestaetigen/\S+/", mail.body).group(0)
    page.goto(link.replace("http://localhost:8000", live_server.url))
    assert Application.objects.get().status == Application.Status.UNCONFIRMED
    assert axe() == []
    page.get_by_role("button", name="Ja, Bewerbung bestätigen").click()

    expect(page.locator("h1")).to_have_text("Danke! Ihre Bewerbung ist bestätigt.")
    assert axe() == []
    volunteer = Volunteer.objects.get()
    assert (volunteer.full_name, volunteer.shelter) == ("Amira Haddad", mitte)
    assert sorted(tuple(m.to) for m in mailoutbox[1:]) == sorted(
        [("amira@example.org",), (coordinator.email,)]
    )
