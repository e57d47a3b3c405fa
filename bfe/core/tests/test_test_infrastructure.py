"""The shared test fixtures of bfe/conftest.py do what other tests rely on."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.tasks import TaskResultStatus, task, task_backends
from django.tasks.backends.immediate import ImmediateBackend


@task
def double(number):
    return number * 2


def test_tasks_run_immediately_in_tests():
    result = double.enqueue(21)

    assert isinstance(task_backends["default"], ImmediateBackend)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 42


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_with_an_empty_cache(run):
    assert cache.get("left-behind") is None

    cache.set("left-behind", run)


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_with_an_empty_outbox(run):
    assert mail.outbox == []

    mail.send_mail("Betreff", "Text", "bfe@example.org", ["someone@example.org"])

    assert len(mail.outbox) == 1


def test_the_suite_speaks_plain_http_to_uncompiled_static_files(client, settings):
    from django.templatetags.static import static

    assert settings.SECURE_SSL_REDIRECT is False
    assert static("css/site.css") == "/static/css/site.css"


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_start_with_the_migrated_districts():
    from bfe.places.models import District

    assert District.objects.exists()
