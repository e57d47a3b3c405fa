"""E-mail against a real SMTP server that is down or refuses: retried later, none lost, none twice.

The mail server is aiosmtpd on a free loopback port, reached through the project's own SMTP
settings (`mailer_from_url("smtp://127.0.0.1:<port>")`). Tasks go to django-tasks-db's queue and
a worker runs in-process until the queue has nothing ready; a retry waits with `run_after`,
which the tests move into the past instead of sleeping.
"""

import datetime
import email
import email.policy
import logging
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bfe.accounts.models import Role
from bfe.accounts.tasks import send_invitation_email
from bfe.accounts.tests.factories import InvitationFactory, RoleFactory, UserFactory
from bfe.consultations.tasks import send_follow_up_reminder, send_request_received
from bfe.consultations.tests.factories import ConsultationRequestFactory, FollowUpFactory
from bfe.core.mail import MAX_ATTEMPTS, RETRY_DELAYS
from bfe.core.tests.task_queue import run_worker
from bfe.events import tasks as event_tasks
from bfe.events.emails import Mail
from bfe.events.services.training import send_enrolment_email
from bfe.events.tests.factories import EnrolmentFactory, RegistrationFactory
from bfe.places.tests.factories import berlin_region
from bfe.settings import mailer_from_url

pytestmark = pytest.mark.django_db


def waiting():
    """Tasks in the queue that have not run yet (due now or deferred)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


class Sink:
    """An aiosmtpd handler that keeps what it accepts and refuses the first `refuse` messages
    for now (451), as a busy or greylisting server does."""

    def __init__(self, refuse=0):
        self.refuse = refuse
        self.refused = 0
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 try again"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((sorted(envelope.rcpt_tos), str(message["subject"])))
        return "250 OK"


@pytest.fixture
def smtp_port(settings):
    """A loopback port nobody listens on yet; the project's SMTP backend points at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = mailer_from_url(f"smtp://127.0.0.1:{port}")
    mailer["OPTIONS"]["timeout"] = 5
    settings.MAILERS = {"default": mailer}
    return port


@pytest.fixture
def start_sink(smtp_port):
    controllers = []

    def start(sink):
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return sink

    yield start
    for controller in controllers:
        controller.stop()


def make_retries_due():
    """Time passes: the deferred retries are due now."""
    return waiting().update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def test_emails_wait_while_the_mail_server_is_down_and_all_arrive_once_it_is_back(
    task_queue, smtp_port, start_sink
):
    registration = RegistrationFactory(person=UserFactory(email="anna@example.org"))
    invitation = InvitationFactory(email="bea@example.org")
    enrolment = EnrolmentFactory(person=UserFactory(email="cem@example.org"))
    for address in ("nord1@example.org", "nord2@example.org"):
        RoleFactory(
            kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("nord"), user__email=address
        )
    consultation_request = ConsultationRequestFactory()
    follow_up = FollowUpFactory(
        owner=UserFactory(email="dora@example.org"), due_on=timezone.localdate()
    )
    event_tasks.send_registration_email.enqueue(
        registration_id=registration.pk, mail=Mail.CONFIRMED
    )
    send_invitation_email.enqueue(invitation_id=invitation.pk, token_hash=invitation.token_hash)
    send_enrolment_email.enqueue(enrolment_id=enrolment.pk, kind="confirmed")
    send_request_received.enqueue(request_id=consultation_request.pk)
    send_follow_up_reminder.enqueue(follow_up_id=follow_up.pk)
    before = timezone.now()

    run_worker()  # nothing listens on the port

    retries = list(waiting())
    # One retry per e-mail: the request to two coordinators is retried per recipient.
    assert len(retries) == 6
    assert {retry.args_kwargs["kwargs"]["attempt"] for retry in retries} == {2}
    assert all(retry.run_after >= before + RETRY_DELAYS[0] for retry in retries)
    assert not DBTaskResult.objects.ready().exists()
    follow_up.refresh_from_db()
    assert follow_up.reminder_sent_on is None  # the claim on today's reminder is released

    sink = start_sink(Sink())
    assert make_retries_due() == 6
    run_worker()
    run_worker()  # a second pass finds nothing left to send

    received = {to: subject for recipients, subject in sink.messages for to in recipients}
    assert len(sink.messages) == 6  # one each, nobody twice
    event, series, shelter = registration.event, enrolment.series, consultation_request.shelter
    assert received == {
        "anna@example.org": f"[BfE] Anmeldung bestätigt: {event.title}",
        "bea@example.org": "[BfE] Einladung als Partner beim Beratungsforum Engagement",
        "cem@example.org": f"[BfE] Anmeldung bestätigt: {series.title}",
        "nord1@example.org": f"[BfE] Neue Beratungsanfrage aus {shelter.name}",
        "nord2@example.org": f"[BfE] Neue Beratungsanfrage aus {shelter.name}",
        "dora@example.org": f"[BfE] Heute fällig: {follow_up.title}",
    }
    assert not waiting().exists()


