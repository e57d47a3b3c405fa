import smtplib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bfe.volunteering.models import AccessLog, Message, MessageTemplate
from bfe.volunteering.services import links, pipeline, pipeline_messages

from .factories import ApplicationFactory, OpportunityFactory
from .factories_pipeline import record

pytestmark = pytest.mark.django_db
Kind = MessageTemplate.Kind


@pytest.fixture
def eak(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


# Placeholders ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Hallo {name}", "{angebot} in {unterkunft}, {koordination}", "Klammer {{ als Zeichen }}"],
)
def test_known_placeholders_are_accepted(text):
    pipeline.validate_placeholders(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Hallo {vorname}", "{vorname}"),
        ("Hallo {name.__class__}", "gibt es nicht"),
        ("Hallo {name!r}", "gibt es nicht"),
        ("Hallo {0}", "{0}"),
        ("Hallo {}", "gibt es nicht"),
        ("Hallo {name", "allein"),
        ("Hallo name}", "allein"),
    ],
)
def test_unknown_or_broken_placeholders_are_refused_with_a_reason(text, says):
    with pytest.raises(ValidationError) as error:
        pipeline.validate_placeholders(text)

    assert says in " ".join(error.value.messages)


def test_placeholders_are_filled_from_the_record(shelter, coordinator):
    volunteer = record(shelter, full_name="Amira Haddad")
    ApplicationFactory(
        opportunity=OpportunityFactory(shelter=shelter, title="Sprachcafé"), volunteer=volunteer
    )

    subject, body = pipeline_messages.preview(
        volunteer=volunteer,
        subject="{angebot}",
        body="{name} / {unterkunft} / {koordination}",
        actor=coordinator,
    )

    assert subject == "Sprachcafé"
    assert body == f"Amira Haddad / {shelter.name} / {coordinator.get_full_name()}"


# The shelter's templates --------------------------------------------------------------------


def test_without_own_templates_the_page_shows_the_defaults_and_the_placeholders(eak):
    response = eak.get(reverse("volunteering:pipeline_templates"))

    assert response.status_code == 200
    assert "Danke für Ihre Bewerbung" in response.text
    assert "Einladung zum Erstgespräch" in response.text
    assert "{unterkunft}" in response.text
    assert response.text.count("Standardtext") >= 3


def test_the_defaults_exist_in_english(shelter):
    german = pipeline.template_for(shelter=shelter, kind=Kind.FIRST_MEETING, language="de")
    english = pipeline.template_for(shelter=shelter, kind=Kind.FIRST_MEETING, language="en")

    assert english["body"] != german["body"]
    assert "{name}" in english["body"]


def test_a_coordinator_saves_her_shelters_own_template(eak, shelter):
    response = eak.post(
        reverse("volunteering:pipeline_template", args=["application_thanks"]),
        {"subject": "Schön, dass Sie da sind, {name}", "body": "Bis bald in {unterkunft}!"},
    )

    assert response.status_code == 302
    template = MessageTemplate.objects.get(shelter=shelter, kind=Kind.APPLICATION_THANKS)
    assert template.subject == "Schön, dass Sie da sind, {name}"


def test_an_unknown_placeholder_is_a_form_error_and_the_text_stays(eak, shelter):
    response = eak.post(
        reverse("volunteering:pipeline_template", args=["first_meeting"]),
        {"subject": "Hallo {vorname}", "body": "Mein eigener langer Text"},
    )

    assert response.status_code == 200
    assert "Den Platzhalter {vorname} gibt es nicht" in response.text
    assert "Mein eigener langer Text" in response.text
    assert not MessageTemplate.objects.exists()


def test_a_template_goes_back_to_the_default(eak, shelter):
    pipeline.save_template(shelter=shelter, kind=Kind.FREE, subject="Eigener", body="Text")

    eak.post(reverse("volunteering:pipeline_template", args=["free"]), {"reset": "1"})

    assert not MessageTemplate.objects.exists()


def test_an_unknown_template_kind_is_not_found(eak):
    assert eak.get(reverse("volunteering:pipeline_template", args=["spam"])).status_code == 404


def test_templates_belong_to_one_shelter(shelter, other_shelter):
    pipeline.save_template(shelter=shelter, kind=Kind.FREE, subject="Nord", body="Text")

    assert pipeline.template_for(shelter=other_shelter, kind=Kind.FREE)["is_default"]


# Sending -------------------------------------------------------------------------------------


def test_the_message_page_offers_the_template_filled_for_editing(eak, shelter):
    volunteer = record(shelter)
    pipeline.save_template(
        shelter=shelter, kind=Kind.FIRST_MEETING, subject="Treffen?", body="Hallo {name}"
    )

    response = eak.get(
        reverse("volunteering:pipeline_message", args=[volunteer.pk]), {"vorlage": "first_meeting"}
    )

    assert response.status_code == 200
    assert "Treffen?" in response.text
    assert "Hallo {name}" in response.text


