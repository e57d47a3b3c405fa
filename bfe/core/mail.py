"""Sending e-mail from background tasks, with retries.

Django's tasks framework does not retry by itself: a task whose SMTP delivery fails enqueues
itself again with a growing delay (where the backend can defer, as django-tasks-db can) and
gives up, logging an error, after MAX_ATTEMPTS. Every e-mail task of every app goes through
`deliver()`, so that one unreachable mail server loses nothing.
"""

import datetime
import logging
import smtplib

from django.utils import timezone

MAX_ATTEMPTS = 5
# Delay before attempt 2, 3, 4, 5.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 30, 120)]
# Errors worth another try later: the mail server is down, busy, or refused for now.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def deliver(email, /, *, retry_task, attempt, on_failure=None, **task_kwargs):
    """Send the e-mail; on a transient failure call `on_failure` (to undo a claim, say) and
    enqueue `retry_task` again with `task_kwargs`, at most MAX_ATTEMPTS times in all.
    Returns whether the e-mail went out now. The log names the module of the task."""
    logger = logging.getLogger(retry_task.func.__module__)
    # Ids and subject only: the other arguments can carry addresses and whole messages.
    ids = {key: value for key, value in task_kwargs.items() if key.endswith("_id")}
    try:
        email.send()
    except TRANSIENT_ERRORS as error:
        if on_failure is not None:
            on_failure()
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Giving up on %s %s %r after %d attempts: %s",
                retry_task.name,
                ids,
                email.subject,
                attempt,
                error,
            )
            return False
        logger.warning(
            "%s %s %r failed (attempt %d), retrying: %s",
            retry_task.name,
            ids,
            email.subject,
            attempt,
            error,
        )
        later = retry_task
        if retry_task.get_backend().supports_defer:
            later = retry_task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
        later.enqueue(attempt=attempt + 1, **task_kwargs)
        return False
    return True
