import pytest

from bfe.places.models import District

pytestmark = pytest.mark.browser


def test_home_page_opens_in_chromium(page):
    response = page.goto("/")

    assert response.status == 200
    assert "Beratungsforum" in page.title()


def test_browser_tests_share_the_database_with_the_live_server(page):
    # Runs after transactional tests, which empty the database: the migrated districts must be back.
    district = District.objects.order_by("number").first()

    page.goto("/regionen/")

    assert district is not None
    assert district.name in page.content()


def test_home_page_meets_wcag_aa(page, axe):
    page.goto("/")

    assert axe() == []
