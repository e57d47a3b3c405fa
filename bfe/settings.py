"""One settings file for every environment.

The defaults run the platform locally on SQLite with nothing set. Production is configured by
environment variables (see README, "Betrieb / Production").
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off")


def env_bool(name, default=False):
    """A yes/no variable, in any case; unset or empty gives `default`. Anything else is refused,
    so that a typo ("ture", "flase") cannot switch a protection off without a word."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value; allowed: "
        f"{', '.join(TRUE_VALUES)} or {', '.join(FALSE_VALUES)}."
    )


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)
# Local runs (DEBUG or the test suite) speak plain HTTP; everything else is behind TLS.
HTTPS = env_bool("HTTPS", not DEBUG)

SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_filters",
    "django_tasks_db",
    "bfe.core",
    "bfe.accounts",
    "bfe.places",
    "bfe.events",
    "bfe.consultations",
    "bfe.volunteering",
    "bfe.materials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bfe.accounts.middleware.StaffTwoFactorMiddleware",
    "bfe.core.locking.LockTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "bfe.urls"
WSGI_APPLICATION = "bfe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bfe" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bfe.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting on a lock beats failing with "database is locked" under concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, sessions and rate limits live in Redis when there is more than one app server.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bfe",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work: Django's tasks framework; the database queue is the embedded default.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # Reading the text of large files has a queue of its own, so that it never holds up
        # e-mails and reminders (`make run` starts one worker per queue).
        "QUEUES": ["default", "extraction"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: e-mail is the login; addresses are verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "bfe.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BfE] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/5m/key",
    # Our own public forms, counted by allauth's rate limiter.
    "event_guest_register": "20/h/ip,5/h/key",
    # Misses on public pages found by a code or token (bfe.core.ratelimits): certificate codes
    # are short enough to enumerate; the 256-bit links are guarded all the same.
    "certificate_verify_failed": "20/h/ip",
    "event_guest_link_failed": "20/h/ip",
    "invitation_link_failed": "20/h/ip",
    "volunteer_data_link_failed": "20/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Beratungsforum Engagement"
# Staff (admins, regional coordinators) must use TOTP; the local demo turns it off.
BFE_REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", True)
BFE_INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

# Volunteering: how long personal data is kept (DESIGN.md, "Boundaries that protect people").
VOLUNTEER_RETENTION_MONTHS = env_int("VOLUNTEER_RETENTION_MONTHS", 24)
VOLUNTEER_RETENTION_NOTICE_DAYS = 30
# Laws and forms change: staff are reminded of a material not reviewed for this long.
MATERIAL_REVIEW_AFTER_DAYS = env_int("MATERIAL_REVIEW_AFTER_DAYS", 365)
# Materials may be larger than other uploads (a training's slides with images).
MATERIAL_MAX_UPLOAD_BYTES = env_int("MATERIAL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
VOLUNTEER_APPLICATION_CONFIRM_HOURS = 48
VOLUNTEER_CLEARANCE_REINSPECT_YEARS = env_int("VOLUNTEER_CLEARANCE_REINSPECT_YEARS", 5)
VOLUNTEER_CLEARANCE_KEEP_MONTHS = env_int("VOLUNTEER_CLEARANCE_KEEP_MONTHS", 6)
# "Ich möchte helfen" (board): applications per IP and per address; misses of the confirm link.
ACCOUNT_RATE_LIMITS["volunteer_apply"] = "20/h/ip,5/h/key"
ACCOUNT_RATE_LIMITS["volunteer_application_link_failed"] = "20/h/ip"
# Imports of old volunteer lists: at most this many rows; larger than BACKGROUND_ROWS: a task.
VOLUNTEER_IMPORT_MAX_ROWS = env_int("VOLUNTEER_IMPORT_MAX_ROWS", 20_000)
VOLUNTEER_IMPORT_BACKGROUND_ROWS = env_int("VOLUNTEER_IMPORT_BACKGROUND_ROWS", 300)
# Misses on a volunteer's personal link and its iCal feed (bfe.core.ratelimits).
ACCOUNT_RATE_LIMITS["volunteer_link_failed"] = "20/h/ip"

# Internationalisation: German first, English complete.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
# bfe/locale is the catalogue makemessages writes (German msgids, English msgstr). locale_allauth
# holds formal German ("Sie") for allauth's texts whose own German says "du"; it must not come
# first, or makemessages would take it as its default folder.
LOCALE_PATHS = [BASE_DIR / "bfe" / "locale", BASE_DIR / "bfe" / "locale_allauth"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "bfe" / "static",
    # Front-end libraries come from npm (package-lock.json), never copied into the repository.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The fonts of the PDFs (bfe/static/pdf/fonts.css).
    ("vendor/source-sans", BASE_DIR / "node_modules" / "source-sans" / "WOFF" / "TTF"),
    ("vendor/source-serif", BASE_DIR / "node_modules" / "source-serif" / "WOFF" / "TTF"),
    ("vendor/source-code-pro", BASE_DIR / "node_modules" / "source-code-pro" / "WOFF" / "TTF"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"


def mailer_from_url(url):
    """EMAIL_URL such as smtp://user:pass@host:587?tls=1, smtps://…, console:// or locmem://."""
    if not url:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme not in {"smtp", "smtps"}:
        return {"BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": options.get("tls") in {"1", "true"},
            "use_ssl": parts.scheme == "smtps",
            "timeout": 20,
        },
    }


MAILERS = {"default": mailer_from_url(env("EMAIL_URL"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Beratungsforum Engagement <noreply@bfe.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("BfE", addr) for addr in env_list("ADMIN_EMAILS")]

# Security headers. The CSP forbids inline scripts and style attributes everywhere.
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _tile_origin],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Rate limits count the client the proxy saw, not the proxy itself: else one guesser
    # would lock everyone out. The proxy appends the client to X-Forwarded-For.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Uploads (consultation attachments): what is accepted, and how large.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# Demo data and directory tuning.
DIRECTORY_PAGE_SIZE = 25
# Public pages of anonymous visitors are cached this many seconds at most (0: off); every
# write to the platform's data makes them stale at once (bfe/core/page_cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 30)

# Longest wait for a capacity lock (bfe.core.locking) before "please try again"; long enough for
# a queue of a rush, short of a worker's timeout.
LOCK_TIMEOUT_SECONDS = env_int("LOCK_TIMEOUT_SECONDS", 10)
