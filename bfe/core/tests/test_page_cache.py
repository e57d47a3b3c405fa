import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfe.accounts.tests.factories import UserFactory
from bfe.core import page_cache
from bfe.places.tests.factories import ShelterFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get_counting_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(context.captured_queries)


def test_anonymous_visitor_is_served_the_second_home_page_without_queries(client):
    first, first_queries = _get_counting_queries(client, "/")
    second, second_queries = _get_counting_queries(client, "/")

    assert first_queries > 0
    assert second_queries == 0
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_shelter_saved_after_a_visit_shows_on_the_next_visit(client):
    ShelterFactory(name="Unterkunft Alpha")
    assert "Unterkunft Alpha" in client.get(reverse("places:shelter_list")).content.decode()

    ShelterFactory(name="Unterkunft Beta")

    assert "Unterkunft Beta" in client.get(reverse("places:shelter_list")).content.decode()


def test_signed_in_person_never_gets_the_anonymous_copy(client):
    client.get("/")
    client.force_login(UserFactory())

    content = client.get("/").content.decode()

    assert reverse("account_logout") in content


def test_english_visitor_gets_the_english_page_not_the_cached_german_one(client):
    assert 'lang="de"' in client.get("/").content.decode()

    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in content


def test_each_query_string_is_cached_apart(client):
    ShelterFactory(name="Unterkunft Alpha")
    ShelterFactory(name="Unterkunft Beta")
    client.get(reverse("places:shelter_list"), {"q": "Alpha"})

    content = client.get(reverse("places:shelter_list"), {"q": "Beta"}).content.decode()

    assert "Unterkunft Beta" in content
    assert "Unterkunft Alpha" not in content


def test_htmx_fragment_is_never_served_as_the_page(client):
    client.get(reverse("places:shelter_list"), HTTP_HX_REQUEST="true")

    content = client.get(reverse("places:shelter_list")).content.decode()

    assert "<html" in content


def test_visitor_with_a_pending_message_sees_it_instead_of_the_cached_page(client):
    client.get("/")
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Hallo Welt")])

    content = client.get("/").content.decode()

    assert "Hallo Welt" in content


def test_language_switch_on_a_cached_page_passes_the_csrf_check():
    Client().get("/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    token = TOKEN.search(page.content.decode()).group(1)

    response = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


@pytest.fixture
def local_copy(monkeypatch):
    """The per-process copy as in front of Redis (tests use an in-process cache)."""
    monkeypatch.setattr(page_cache, "_shared_cache", lambda: True)
    page_cache._local.forget()
    yield
    page_cache._local.forget()


def test_a_worker_answers_from_its_own_copy_without_asking_the_shared_cache(client, local_copy):
    first, _ = _get_counting_queries(client, "/")
    cache.clear()

    second, queries = _get_counting_queries(client, "/")

    assert queries == 0
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_write_in_this_process_makes_its_own_copy_stale_at_once(client, local_copy):
    ShelterFactory(name="Unterkunft Alpha")
    client.get(reverse("places:shelter_list"))

    ShelterFactory(name="Unterkunft Beta")

    assert "Unterkunft Beta" in client.get(reverse("places:shelter_list")).content.decode()
