"""The shared bench harness: fresh PostgreSQL databases, demo data, gunicorn servers, sessions.

Everything runs on loopback with production settings, except where a benchmark cannot follow
production (see bench/README.md): plain HTTP instead of TLS, and no TOTP step for staff, whose
sessions are made directly in the servers' session store.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "bench-only-secret-key-" + "x" * 50
# A fixed CSRF secret: the cookie carries it and the header repeats it (Django accepts both forms).
CSRF_TOKEN = "BenchCsrfSecret0123456789abcdefg"  # noqa: S105 - bench only
assert len(CSRF_TOKEN) == 32 and CSRF_TOKEN.isalnum()

_django_database_url = None


def _manage(database_url, *args, quiet=True):
    """Runs manage.py with the servers' environment; shows its output only when it fails."""
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=server_env(database_url),
        capture_output=quiet,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "")
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{output}")
    return result.stdout or ""


def fresh_database(name: str) -> str:
    """Drops (if it exists) and creates PostgreSQL database `name`, migrates it, returns its URL."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe database name: {name!r}")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        # FORCE: a server left over from an interrupted run must not keep the old one alive.
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    _manage(database_url, "migrate", "--no-input")
    return database_url


def seed(database_url: str, scale: str) -> None:
    """Loads the demo data (`seed_demo --scale <scale>`) into that database, then ANALYZE."""
    _manage(database_url, "seed_demo", "--scale", scale)
    # A production database has planner statistics; right after a bulk load autovacuum may
    # not have run yet, and plans from empty-table estimates would be measured instead.
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def collect_static() -> None:
    """Collects static files once: production settings serve them from the manifest."""
    _manage(f"sqlite:///{REPO / 'db.sqlite3'}", "collectstatic", "--no-input")


def server_env(database_url: str, redis_db: int = 15) -> dict:
    """The environment of a bench server: production settings on plain HTTP on loopback."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # Only the basics of the caller's shell; nothing that could change Django's settings.
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "VIRTUAL_ENV"}
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bfe.settings",
            "PYTHONPATH": str(REPO),
            "DEBUG": "0",
            # Loopback speaks plain HTTP; TLS would measure the load generator's crypto.
            "HTTPS": "0",
            # Bench sessions are made directly, so staff never pass the TOTP step.
            "REQUIRE_STAFF_2FA": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
            "EMAIL_URL": "locmem://",
            "LOG_LEVEL": "WARNING",
        }
    )
    return environment


class Server:
    """gunicorn serving bfe.wsgi with sync workers on 127.0.0.1:<port>, in its own process group."""

    def __init__(self, database_url: str, port: int, workers: int = 2, redis_db: int = 15):
        self.database_url = database_url
        self.port = port
        self.workers = workers
        self.redis_db = redis_db
        self.url = f"http://127.0.0.1:{port}"
        self.process = None
        self.log_path = None
        self._log = None

    def start(self, timeout: float = 30.0) -> "Server":
        """Starts gunicorn and returns once GET /healthz answers 200; raises on timeout."""
        if self.alive():
            return self
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the server
            prefix=f"bench-gunicorn-{self.port}-", suffix=".log", delete=False
        )
        self.log_path = self._log.name
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "bfe.wsgi",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command,
            cwd=REPO,
            env=server_env(self.database_url, self.redis_db),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited:\n{self._log_tail()}")
            if self._healthy():
                return self
            time.sleep(0.2)
        self.kill()
        raise TimeoutError(f"gunicorn on {self.port} did not answer /healthz:\n{self._log_tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def _log_tail(self, lines: int = 40) -> str:
        if not self.log_path:
            return ""
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])

    def _signal_group(self, signum) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the group (gunicorn finishes requests under way), then SIGKILL if needed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=timeout)
        # Workers left behind by a master that died first.
        self._signal_group(signal.SIGKILL)
        self._close_log()

    def kill(self) -> None:
        """SIGKILL to master and workers at once, as a crashed machine would leave them."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def use_django(database_url: str, redis_db: int = 15) -> None:
    """Configures Django in this process with the servers' environment and calls django.setup()."""
    global _django_database_url
    if _django_database_url is not None:
        if _django_database_url != database_url:
            raise RuntimeError("use_django() is once per process; run each database separately")
        return
    os.environ.update(server_env(database_url, redis_db))
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    _django_database_url = database_url


def session_cookie(user) -> str:
    """Signs `user` in as the test client's force_login does, in the servers' session store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    return request.session.session_key


def cookie_header(session: str | None) -> str:
    """The Cookie header of a bench request: the CSRF secret and, signed in, the session."""
    header = f"csrftoken={CSRF_TOKEN}"
    if session:
        header += f"; sessionid={session}"
    return header
