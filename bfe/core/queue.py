"""Enqueueing tasks from services without importing them.

Tasks import services (and the app's `emails`) to do their work; if services imported tasks
back, every app would have an import circle. So a service names its task by dotted path, and
the task is enqueued once the transaction commits (never for a rolled-back change).
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path, **kwargs):
    """Enqueue the task at `task_path` (e.g. "bfe.events.tasks.send_registration_email") with
    these arguments when the current transaction commits; at once outside a transaction.

    The path is resolved now, so a mistyped name fails in the calling service, not later in
    a commit hook.
    """
    task = import_string(task_path)
    transaction.on_commit(lambda: task.enqueue(**kwargs))
    return task