def test_the_preview_fills_the_placeholders_and_sends_nothing(eak, shelter, mailoutbox):
    volunteer = record(shelter, full_name="Amira Haddad")

    response = eak.post(
        reverse("volunteering:pipeline_message", args=[volunteer.pk]),
        {"kind": "free", "subject": "Hallo", "body": "Liebe {name}", "action": "preview"},
    )

    assert "Liebe Amira Haddad" in response.text
    assert mailoutbox == []
    assert not Message.objects.exists()


def test_a_sent_message_is_mailed_logged_and_in_the_access_log(
    eak, shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    volunteer = record(shelter, full_name="Amira Haddad", email="amira@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = eak.post(
            reverse("volunteering:pipeline_message", args=[volunteer.pk]),
            {
                "kind": "first_meeting",
                "subject": "Erstgespräch in {unterkunft}",
                "body": "Liebe {name}, kommen Sie am Dienstag?",
                "action": "send",
            },
        )

    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["amira@example.org"]
    assert mail.subject == f"Erstgespräch in {shelter.name}"
    assert mail.body.startswith("Liebe Amira Haddad, kommen Sie am Dienstag?\n\n-- \n")
    # Below her own link, rebuilt at sending: shifts and data without an account.
    token = links.volunteer_token(volunteer)
    assert reverse("volunteering:shifts_link", args=[token]) in mail.body
    assert reverse("volunteering:privacy_record", args=[token]) in mail.body
    assert mail.reply_to == [coordinator.email]
    message = volunteer.messages.get()
    assert token not in message.body
    assert (message.status, message.kind, message.sent_by) == (
        Message.Status.SENT,
        Kind.FIRST_MEETING,
        coordinator,
    )
    assert message.sent_at is not None
    assert volunteer.access_log.filter(action=AccessLog.Action.MESSAGE, actor=coordinator).exists()
    assert "Erstgespräch in" in eak.get(volunteer.get_absolute_url()).text


def test_a_wrong_placeholder_in_a_message_is_shown_and_nothing_is_sent(eak, shelter, mailoutbox):
    volunteer = record(shelter)

    response = eak.post(
        reverse("volunteering:pipeline_message", args=[volunteer.pk]),
        {"kind": "free", "subject": "Hallo", "body": "Liebe {vorname}", "action": "send"},
    )

    assert response.status_code == 200
    assert "{vorname}" in response.text
    assert mailoutbox == []
    assert not Message.objects.exists()


def test_a_person_without_an_address_cannot_be_written_to(eak, shelter, mailoutbox):
    volunteer = record(shelter, email="")

    page = eak.get(reverse("volunteering:pipeline_message", args=[volunteer.pk]))
    response = eak.post(
        reverse("volunteering:pipeline_message", args=[volunteer.pk]),
        {"kind": "free", "subject": "Hallo", "body": "Text", "action": "send"},
    )

    assert "keine E-Mail-Adresse" in page.text
    assert "keine E-Mail-Adresse" in response.text
    assert mailoutbox == []


def test_send_template_message_uses_the_shelters_own_template(
    shelter, mailoutbox, django_capture_on_commit_callbacks
):
    volunteer = record(shelter, full_name="Amira Haddad")
    pipeline.save_template(
        shelter=shelter,
        kind=Kind.APPLICATION_THANKS,
        subject="Danke, {name}!",
        body="Wir melden uns. {koordination}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        message = pipeline.send_template_message(volunteer=volunteer, kind=Kind.APPLICATION_THANKS)

    [mail] = mailoutbox
    assert mail.subject == "Danke, Amira Haddad!"
    assert message.sent_by is None
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert volunteer.access_log.filter(action=AccessLog.Action.MESSAGE, actor=None).exists()


def test_send_template_message_writes_the_default_in_the_volunteers_language(
    shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    volunteer = record(shelter, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.send_template_message(volunteer=volunteer, kind=Kind.APPLICATION_THANKS)

    [mail] = mailoutbox
    assert mail.subject.startswith("Thank you")
    assert coordinator.get_full_name() in mail.body


def test_send_template_message_skips_a_person_without_an_address(shelter, mailoutbox):
    volunteer = record(shelter, email="")

    assert pipeline.send_template_message(volunteer=volunteer, kind=Kind.FREE) is None
    assert mailoutbox == []


def test_the_last_failed_attempt_marks_the_message_failed(shelter, monkeypatch):
    from django.core.mail import EmailMessage

    from bfe.core.mail import MAX_ATTEMPTS
    from bfe.volunteering.tasks.pipeline import send_volunteer_message

    volunteer = record(shelter)
    message = Message.objects.create(volunteer=volunteer, kind=Kind.FREE, subject="a", body="b")

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMessage, "send", refuse)

    assert send_volunteer_message.call(message_id=message.pk, attempt=MAX_ATTEMPTS) is False
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
