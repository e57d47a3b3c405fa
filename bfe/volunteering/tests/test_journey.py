"""The whole way of one volunteer through the platform, across every part of the app, as the
issue's "done when" tells it: she finds an opportunity near her postcode, applies without an
account, confirms by e-mail, is moved through the pipeline and onboarded (clearance recorded
minimally), signs up for a shift by her personal link, gets a reminder, has her hours
confirmed, downloads her Ehrenamtsnachweis, exports and then deletes her data."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import PASSWORD, RoleFactory
from bfe.volunteering.models import (
    Clearance,
    HoursEntry,
    ShelterVolunteerFigures,
    Shift,
    ShiftSignup,
    Volunteer,
)
from bfe.volunteering.services import hours, records, shifts

from .factories import OpportunityFactory, area

pytestmark = pytest.mark.django_db

EMAIL = "amira.haddad@example.org"


def link_in(mail, pattern):
    return re.search(rf"http://\S+({pattern}\S*/)", mail.body).group(1)


def test_a_volunteer_from_the_board_to_the_deletion_of_her_data(
    client, shelter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    run = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    opportunity = OpportunityFactory(
        shelter=shelter, area=area("kinderbetreuung"), needs_clearance=True, title="Spielzeit"
    )
    records.recompute_figures()

    # She finds it near her postcode (Mitte, 10115), without an account.
    board = client.get(reverse("volunteering:board"), {"plz": "10115", "km": "5"})
    assert "Spielzeit" in board.content.decode()
    assert shelter.name not in board.content.decode()  # district level only

    # She applies and confirms by the link in the mail (a GET alone confirms nothing).
    with run():
        client.post(
            reverse("volunteering:board_apply", args=[opportunity.pk]),
            {
                "full_name": "Amira Haddad",
                "email": EMAIL,
                "languages": ["ar"],
                "message": "Ich habe nachmittags Zeit.",
                "consent": "on",
                "website": "",
            },
        )
    confirm = link_in(mailoutbox[-1], "/engagement/bestaetigen/")
    with run():
        client.post(confirm)
    record = Volunteer.objects.get(shelter=shelter, email=EMAIL)
    assert record.stage == Volunteer.Stage.APPLIED
    assert any(coordinator.email in mail.to for mail in mailoutbox)

    # Her coordinator moves her through the pipeline and records the clearance minimally.
    eak = client.__class__()
    eak.force_login(coordinator)
    assert eak.get(record.get_absolute_url()).status_code == 200  # logged as a view
    for stage in ("contacted", "first_meeting", "onboarding"):
        eak.post(reverse("volunteering:pipeline_stage", args=[record.pk]), {"stage": stage})
    today = timezone.localdate()
    eak.post(
        reverse("volunteering:pipeline_clearance", args=[record.pk]),
        {"inspected_on": today.isoformat(), "issued_on": (today - datetime.timedelta(days=20))},
    )
    clearance = Clearance.objects.get(volunteer=record)
    assert not clearance.has_relevant_entry
    assert clearance.reinspect_on.year == today.year + 5
    eak.post(reverse("volunteering:pipeline_stage", args=[record.pk]), {"stage": "active"})
    record.refresh_from_db()
    assert record.stage == Volunteer.Stage.ACTIVE

    # She gets a message with her personal link and signs up for tomorrow's shift with it.
    starts = timezone.now() + datetime.timedelta(hours=20)
    shift = shifts.create_shift(
        opportunity=opportunity, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
        slots=2,
    )  # fmt: skip
    with run():
        eak.post(
            reverse("volunteering:pipeline_message", args=[record.pk]),
            {"kind": "first_meeting", "subject": "Willkommen", "body": "Hallo {name}!"},
        )
    personal = link_in(mailoutbox[-1], "/mein-engagement/link/")
    client.post(personal, {"action": "signup", "shift": shift.pk})
    signup = ShiftSignup.objects.get(shift=shift, volunteer=record)
    assert signup.status == ShiftSignup.Status.CONFIRMED

    # The reminder the day before.
    sent_before = len(mailoutbox)
    with run():
        call_command("send_shift_reminders")
    assert [mail.to for mail in mailoutbox[sent_before:]] == [[EMAIL]]

    # The shift took place; its hours are proposed and her coordinator confirms them.
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    call_command("propose_shift_hours")
    entry = HoursEntry.objects.get(volunteer=record, shift=shift)
    hours.decide_hours(coordinator=coordinator, entry_ids=[entry.pk], confirm=True)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.CONFIRMED

    # She opens an account with the same address: her record is hers, she downloads the
    # Ehrenamtsnachweis, checks it publicly, exports her data.
    user = RoleFactory(kind=Role.Kind.VOLUNTEER, user__email=EMAIL, user__verified_email=True).user
    assert client.login(email=EMAIL, password=PASSWORD)
    response = client.post(
        reverse("volunteering:self_service_attestation"),
        {"record": record.pk, "period_start": today.replace(month=1, day=1), "period_end": today},
    )
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(_bytes(pdf)).pages)
    assert "Amira Haddad" in text and "Spielzeit" in text
    code = record.attestations.get().verification_code
    assert (
        "Amira Haddad"
        in client.get(reverse("volunteering:attestation_verify", args=[code])).content.decode()
    )

    export = json.dumps(client.get(reverse("accounts:my_data_json")).json(), ensure_ascii=False)
    assert "Spielzeit" in export and "Ich habe nachmittags Zeit." in export
    assert "angesehen" in export or "view" in export  # the access log of her record

    # She deletes her account: her record goes, the shelter's figures stay exact, the
    # coordinator is told, the Ehrenamtsnachweis stays verifiable.
    with run():
        client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert not Volunteer.objects.filter(email__iexact=EMAIL).exists()
    assert not type(user).objects.filter(email=EMAIL, is_active=True).exists()
    figures = ShelterVolunteerFigures.objects.get(shelter=shelter)
    assert figures.active == Volunteer.objects.filter(shelter=shelter, stage="active").count()
    assert any(coordinator.email in mail.to for mail in mailoutbox[-3:])
    verify = client.get(reverse("volunteering:attestation_verify", args=[code]))
    assert verify.status_code == 200


def _bytes(response):
    import io

    return io.BytesIO(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
