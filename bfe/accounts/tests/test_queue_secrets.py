"""The task queue holds no link that opens an account: tasks take ids and make links as they run.

The queue is django-tasks-db's table (the production default), so that what the tests read is
what an operator, a backup or a database dump would find there.
"""

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from bfe.accounts import services
from bfe.accounts.models import Invitation, User
from bfe.core.tests.task_queue import run_worker

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]

PASSWORD = "Sonnenblume-im-Regen-7"
NEW_PASSWORD = "Mondschein-über-Spree-9"
LINK_PATHS = ["/einladung/", "/konto/password/reset/key/", "/konto/confirm-email/"]


def stored_queue():
    """Every column of every task in the queue, as one text."""
    return "\n".join(str(row) for row in DBTaskResult.objects.values())


def link(message, path):
    (url,) = [url for url in re.findall(r"https?://\S+", message.body) if path in url]
    return urlparse(url).path


def test_queued_account_emails_hold_ids_and_the_sent_links_work(
    client, task_queue, lead, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="anna@example.org", password=PASSWORD)
    client.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(reverse("account_reset_password"), {"email": "anna@example.org"})
    with django_capture_on_commit_callbacks(execute=True):
        invitation, first_token = services.invite(
            email="bea@example.org", kind=Invitation.Kind.PARTNER, invited_by=lead
        )
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.resend_invitation(invitation=invitation, by=lead)

    queued = {
        (row.task_path.rsplit(".", 1)[1], tuple(sorted(row.args_kwargs["kwargs"])))
        for row in DBTaskResult.objects.all()
    }
    assert queued == {
        ("send_email_confirmation", ("email_address_id", "language", "signup")),
        ("send_password_reset_email", ("email", "language", "user_id")),
        ("send_invitation_email", ("invitation_id", "token_hash")),
    }
    assert DBTaskResult.objects.count() == 4  # the invitation twice: sent and resent
    before = stored_queue()
    assert [path for path in LINK_PATHS if path in before] == []
    assert first_token not in before and token not in before
    assert mailoutbox == []  # nothing has gone out: the queue holds it all

    run_worker()

    mails = {message.to[0]: message for message in mailoutbox}
    assert sorted(mails) == ["anna@example.org", "bea@example.org", "neu@example.org"]
    confirm = link(mails["neu@example.org"], "/konto/confirm-email/")
    reset = link(mails["anna@example.org"], "/konto/password/reset/key/")
    invite = link(mails["bea@example.org"], "/einladung/")
    assert invite == f"/einladung/{token}/"
    after = stored_queue()
    for sent in (confirm, reset, invite):
        secret = sent.rstrip("/").rsplit("/", 1)[1]
        assert secret not in after

    assert client.get(invite).status_code == 200
    assert client.get(confirm).status_code == 200
    client.post(confirm)
    assert EmailAddress.objects.get(email="neu@example.org").verified
    client.logout()
    form = client.get(reset)
    assert form.status_code == 302  # allauth moves the key into the session first
    client.post(form.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.get(email="anna@example.org").check_password(NEW_PASSWORD)


def test_a_second_address_is_confirmed_by_a_task_that_holds_only_its_id(
    client, task_queue, mailoutbox
):
    person = UserFactory(email="anna@example.org", password=PASSWORD)
    client.force_login(person)
    client.post(reverse("account_email"), {"action_add": "", "email": "anna2@example.org"})
    address = EmailAddress.objects.get(email="anna2@example.org")
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs["kwargs"] == {
        "email_address_id": address.pk,
        "signup": False,
        "language": "de",
    }

    run_worker()

    (message,) = mailoutbox
    assert client.post(link(message, "/konto/confirm-email/")).status_code == 302
    address.refresh_from_db()
    assert address.verified


def test_a_confirmation_task_sends_nothing_once_the_address_is_confirmed(
    client, task_queue, mailoutbox
):
    client.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    EmailAddress.objects.filter(email="neu@example.org").update(verified=True)

    run_worker()

    assert mailoutbox == []
    assert DBTaskResult.objects.get().return_value is False
