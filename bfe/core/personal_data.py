"""What the platform holds about a person, app by app: the registry behind "Meine Daten"
(Art. 15 and 20 DSGVO) and "Konto löschen" (Art. 17).

Each app that stores personal data has a module `<app>/personal_data.py` offering

    export(user) -> list of sections   # section(): key, title, items (plain, JSON-serialisable)
    erase(user) -> dict of counts      # remove or anonymise the app's data of the person
    erase_refusal(user) -> str | None  # optional: why the person may not be erased now
    consents(user) -> list of dicts    # optional: consents given or withdrawn (see consent())
    withdraw_consent(user, key)        # optional: withdraw one of those consents

`core` knows none of them: they are found in INSTALLED_APPS, as seed_demo finds the `demo`
modules, so the dependencies keep pointing from the apps to core. Exports run in the order of
INSTALLED_APPS (the account first); erasure in the reverse order, so that the capabilities
remove what hangs on the account before `accounts` removes the account itself.
"""

import datetime
import decimal
import functools
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from . import fragments, page_cache


@functools.cache
def modules():
    """The `personal_data` modules of our apps, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        if config.name.startswith("bfe.") and config.name != __package__ and find_spec(name):
            found.append((config.label, import_module(name)))
    return found


def plain(value):
    """A value as JSON holds it: dates as ISO 8601 (local time), decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def section(key, title, items, *, note=""):
    """One part of an export: a list of records (dicts, possibly nested, of plain values, dates
    and decimals), with a heading and an optional note (e.g. what is kept and why)."""
    return {"key": key, "title": str(title), "note": str(note), "items": list(items)}


def consent(key, title, *, given, version, at, withdrawable=False, history=()):
    """A consent as `consents()` reports it; `key` is "<app label>.<kind>"."""
    return {
        "key": key,
        "title": str(title),
        "given": given,
        "version": version,
        "at": at,
        "withdrawable": withdrawable and given,
        "history": list(history),
    }


def export(user, *, serialisable=True):
    """Everything the apps hold about the person: a JSON-serialisable dict (dates as ISO 8601
    strings), or with dates and decimals as they are for a page to format."""
    data = {
        "generated_at": timezone.now(),
        "apps": [
            {"app": label, "sections": module.export(user)}
            for label, module in modules()
            if hasattr(module, "export")
        ],
        "consents": consents(user),
    }
    return plain(data) if serialisable else data


def consents(user):
    rows = []
    for _label, module in modules():
        if hasattr(module, "consents"):
            rows.extend(module.consents(user))
    return rows


def withdraw_consent(user, key):
    """Withdraw the consent `key` ("<app label>.<kind>") through the app that holds it;
    returns whether there was one to withdraw."""
    label = key.partition(".")[0]
    for app_label, module in modules():
        if app_label == label and hasattr(module, "withdraw_consent"):
            return module.withdraw_consent(user, key)
    return False


def erase_refusals(user):
    """Why the person may not be erased now, one sentence per app that refuses (may be [])."""
    reasons = []
    for _label, module in modules():
        reason = module.erase_refusal(user) if hasattr(module, "erase_refusal") else None
        if reason:
            reasons.append(str(reason))
    return reasons


@transaction.atomic
def erase(user):
    """Erase the person's data in every app, in one transaction, the account last; returns
    {app label: {what: count}}. Raises ValueError if an app refuses (see erase_refusals)."""
    if erase_refusals(user):
        raise ValueError("erasure refused")
    counts = {}
    for label, module in reversed(modules()):
        if hasattr(module, "erase"):
            counts[label] = module.erase(user)
    # Bulk updates send no signals: cached figures and pages must not show her any more.
    for label in counts:
        fragments.bump(label)
    page_cache.bump_version()
    return counts
