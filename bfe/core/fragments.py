"""Figures and fragments that depend only on slow-changing data, cached for everyone.

A value is cached under its name, the versions of the apps whose data it reads and whatever
else it depends on (the language, today's date, the viewer's scope). A write to any model of an
app bumps that app's version (the same signals as the page cache), so the next read computes
afresh; the timeout bounds what bulk updates, which send no signals, may leave stale. A service
that writes with `QuerySet.update()` calls `bump("<app label>")` itself.

    figures = cached("places.home_figures", compute, apps=("places",), vary=(get_language(),))

Never cache what one person may see and another may not under a key that does not name the
scope: `vary` holds it (a role's region ids, a user id).
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

DEFAULT_TIMEOUT = 300
_PREFIX = "fragment"
WATCHED_APPS_PREFIX = "bfe."


def _version_key(app_label):
    return f"{_PREFIX}:version:{app_label}"


def versions(apps):
    """The current version of each app, in one round trip (1 for an app never written)."""
    keys = [_version_key(app) for app in apps]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, 1, timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return tuple(found.get(key, 1) for key in keys)


def bump(app_label):
    """Makes every value that reads this app's data stale."""
    key = _version_key(app_label)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, timeout=None)


def _key(name, apps, vary):
    raw = "|".join(str(part) for part in (name, *versions(apps), *vary))
    return f"{_PREFIX}:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached(name, compute, *, apps, vary=(), timeout=DEFAULT_TIMEOUT):
    """`compute()`'s value, from the cache while none of `apps` has changed since."""
    key = _key(name, apps, vary)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _on_write(sender, **kwargs):
    module = getattr(sender, "__module__", "")
    if module.startswith(WATCHED_APPS_PREFIX):
        bump(sender._meta.app_label)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"bfe.core.fragments.{signal!r}")
