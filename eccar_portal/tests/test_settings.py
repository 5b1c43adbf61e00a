import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"ECCAR_ENV", "DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
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


def test_it_starts_in_production_with_both():
    result = load_settings(ECCAR_ENV="production", SECRET_KEY="x" * 50, DATABASE_URL="postgresql://u@127.0.0.1:5432/eccar")
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
