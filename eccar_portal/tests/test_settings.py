import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    return run_settings("print(settings.DEBUG)", **env)


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    names = {"ECCAR_ENV", "DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SECURE_SSL", "PORTAL_URL", "PORT"}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; " + code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "eccar_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_production_without_secret_key_and_database_url():
    result = load_settings(ECCAR_ENV="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY and DATABASE_URL" in result.stderr


def test_it_refuses_production_without_secret_key_only():
    result = load_settings(ECCAR_ENV="production", DATABASE_URL="postgresql://u@127.0.0.1:5432/eccar")
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


PRODUCTION = {
    "ECCAR_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgresql://u@127.0.0.1:5432/eccar",
    "ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_URL": "https://portal.example.org",
}


def test_it_starts_in_production_with_secret_key_database_url_and_hosts():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("ECCAR_ENV", "staging"), ("REPORT_INTERVAL_MONTHS", "two")])
def test_it_names_the_variable_with_an_invalid_value(name, value):
    result = load_settings(**{name: value, "DATABASE_URL": "postgresql://u@127.0.0.1:5432/eccar"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}={value!r}" in result.stderr


def test_it_refuses_a_non_postgresql_database():
    result = load_settings(DATABASE_URL="sqlite:///tmp/x.db")
    assert result.returncode != 0
    assert "must point to PostgreSQL" in result.stderr


def test_it_reads_debug_true():
    result = load_settings(DEBUG="true", DATABASE_URL="postgresql://u@127.0.0.1:5432/eccar")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_it_refuses_production_without_allowed_hosts():
    result = load_settings(**{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_it_refuses_debug_in_production():
    result = load_settings(**PRODUCTION, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_it_secures_cookies_and_transport_in_production_by_default():
    code = (
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS > 0, settings.ALLOWED_HOSTS, settings.SECURE_REDIRECT_EXEMPT)"
    )
    result = run_settings(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    # The health probes come over plain HTTP from inside the cluster: no redirect for them.
    assert result.stdout.strip() == "True True True True ['portal.example.org'] ['^healthz$', '^readyz$']"
    # An explicit SECURE_SSL=false (a trial behind plain HTTP) is still possible.
    result = run_settings("print(getattr(settings, 'SESSION_COOKIE_SECURE'))", **PRODUCTION, SECURE_SSL="false")
    assert result.stdout.strip() == "False"


def test_it_refuses_production_without_the_portal_address_for_e_mail_links():
    result = load_settings(**{k: v for k, v in PRODUCTION.items() if k != "PORTAL_URL"})
    assert result.returncode != 0
    assert "PORTAL_URL" in result.stderr


def test_it_points_e_mail_links_at_the_development_port_unless_told_otherwise():
    result = run_settings("print(settings.PORTAL_URL)", PORT="8123", DATABASE_URL="postgresql://u@127.0.0.1:5432/eccar")
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr
    result = run_settings(
        "print(settings.PORTAL_URL)", PORT="8123", PORTAL_URL="https://eccar.example.org/", DATABASE_URL="postgresql://u@127.0.0.1:5432/eccar"
    )
    assert result.stdout.strip() == "https://eccar.example.org"


def test_it_tells_the_secretariat_of_submissions_at_its_own_address_unless_told_otherwise():
    code = "print(settings.SECRETARIAT_EMAIL, settings.REPORTS_NOTIFY_EMAILS)"
    db = {"DATABASE_URL": "postgresql://u@127.0.0.1:5432/eccar"}
    assert run_settings(code, **db).stdout.strip() == "secretariat@eccar-portal.invalid ['secretariat@eccar-portal.invalid']"
    assert run_settings(code, SECRETARIAT_EMAIL="office@eccar.example", **db).stdout.strip() == "office@eccar.example ['office@eccar.example']"
    result = run_settings(code, SECRETARIAT_EMAIL="office@eccar.example", REPORTS_NOTIFY_EMAILS="a@eccar.example, b@eccar.example", **db)
    assert result.stdout.strip() == "office@eccar.example ['a@eccar.example', 'b@eccar.example']"
