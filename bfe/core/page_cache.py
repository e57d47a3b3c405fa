"""A cache of whole public pages for anonymous visitors.

Only what every anonymous visitor would see alike is cached: GET/HEAD of a public view by a
visitor without a session or pending messages, no htmx fragments, answers 200 that set no
cookie. The key holds the path, query string and active language. The CSRF tokens in a cached
page are swapped for the current visitor's on every hit, so that forms (the language switch)
keep working. Any write to the platform's own models bumps a version that every entry must match,
and entries expire after PUBLIC_PAGE_CACHE_SECONDS in any case: bulk updates send no signals,
and a page rendered while the write's transaction is still open keeps the old data. No
callback waits for the commit: services' tests count their on-commit callbacks exactly.

In front of a shared cache (Redis), each process keeps the pages it served in its own memory
too, and trusts the version it last read for LOCAL_VERSION_SECONDS: a hit then costs no round
trip, and another app server's write reaches this one's visitors at most that much later (this
process's own writes at once).
"""

import functools
import hashlib
import re
import threading
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "public-page:version"
CSRF_PLACEHOLDER = "__bfe_csrf_token__"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# The platform's own data; Django's and allauth's tables (sessions, tokens) change no public page.
WATCHED_APPS_PREFIX = "bfe."
LOCAL_VERSION_SECONDS = 1.0
LOCAL_PAGES = 200


class _Local:
    """This process's copy: the version last read from the shared cache, and pages."""

    def __init__(self):
        self.lock = threading.Lock()
        self.forget()

    def forget(self):
        self.version, self.read_at, self.pages = None, 0.0, {}

    def fresh_version(self):
        if self.version is not None and time.monotonic() - self.read_at < LOCAL_VERSION_SECONDS:
            return self.version
        return None

    def page(self, key, version):
        entry = self.pages.get(key)
        if entry is None or entry["version"] != version or entry["expires"] < time.monotonic():
            return None
        return entry

    def keep(self, key, entry):
        with self.lock:
            if len(self.pages) >= LOCAL_PAGES:
                self.pages = {}
            self.pages[key] = {**entry, "expires": time.monotonic() + _seconds()}

    def saw_version(self, version):
        with self.lock:
            if version != self.version:
                self.pages = {}
            self.version, self.read_at = version, time.monotonic()


_local = _Local()


def _seconds():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)


def bump_version(**kwargs):
    """Makes every cached public page stale (signal receiver, also called directly)."""
    _local.forget()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 1, timeout=None)


def _watched(sender):
    return getattr(sender, "__module__", "").startswith(WATCHED_APPS_PREFIX)


def _on_write(sender, **kwargs):
    if not _watched(sender):
        return
    bump_version()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"bfe.core.page_cache.{signal!r}")


def _cacheable_request(request):
    if _seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("HX-Request"):
        return False
    # Never a signed-in person's page, whatever the cookies say: it may hold names and e-mails.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cookies = request.COOKIES
    # A session may mean a signed-in person or pending messages: such visitors are not served
    # a shared page. Messages without a session live in their own cookie.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cacheable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "added_new", False))


def _key(request):
    raw = f"{get_language()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return f"public-page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _shared_cache():
    """Whether the cache lives outside this process (the local copy only helps there)."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


def _lookup(key):
    """(entry or None, current version): from this process's memory while its version is
    fresh, else in one round trip to the shared cache; an entry of an older version is stale."""
    local = _shared_cache()
    version = _local.fresh_version() if local else None
    if version is not None:
        entry = _local.page(key, version)
        if entry is not None:
            return entry, version
        entry = cache.get(key)
    else:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
        if local:
            _local.saw_version(version)
        entry = found.get(key)
    if entry is None or entry["version"] != version:
        return None, version
    if local:
        _local.keep(key, entry)
    return entry, version


def _from_cache(request, entry):
    content = entry["content"].replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=200)
    for header, value in entry["headers"]:
        response[header] = value
    # As the page it was rendered from: its content depends on being signed in.
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_public_page(view):
    """Serves anonymous visitors a cached copy of this public view's page (see module doc)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry, version = _lookup(key)
        if entry is not None:
            return _from_cache(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(request, response):
            content = CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode())
            headers = [(h, v) for h, v in response.items() if h.lower() != "content-length"]
            entry = {"version": version, "content": content.encode(), "headers": headers}
            cache.set(key, entry, _seconds())
            if _shared_cache():
                _local.keep(key, entry)
        return response

    return wrapper
