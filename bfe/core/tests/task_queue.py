"""The real task queue in tests: django-tasks-db's table (the production default) and its worker,
run in this process. Use with the `task_queue` fixture of bfe/conftest.py."""

from django_tasks_db.management.commands import db_worker


def run_worker():
    """One worker batch in this process: every task that is due, then stop."""
    db_worker.Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()
