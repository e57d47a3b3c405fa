"""Rate limits for public pages that look something up by a secret in the address.

Counted by allauth's limiter, so the limits sit in ACCOUNT_RATE_LIMITS beside the login's and live
in the shared cache (Redis in production: counted across all app servers).
"""

from functools import wraps

# The public allauth.core.ratelimit.consume never counts GET requests; these pages are GETs.
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.core.ratelimit import respond_429
from django.http import Http404

MISSES = {404, 410}


def limit_failed_lookups(action):
    """Refuses a client with 429 once it has used up its misses (404 or 410 answers) of `action`.

    Only misses count, so people and calendar apps that open valid links are never slowed down,
    while guessing codes or tokens stops after a handful of tries.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _consume(request, action, dry_run=True):
                return respond_429(request)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                _consume(request, action)
                raise
            if response.status_code in MISSES:
                _consume(request, action)
            return response

        return wrapper

    return decorator


def _consume(request, action, dry_run=False):
    usage = allauth_ratelimit.consume(
        request, app="allauth.account", action=action, dry_run=dry_run, limit_get=True
    )
    return usage is not None
