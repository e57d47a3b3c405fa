import datetime
import logging

import pytest
from django.utils import timezone, translation

from bfe.accounts import services
from bfe.accounts.models import Invitation, hash_token, invitation_token
from bfe.accounts.tasks import send_invitation_email

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def invite(lead, **kwargs):
    kwargs.setdefault("email", "anna@example.org")
    kwargs.setdefault("kind", Invitation.Kind.PARTNER)
    return services.invite(invited_by=lead, **kwargs)


def test_the_invitation_email_goes_out_only_after_the_transaction_commits(
    lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(lead)
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_the_email_names_inviter_role_scope_and_an_absolute_link(
    lead, region, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bfe.example"
    lead.full_name = "Paula Projektleitung"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = invite(
            lead,
            kind=Invitation.Kind.REGIONAL_COORDINATOR,
            region=region,
            full_name="Anna Beispiel",
        )
    (message,) = mailoutbox
    assert message.to == ["anna@example.org"]
    assert message.reply_to == [lead.email]
    assert (
        message.subject
        == "[BfE] Einladung als Regionalkoordinator:in beim Beratungsforum Engagement"
    )
    link = f"https://bfe.example/einladung/{token}/"
    assert link in message.body
    assert "Guten Tag Anna Beispiel," in message.body
    assert "Paula Projektleitung lädt Sie ein" in message.body
    assert f"als Regionalkoordinator:in für {region.name}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert '<html lang="de">' in html


def test_the_email_is_german_by_default_and_english_when_asked(lead, mailoutbox):
    march = timezone.make_aware(datetime.datetime(2030, 3, 15, 12, 0))
    for email, language in [("de@example.org", None), ("en@example.org", "en")]:
        extra = {"language": language} if language else {}
        invitation, token = invite(lead, email=email, **extra)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=march)
        send_invitation_email.enqueue(invitation_id=invitation.pk, token_hash=hash_token(token))
    german, english = mailoutbox
    assert "15. März 2030" in german.body
    assert "Der Link gilt bis" in german.body
    assert "15. March 2030" in english.body
    assert '<html lang="en">' in english.alternatives[0][0]


def test_the_email_is_sent_in_the_invitation_language_whatever_the_admin_uses(
    lead, mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invite(lead)
    assert '<html lang="de">' in mailoutbox[0].alternatives[0][0]


def test_resending_mails_a_new_link_and_the_old_one_stops_working(
    lead, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_token = invite(lead)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, new_token = services.resend_invitation(invitation=invitation, by=lead)
    assert len(mailoutbox) == 2
    assert new_token in mailoutbox[1].body
    assert client.get(f"/einladung/{old_token}/").status_code == 404
    assert client.get(f"/einladung/{new_token}/").status_code == 200


def test_the_task_sends_nothing_for_a_revoked_invitation(lead, mailoutbox):
    invitation, token = invite(lead)
    services.revoke_invitation(invitation=invitation, by=lead)
    result = send_invitation_email.enqueue(
        invitation_id=invitation.pk, token_hash=hash_token(token)
    )
    assert result.return_value is False
    assert mailoutbox == []


def test_the_task_sends_nothing_for_a_superseded_token(lead, mailoutbox):
    invitation, token = invite(lead)
    services.resend_invitation(invitation=invitation, by=lead)
    result = send_invitation_email.enqueue(
        invitation_id=invitation.pk, token_hash=hash_token(token)
    )
    assert result.return_value is False
    assert mailoutbox == []


def test_the_link_is_rebuilt_from_the_salt_and_the_secret_key_only(lead, settings):
    invitation, token = invite(lead)
    assert invitation_token(invitation.token_salt) == token
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert invitation_token(invitation.token_salt) != token


def test_a_link_that_cannot_be_rebuilt_is_not_sent_and_is_logged(mailoutbox, caplog):
    invitation = InvitationFactory(raw_token="made-before-links-were-derived")
    with caplog.at_level(logging.WARNING, logger="bfe.accounts.tasks"):
        result = send_invitation_email.enqueue(
            invitation_id=invitation.pk, token_hash=invitation.token_hash
        )
    assert result.return_value is False
    assert mailoutbox == []
    assert "cannot be rebuilt; resend it" in caplog.text
