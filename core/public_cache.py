"""The shared cache of anonymous public pages, which is never wrong.

A page is cached under the *public generation*: a number in PostgreSQL that every committed write to public data
moves on. Triggers on every table a public page may read (installed after each `migrate`, see
`install_change_triggers`) take it forward when the writing transaction commits, whatever wrote: a coordinator's
form, the admin, a lifecycle step, a management command, raw SQL. A page stored under an older generation is never
looked up again and expires from the cache.

No page is ever stored with stale data:
- the trigger holds a shared advisory lock from the moment it moves the generation until its transaction ends;
- before computing a page to store, the portal reads the *settled* generation, which needs that lock free; while
  a writer is committing, the page is served without being stored;
- so a page is stored only under a generation whose writes are all visible to it. A write that commits later
  moves the generation past it.

Only anonymous requests are served from the cache or stored in it: a request with a session or messages cookie
always gets a freshly rendered page, and a response that sets a cookie (a CSRF token, the messages) is never
stored. The key also holds the language, the full path with its query, today's date (public pages hide
timeline entries dated in the future until their day) and the code's version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import logging
import math
import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

SEQUENCE = "core_public_generation"
# Any fixed number; it names the advisory lock that writers hold from moving the generation to their commit.
ADVISORY_LOCK = 0x45434341

# Tables no public page reads. Everything else gets the trigger, so a new model is covered without anyone
# remembering it; each entry here says why it is safe to leave out.
UNTRACKED_TABLES = {
    "django_admin_log": "the admin's own log",
    "django_session": "sessions: logins must not empty the page cache",
    "auth_permission": "permissions: no page shows them",
    "auth_group": "staff groups: no public page shows them",
    "auth_group_permissions": "staff groups: no public page shows them",
    "axes_accessattempt": "login throttling",
    "axes_accessattemptexpiration": "login throttling",
    "axes_accessfailurelog": "login throttling",
    "axes_accesslog": "login throttling",
    "otp_totp_totpdevice": "second factors",
    "otp_static_staticdevice": "second factors",
    "otp_static_statictoken": "second factors",
    "core_formsubmission": "once-only form tokens",
    "core_securityevent": "the security log",
    "members_user": "accounts: public pages show no account (and every login writes last_login)",
    "members_user_groups": "accounts",
    "members_user_user_permissions": "accounts",
    "members_membershipapplication": "applications are not public; admission writes the member",
    "members_invitation": "invitations are not public",
    "actionplan_planimport": "an import is not public until it is confirmed, which writes the measures",
    "reports_reportreminder": "the record of reminder mails",
    "reports_reportdraft": "a coordinator's kept typing, written every few seconds while someone types; no page shows it",
}


# The query parameters of the public pages (directory and library filters, search, pagination, sitemap pages, the
# members compared side by side). A request with any other parameter is rendered but not stored: made-up parameters
# cannot fill the cache.
QUERY_PARAMETERS = frozenset({"q", "page", "p", "country", "region", "kind", "status", "joined", "network", "members", "commitment"})

CHANGE_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION core_public_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the flag is local to the transaction (and undone with a rolled-back savepoint).
    IF current_setting('eccar.public_data_changed', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('eccar.public_data_changed', 'yes', true);
        -- Held until this transaction has committed or rolled back: see core_settled_public_generation().
        PERFORM pg_advisory_xact_lock_shared({ADVISORY_LOCK});
        PERFORM nextval('{SEQUENCE}');
    END IF;
    RETURN NULL;
END $$;
-- The generation to store a page under, as "<database>.<number>", or NULL while a writer is still committing (the
-- page is then served without being stored). It never waits, so it never holds up a writer either. The
-- database's identity keeps a restored or recreated database from meeting pages cached before.
DROP FUNCTION IF EXISTS core_settled_public_generation();
CREATE FUNCTION core_settled_public_generation() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock({ADVISORY_LOCK}) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT d.oid::text || '.' || CASE WHEN s.is_called THEN s.last_value ELSE 0 END
            FROM {SEQUENCE} s, pg_database d WHERE d.datname = current_database());
END $$;
"""

DROP_FUNCTION = f"""
DROP FUNCTION IF EXISTS core_settled_public_generation();
DROP FUNCTION IF EXISTS core_public_data_changed() CASCADE;
DROP SEQUENCE IF EXISTS {SEQUENCE};
"""

# At commit (deferred), so the lock is held only while the transaction commits, never while a long import or a
# slow request is still running. An UPDATE that changes nothing changes no page.
TRIGGERS = {
    "public_rows_changed": "CREATE CONSTRAINT TRIGGER public_rows_changed AFTER INSERT OR DELETE ON {table} "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_public_data_changed()",
    "public_rows_updated": "CREATE CONSTRAINT TRIGGER public_rows_updated AFTER UPDATE ON {table} "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) "
    "EXECUTE FUNCTION core_public_data_changed()",
    "public_rows_truncated": "CREATE TRIGGER public_rows_truncated AFTER TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_public_data_changed()",
}


