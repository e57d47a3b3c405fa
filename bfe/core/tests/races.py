"""Helpers of the race tests (capacity under a lock, PostgreSQL): everyone at the same moment,
and a pause that widens the window a missing lock would leave open."""

import threading
import time

from django.db import connection


def all_at_once(action, items):
    """Calls action(item) for every item at the same moment, one thread and database
    connection each; returns the exceptions raised."""
    barrier = threading.Barrier(len(items))
    errors = []

    def attempt(item):
        try:
            barrier.wait(timeout=60)
            action(item)
        except Exception as error:  # collected, and asserted on by the tests
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def pause_after(monkeypatch, module, name, seconds=0.02):
    """Makes module.name pause after it returns, as a slow server would between counting the
    free places and taking one: without the lock, everyone would count the same places."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)
