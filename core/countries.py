"""Countries by ISO 3166-1 code, shown by name in the reader's language (django-countries carries the names)."""

from __future__ import annotations

from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    # A callable, so that the names follow the active language and are not frozen into migrations.
    return [(code, str(name)) for code, name in countries]


def country_name(code: str) -> str:
    return str(countries.name(code)) or code
