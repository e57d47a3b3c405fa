"""WCAG 2.1 AA (axe-core in Chromium) on the pages each role comes for, at desktop and phone width.

At phone width each page must also reflow at 320 px without scrolling sideways (WCAG 1.4.10),
which axe does not check. Pages that other browser tests already check at one width are visited
here at the other width only; the foundation's pages are in test_accessibility.py.
"""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.tests.factories import (
    ConsultationFactory,
    ConsultationRequestFactory,
    FollowUpFactory,
)
from bfe.core.tests.browser import sign_in
from bfe.events.models import Certificate
from bfe.events.tests.factories import (
    EventFactory,
    GuestRegistrationFactory,
    JourFixeFactory,
    RegistrationFactory,
)
from bfe.events.tests.training_helpers import series_with_modules
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1280, "phone": 390}
REFLOW = 320  # WCAG 1.4.10: content fits 320 CSS px without scrolling sideways


def person(email, kind=None, **role):
    user = UserFactory(email=email, full_name=email.split("@")[0].title() + " Beispiel")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if kind:
        RoleFactory(user=user, kind=kind, **role)
    return user


@pytest.fixture
def world(settings):
    """One of everything a role's pages show, in region Nord."""
    settings.BFE_REQUIRE_STAFF_2FA = False
    nord = berlin_region("nord")
    shelter = ShelterFactory(name="GU Am Wiesengrund", district=berlin_district("01"))
    people = {
        "volunteer": person("freiwillig@example.org", Role.Kind.VOLUNTEER),
        "partner": person("partner@example.org", Role.Kind.PARTNER),
        "coordinator": person("eak@example.org"),
        "regional": person("nord@example.org", Role.Kind.REGIONAL_COORDINATOR, region=nord),
        "admin": person("admin@example.org", Role.Kind.ADMIN),
    }
    coordinator, regional = people["coordinator"], people["regional"]
    CoordinatorPositionFactory(shelter=shelter, person=coordinator)
    # A shelter nobody reached, with a vacant post: the outreach list shows its tables.
    CoordinatorPositionFactory(
        shelter=ShelterFactory(name="NU Am Anger", district=berlin_district("03")), person=None
    )

    now = timezone.now()
    jour_fixe = JourFixeFactory(title="Jour fixe Nord im Rathaus", organisers=[regional])
    running = JourFixeFactory(
        title="Jour fixe Nord läuft",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
        organisers=[regional],
    )
    RegistrationFactory(event=running, person=coordinator)
    GuestRegistrationFactory(event=running, guest_name="Erika Extern")
    workshop = EventFactory(title="Werkstatt Engagement im Sozialraum")
    RegistrationFactory(event=workshop, person=coordinator)
    series = series_with_modules(numbers=[1, 2])
    certificate = Certificate.objects.create(
        person=coordinator,
        series=series,
        holder_name=coordinator.full_name,
        verification_code="ABCD2345",
        hours=48,
    )
    consultation = ConsultationFactory(shelter=shelter, region=nord, participants=[coordinator])
    ConsultationRequestFactory(shelter=shelter, region=nord, requested_by=coordinator)
    FollowUpFactory(region=nord, shelter=shelter, owner=regional)
    return {
        **people,
        "shelter": shelter,
        "jour_fixe": jour_fixe,
        "running": running,
        "workshop": workshop,
        "series": series,
        "certificate": certificate,
        "consultation": consultation,
    }