def tracked_tables() -> list[str]:
    from django.apps import apps

    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        # django-simple-history writes its rows in the same transaction as the row they record, whose table has
        # the trigger (its history models name that model in instance_type).
        if model._meta.managed and not model._meta.proxy and not hasattr(model, "instance_type")
    }
    return sorted(t for t in tables if t not in UNTRACKED_TABLES)


def install_change_triggers(**kwargs) -> None:
    """After every migrate (post_migrate): the function, and the triggers that are missing; safe to repeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [SEQUENCE])
        if cursor.fetchone()[0] is None:
            return  # core's migration that creates the generation has not run yet
        cursor.execute(CHANGE_FUNCTION)
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = ANY(%s)",
            [list(TRIGGERS)],
        )
        present = set(cursor.fetchall())
        existing = set(connection.introspection.table_names(cursor))
        # Only what is missing: dropping and creating a trigger locks its table, which would queue behind every
        # running request at each deployment.
        for table in tracked_tables():
            if table not in existing:
                continue
            for name, create in TRIGGERS.items():
                if (table, name) not in present:
                    cursor.execute(create.format(table=connection.ops.quote_name(table)))
        # A table that became untracked loses its triggers (only where it has them, for the same reason).
        for table, name in sorted(present):
            if table in UNTRACKED_TABLES:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)} ON {connection.ops.quote_name(table)}")
        # A migration may change what pages show without writing a row (a new column, a changed function).
        cursor.execute(f"SELECT nextval('{SEQUENCE}')")


GENERATION_SQL = f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}"
EPOCH_SQL = "SELECT oid FROM pg_database WHERE datname = current_database()"


class GenerationUnavailable(Exception):
    pass


class _GenerationReader:
    """One connection per process, shared by its threads, that only reads the generation: a cached page then
    costs one short round trip instead of a pooled connection's check and query.

    It never makes a visitor wait: a thread that cannot have the connection at once, or finds the database
    unreachable, gets GenerationUnavailable and the page is rendered without the cache. After a failure the
    database is left alone for a second."""

    RETRY_AFTER = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: psycopg.Connection | None = None
        self._epoch = ""
        self._pid = 0
        self._failed_at = -math.inf

    def read(self) -> str:
        if time.monotonic() - self._failed_at < self.RETRY_AFTER:
            raise GenerationUnavailable("the database did not answer a moment ago")
        if not self._lock.acquire(timeout=0.05):
            raise GenerationUnavailable("the generation connection is busy")
        try:
            try:
                return self._read_once()
            except psycopg.OperationalError:
                # After a database restart the old connection is gone: one new attempt, then give up.
                self.close()
            try:
                return self._read_once()
            except psycopg.OperationalError as error:
                self.close()
                self._failed_at = time.monotonic()
                raise GenerationUnavailable(str(error)) from error
        finally:
            self._lock.release()

    def _read_once(self) -> str:
        if self._connection is None or self._connection.closed or self._pid != os.getpid():
            self._connection = self._connect()
            self._pid = os.getpid()
            self._epoch = str(self._connection.execute(EPOCH_SQL).fetchone()[0])
        return f"{self._epoch}.{self._connection.execute(GENERATION_SQL).fetchone()[0]}"

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    @staticmethod
    def _connect() -> psycopg.Connection:
        params = connection.get_connection_params()
        for key in ("cursor_factory", "context"):
            params.pop(key, None)
        # A silent network must not hold the connection (and every thread waiting for it) for minutes.
        params.update(
            connect_timeout=2,
            tcp_user_timeout=2000,
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=2,
            options="-c statement_timeout=1000",
        )
        return psycopg.connect(**params, autocommit=True)


_reader = _GenerationReader()


def current_generation() -> str:
    return _reader.read()


def close_generation_reader() -> None:
    _reader.close()


def settled_generation() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_settled_public_generation()")
        return cursor.fetchone()[0]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The version of what renders the pages (code, templates, translations, the static manifest, the installed
    packages): a deployment never serves a page rendered by the previous release. The same release gives the
    same key on every server."""
    from django.apps import apps

    base = Path(settings.BASE_DIR)
    folders = {Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(base)}
    folders |= {base / "eccar_portal", base / "templates", base / "locale"}
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".xml", ".txt", ".mo") and "tests" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]


def public_page(view: Callable) -> Callable:
    """A page anyone may read with GET or HEAD, the same for every anonymous visitor: cached for them."""
    view = require_safe(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, *args, **kwargs)

    wrapper.public_page = True
    return wrapper


