"""The shared cache of anonymous public pages, which is never wrong.

A page is cached under the *public generation*: a number in PostgreSQL that every committed write to public data
moves on. Triggers on every table a public page may read (installed after each `migrate`, see
`install_change_triggers`) take it forward when the writing transaction commits, whatever wrote: a coordinator's
form, the admin, a lifecycle step, a management command, raw SQL. A page stored under an older generation is never
looked up again and expires from the cache.

No page is ever stored with stale data:
- the trigger holds a shared advisory lock from the moment it moves the generation until its transaction ends;
- before computing a page to store, the portal reads the *settled* generation, which waits for that lock;
- so a page is computed only after every write counted in its generation is visible. A write that commits later
  moves the generation past it.

Only anonymous requests are served from the cache or stored in it: a request with a session or messages cookie
always gets a freshly rendered page, and a response that sets a cookie (a CSRF token, the messages) is never
stored. The key also holds the language, the full path with its query, today's date (public pages hide
timeline entries dated in the future until their day) and the code's version.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
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
}


def _is_history_table(table: str) -> bool:
    # django-simple-history writes its rows in the same transaction as the row they record, whose table has the
    # trigger.
    return "_historical" in table


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
CREATE OR REPLACE FUNCTION core_settled_public_generation() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    -- Waits until no transaction that moved the generation is still committing; its writes are visible then.
    PERFORM set_config('lock_timeout', '2s', true);
    PERFORM pg_advisory_xact_lock({ADVISORY_LOCK});
    RETURN (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE});
END $$;
"""

DROP_FUNCTION = f"""
DROP FUNCTION IF EXISTS core_settled_public_generation();
DROP FUNCTION IF EXISTS core_public_data_changed() CASCADE;
DROP SEQUENCE IF EXISTS {SEQUENCE};
"""


def tracked_tables() -> list[str]:
    from django.apps import apps

    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(t for t in tables if t not in UNTRACKED_TABLES and not _is_history_table(t))


def install_change_triggers(**kwargs) -> None:
    """After every migrate (post_migrate): the trigger on every tracked table; safe to repeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc('core_public_data_changed')")
        if cursor.fetchone()[0] is None:
            return  # core's migration that creates the function has not run yet
        existing = set(connection.introspection.table_names(cursor))
        for table in tracked_tables():
            if table not in existing:
                continue
            quoted = connection.ops.quote_name(table)
            # At commit (deferred), so the lock is held only while the transaction commits, never while a
            # long import or a slow request is still running.
            cursor.execute(
                f"""
                DROP TRIGGER IF EXISTS public_data_changed ON {quoted};
                CREATE CONSTRAINT TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE ON {quoted}
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_public_data_changed();
                DROP TRIGGER IF EXISTS public_data_truncated ON {quoted};
                CREATE TRIGGER public_data_truncated AFTER TRUNCATE ON {quoted}
                    FOR EACH STATEMENT EXECUTE FUNCTION core_public_data_changed();
                """
            )


GENERATION_SQL = f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}"


class _GenerationReader:
    """One connection per process, shared by its threads, that only reads the generation: a cached page then
    costs one short round trip instead of a pooled connection's check and query."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: psycopg.Connection | None = None
        self._pid = 0

    def read(self) -> int:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._connection is None or self._connection.closed or self._pid != os.getpid():
                        self._connection = self._connect()
                        self._pid = os.getpid()
                    return self._connection.execute(GENERATION_SQL).fetchone()[0]
                except psycopg.OperationalError:
                    # After a database restart the old connection is gone: one new attempt, then give up.
                    self.close()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    @staticmethod
    def _connect() -> psycopg.Connection:
        params = connection.get_connection_params()
        for key in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        return psycopg.connect(**params, autocommit=True)


_reader = _GenerationReader()


def current_generation() -> int:
    return _reader.read()


def close_generation_reader() -> None:
    _reader.close()


def settled_generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_settled_public_generation()")
        return cursor.fetchone()[0]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The version of what renders the pages (code, templates, translations, the static manifest): a deployment
    never serves a page rendered by the previous release. The same files give the same key on every server."""
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
    so that asking again for an unchanged file costs one short query and a 304."""
    view = require_safe(view)

    def etag(request: HttpRequest, generation: int) -> str:
        identity = "|".join([str(generation), code_version(), request.get_host(), request.get_full_path()])
        return f'"{hashlib.sha256(identity.encode()).hexdigest()[:32]}"'

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PUBLIC_PAGE_CACHE:
            return view(request, *args, **kwargs)
        try:
            # The client's copy is current if it was made under the current generation…
            not_modified = get_conditional_response(request, etag=etag(request, current_generation()))
            if not_modified is not None:
                return not_modified
            # …and a new copy is labelled with a generation whose writes it certainly contains.
            generation = settled_generation()
        except (DatabaseError, psycopg.Error):
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.headers["ETag"] = etag(request, generation)
            response.headers.setdefault("Cache-Control", "public, no-cache")
        return response

    return wrapper


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


def _key(request: HttpRequest, generation: int) -> str:
    identity = "|".join(
        [code_version(), get_language() or "", timezone.localdate().isoformat(), request.get_full_path()]
    )
    return f"page:{generation}:{hashlib.sha256(identity.encode()).hexdigest()}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and "private" not in response.get("Cache-Control", "")
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


def public_page_cache(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _is_public_page(request):
            return get_response(request)
        if not (settings.PUBLIC_PAGE_CACHE and _is_anonymous_request(request)):
            return _finish(request, get_response(request))
        try:
            entry = cache.get(_key(request, current_generation()))
            if entry is not None:
                return _finish(request, _from_entry(entry))
            generation = settled_generation()
        except (DatabaseError, psycopg.Error):
            # The database could not say which pages are current (busy or away): the page is rendered fresh and
            # not stored; the view itself answers a database outage with its 503.
            logger.warning("Public page cache bypassed: the generation could not be read", exc_info=True)
            return _finish(request, get_response(request))
        except Exception:  # noqa: BLE001 - whatever the cache server does, the page is served without it
            logger.warning("Public page cache bypassed: the cache did not answer", exc_info=True)
            return _finish(request, get_response(request))
        response = get_response(request)
        if _storable(request, response):
            response.headers["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            entry = {"content": response.content, "headers": list(response.headers.items())}
            try:
                cache.set(_key(request, generation), entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001 - the page is served; only the next visitor pays for it again
                logger.warning("Public page not cached: the cache did not answer", exc_info=True)
        return _finish(request, response)

    return middleware