def test_a_temporary_refusal_is_retried_and_the_email_is_delivered_exactly_once(
    task_queue, start_sink
):
    sink = start_sink(Sink(refuse=2))
    registration = RegistrationFactory(person=UserFactory(email="anna@example.org"))
    event_tasks.send_registration_email.enqueue(
        registration_id=registration.pk, mail=Mail.CONFIRMED
    )

    for _round in range(MAX_ATTEMPTS):
        run_worker()
        make_retries_due()

    assert sink.refused == 2
    assert sink.messages == [
        (["anna@example.org"], f"[BfE] Anmeldung bestätigt: {registration.event.title}")
    ]
    attempts = sorted(
        result.args_kwargs["kwargs"].get("attempt", 1) for result in DBTaskResult.objects.all()
    )
    assert attempts == [1, 2, 3]
    assert not waiting().exists()


def test_after_the_last_attempt_the_email_is_given_up_with_an_error_in_the_log(
    task_queue, start_sink, caplog
):
    sink = start_sink(Sink(refuse=MAX_ATTEMPTS + 1))
    invitation = InvitationFactory(email="bea@example.org")
    send_invitation_email.enqueue(invitation_id=invitation.pk, token_hash=invitation.token_hash)

    with caplog.at_level(logging.WARNING, logger="bfe.accounts.tasks"):
        for _round in range(MAX_ATTEMPTS + 2):
            run_worker()
            make_retries_due()

    assert sink.refused == MAX_ATTEMPTS
    assert sink.messages == []
    assert DBTaskResult.objects.count() == MAX_ATTEMPTS
    assert not waiting().exists()
    (given_up,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert given_up.name == "bfe.accounts.tasks"
    assert "Giving up on send_invitation_email" in given_up.getMessage()
    assert f"after {MAX_ATTEMPTS} attempts" in given_up.getMessage()
    assert "451" in given_up.getMessage()


def test_a_password_reset_asked_for_while_the_mail_server_is_down_arrives_once_it_is_back(
    client, task_queue, start_sink, caplog
):
    UserFactory(email="emil@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "emil@example.org"})
    run_worker()

    assert response.status_code == 302  # the person is not shown an error page
    assert waiting().count() == 1
    sink = start_sink(Sink())
    make_retries_due()
    run_worker()
    assert sink.messages == [
        (["emil@example.org"], "[BfE] Ihr Link zum Zurücksetzen des Passworts")
    ]
    assert "/password/reset/key/" not in caplog.text  # the link stays out of the log
    # Nor does it rest in the queue: the first attempt and its retry hold the person's id.
    stored = [str(row) for row in DBTaskResult.objects.values()]
    assert len(stored) == 2
    assert not [row for row in stored if "/password/reset/key/" in row]