def public_download(view: Callable) -> Callable:
    """A large public file (open data): streamed, never stored, but with an ETag that names the public generation,
    so that asking again for an unchanged file costs one short query and a 304. The view must not run in a
    transaction (transaction.non_atomic_requests): the generation is read before it."""
    view = require_safe(view)

    def etag(request: HttpRequest, generation: str) -> str:
        return f'"{_digest(generation, code_version(), request.scheme, request.get_host(), request.get_full_path())}"'

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PUBLIC_PAGE_CACHE or connection.in_atomic_block:
            return view(request, *args, **kwargs)
        try:
            # The client's copy is current if it was made under the current generation…
            not_modified = get_conditional_response(request, etag=etag(request, current_generation()))
            if not_modified is not None:
                return not_modified
            # …and a new copy is labelled with a generation whose writes it certainly contains.
            generation = settled_generation()
        except (DatabaseError, psycopg.Error, GenerationUnavailable):
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and generation is not None:
            response.headers["ETag"] = etag(request, generation)
            response.headers.setdefault("Cache-Control", "public, no-cache")
        return response

    return wrapper


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _is_public_page(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


def _is_anonymous_request(request: HttpRequest) -> bool:
    # Decided from the cookies alone, before the session is loaded: a visitor with a session may be logged in,
    # and one with messages waiting must see them.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE
        and _is_anonymous_request(request)
        and set(request.GET) <= QUERY_PARAMETERS
        and time.monotonic() >= _cache_breaker["retry_at"]
    )


def _key(request: HttpRequest, generation: str, today: dt.date) -> str:
    # Pages print absolute addresses (canonical links, sitemaps, feeds): the address the visitor used is part of
    # the key, so that one request with another allowed host name cannot change them for everyone.
    identity = _digest(
        code_version(), get_language() or "", today.isoformat(), request.scheme, request.get_host(), request.get_full_path()
    )
    return f"page:{generation}:{identity}"


# Vary headers a stored page may carry: the language (LocaleMiddleware) and the cookies (all stored pages are the
# anonymous variant).
_SHARED_VARY = {"cookie", "accept-language", "accept-encoding"}


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        # A view that wrote to the session would get a session cookie from SessionMiddleware, outside this one.
        and not (session is not None and (session.modified or not session.is_empty()))
        and "private" not in response.get("Cache-Control", "")
        and vary <= _SHARED_VARY
    )


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for header, value in entry["headers"]:
        response.headers[header] = value
    return response


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # Browsers and proxies may keep a public page but ask each time whether it changed (a cheap 304). What a
    # visitor with a session gets may be personal: only their own browser may keep it.
    patch_vary_headers(response, ["Cookie"])
    if response.status_code == 200 and not response.streaming:
        if not response.has_header("ETag"):
            response.headers["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        shared = _is_anonymous_request(request) and not response.cookies
        response.headers.setdefault("Cache-Control", "public, no-cache" if shared else "private, no-cache")
        conditional = get_conditional_response(request, etag=response.headers["ETag"], response=response)
        if conditional is not response:
            return conditional
    return response


# After the cache server fails, it is left alone for a few seconds: a hung Redis must not add its timeout to
# every request.
_cache_breaker = {"retry_at": -math.inf}
CACHE_RETRY_AFTER = 5.0


def _cache_failed(what: str) -> None:
    _cache_breaker["retry_at"] = time.monotonic() + CACHE_RETRY_AFTER
    logger.warning("Public page cache: the cache server did not answer (%s); pages are rendered without it for %s s",
                   what, CACHE_RETRY_AFTER)


def public_page_cache(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _is_public_page(request):
            return get_response(request)
        if not _may_use_cache(request):
            return _finish(request, get_response(request))
        today = timezone.localdate()
        try:
            entry = cache.get(_key(request, current_generation(), today))
            if entry is not None:
                return _finish(request, _from_entry(entry))
            generation = settled_generation()
        except (DatabaseError, psycopg.Error, GenerationUnavailable) as error:
            # The database could not say which pages are current (busy or away): the page is rendered fresh and
            # not stored; the view itself answers a database outage with its 503.
            logger.warning("Public page cache bypassed: the generation could not be read (%s)", error)
            return _finish(request, get_response(request))
        except Exception as error:  # noqa: BLE001 - whatever the cache server does, the page is served without it
            _cache_failed(str(error))
            return _finish(request, get_response(request))
        response = get_response(request)
        # Not stored while a writer was committing, nor when the day changed during rendering (the page may show
        # yesterday's timeline under today's key).
        if generation is not None and timezone.localdate() == today and _storable(request, response):
            response.headers["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            entry = {"content": response.content, "headers": list(response.headers.items())}
            try:
                cache.set(_key(request, generation, today), entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
            except Exception as error:  # noqa: BLE001 - the page is served; only the next visitor pays for it again
                _cache_failed(str(error))
        return _finish(request, response)

    return middleware
