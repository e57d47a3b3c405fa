"""Background work of shifts: one task per e-mail (bfe.core.mail.deliver retries)."""

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from bfe.accounts.emails import absolute_url
from bfe.core.mail import deliver

from ..emails import shifts as emails
from ..models import ShiftSignup
from ..services import links
from ..services import shifts as services

Mail = services.Mail
Status = ShiftSignup.Status
# Which sign-ups an e-mail still applies to when the task runs.
STILL_DUE = {
    Mail.PROMOTED: {Status.CONFIRMED},
    Mail.ASSIGNED: {Status.CONFIRMED, Status.WAITLISTED},
    Mail.REMINDER: {Status.CONFIRMED},
    Mail.SHIFT_CANCELLED: {Status.CONFIRMED, Status.WAITLISTED},
    Mail.CHANGED: {Status.CONFIRMED, Status.WAITLISTED},
}


def manage_url(volunteer):
    """Her personal link to her shifts: works without an account, and rebuilt here rather
    than kept in the queue."""
    token = links.volunteer_token(volunteer)
    return absolute_url(reverse("volunteering:shifts_link", args=[token]))


@task()
def send_shift_email(*, signup_id, mail, attempt=1):
    """E-mail a sign-up's volunteer, unless it moved on meanwhile (e.g. a reminder for a
    sign-up cancelled since) or she has no address. Returns whether it went out."""
    signup = (
        ShiftSignup.objects.select_related(
            "volunteer",
            "shift",
            "shift__opportunity",
            "shift__opportunity__shelter",
            "shift__opportunity__district",
        )
        .filter(pk=signup_id)
        .first()
    )
    if signup is None or signup.status not in STILL_DUE.get(mail, ()):
        return False
    if not signup.volunteer.email:
        return False
    if mail != Mail.SHIFT_CANCELLED and signup.shift.is_cancelled:
        return False
    language = signup.volunteer.language if signup.volunteer.language in {"de", "en"} else "de"
    with translation.override(language):
        place = services.place_of(signup.shift)
    return deliver(
        emails.shift_message(signup, mail, manage_url=manage_url(signup.volunteer), place=place),
        retry_task=send_shift_email,
        attempt=attempt,
        signup_id=signup_id,
        mail=mail,
    )