def violations_by_path(page, axe, width, paths, user=None):
    """axe's findings on every path, keyed by path, so that one run lists all failures.

    At phone width each page is also narrowed to 320 px, where it must not scroll sideways.
    """
    size = {"width": WIDTHS[width], "height": 900}
    page.set_viewport_size(size)
    if user:
        sign_in(page, user.email)
    found = {}
    for path in paths:
        response = page.goto(path)
        # The page itself, not a login page or a redirect elsewhere.
        assert (response.status, response.request.redirected_from) == (200, None), path
        violations = axe()
        if width == "phone":
            page.set_viewport_size({**size, "width": REFLOW})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > REFLOW:
                violations.append({"id": "reflow", "help": f"{scroll_width} px wide at {REFLOW}"})
            page.set_viewport_size(size)
        if violations:
            found[path] = violations
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_anonymous_visitors_pages_have_no_wcag_violations(page, axe, world, width):
    today = timezone.localdate()
    paths = [
        "/veranstaltungen/",
        f"/veranstaltungen/monat/{today.year}/{today.month}/",
        world["workshop"].get_absolute_url(),
        "/fortbildungen/",
        world["series"].get_absolute_url(),
    ]
    if width == "phone":  # at desktop width in test_registration_browser / test_training_browser
        paths += [
            f"/veranstaltungen/{world['workshop'].pk}/gast/",
            f"/bescheinigungen/pruefen/{world['certificate'].verification_code}/",
        ]
    assert violations_by_path(page, axe, width, paths) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_volunteers_pages_have_no_wcag_violations(page, axe, world, width):
    paths = ["/start/", "/veranstaltungen/", "/meine-anmeldungen/", "/konto/meine-daten/"]
    paths += ["/konto/loeschen/"]
    assert violations_by_path(page, axe, width, paths, world["volunteer"]) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_partners_pages_have_no_wcag_violations(page, axe, world, width):
    paths = ["/start/", "/beratung/zahlen/"]
    assert violations_by_path(page, axe, width, paths, world["partner"]) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_coordinators_pages_have_no_wcag_violations(page, axe, world, width):
    shelter = world["shelter"]
    paths = [
        "/start/",
        shelter.get_absolute_url(),
        f"/unterkuenfte/{shelter.pk}/bearbeiten/",
        "/veranstaltungen/",
        world["jour_fixe"].get_absolute_url(),
        world["workshop"].get_absolute_url(),
        "/beratung/anfragen/neu/",
        "/beratung/anfragen/",
        "/beratung/protokoll/",
        world["consultation"].get_absolute_url(),
        # Her own data: registrations, a certificate, a consultation and a request.
        "/konto/meine-daten/",
    ]
    if width == "phone":  # at desktop width in test_registration_browser / test_training_browser
        paths += [
            "/meine-anmeldungen/",
            "/fortbildungen/",
            world["series"].get_absolute_url(),
        ]
    assert violations_by_path(page, axe, width, paths, world["coordinator"]) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_regional_coordinators_pages_have_no_wcag_violations(page, axe, world, width):
    shelter, running = world["shelter"], world["running"]
    paths = [
        "/start/",
        "/beratung/kontaktliste/",
        "/beratung/protokoll/",
        world["consultation"].get_absolute_url(),
        "/beratung/protokoll/neu/",
        "/beratung/anfragen/",
        "/beratung/aufgaben/",
        f"/beratung/verlauf/unterkunft/{shelter.pk}/",
        f"/beratung/verlauf/person/{world['coordinator'].pk}/",
        # On a phone in test_check_in_browser too, but without the reflow check (file input).
        f"/veranstaltungen/{running.pk}/dokumente/",
    ]
    if width == "phone":  # at desktop width in test_log_browser
        paths += [f"/beratung/protokoll/neu/?shelter={shelter.pk}"]
    if width == "desktop":  # on a phone in test_check_in_browser
        paths += [
            f"/veranstaltungen/{running.pk}/teilnehmende/",
            f"/veranstaltungen/{running.pk}/einlass/",
        ]
    assert violations_by_path(page, axe, width, paths, world["regional"]) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_admins_pages_have_no_wcag_violations(page, axe, world, width):
    paths = ["/start/", "/beratung/zahlen/", "/veranstaltungen/neu/"]
    assert violations_by_path(page, axe, width, paths, world["admin"]) == {}


# For each invalid field: its controls, whether they are marked invalid, and whether the error
# message is linked to them (or to the fieldset that groups them) through aria-describedby.
INVALID_FIELDS_JS = """() => [...document.querySelectorAll('.field--invalid')].map(field => {
  const errors = field.querySelector('.field__errors');
  const describes = (element) => (element?.getAttribute('aria-describedby') || '')
    .split(/\\s+/).includes(errors?.id);
  const controls = [...field.querySelectorAll('input, select, textarea')];
  return {
    name: controls[0]?.name,
    message: errors?.textContent.trim(),
    invalid: controls.length > 0 && controls.every(c => c.getAttribute('aria-invalid') === 'true'),
    described: controls.every(c => describes(c)) || describes(field.querySelector('fieldset')),
  };
})"""


def unannounced_errors(page):
    """The invalid fields whose error is not announced with the field."""
    fields = page.evaluate(INVALID_FIELDS_JS)
    assert fields, "the form shows no invalid field"
    return [f for f in fields if not (f["message"] and f["invalid"] and f["described"])]


def test_forms_with_errors_announce_them_at_the_fields_and_stay_accessible(page, axe, world):
    page.goto(f"/veranstaltungen/{world['workshop'].pk}/gast/")
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.wait_for_load_state()
    assert unannounced_errors(page) == []
    assert axe() == []

    sign_in(page, world["coordinator"].email)
    page.goto("/beratung/anfragen/neu/")
    page.get_by_role("button", name="Anfrage senden").click()
    page.wait_for_load_state()
    assert [f["name"] for f in page.evaluate(INVALID_FIELDS_JS)] == ["topics"]
    assert unannounced_errors(page) == []
    assert axe() == []
