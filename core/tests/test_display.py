"""Values as a person reads them (the conflict message and table, the change history)."""

import datetime as dt

from django.utils import translation

from core.display import display_value


def test_it_shows_a_stored_time_on_the_portals_clock_not_in_utc():
    saved = dt.datetime(2026, 1, 15, 12, 5, tzinfo=dt.UTC)  # winter: Berlin is UTC+1
    summer = dt.datetime(2026, 7, 15, 12, 5, tzinfo=dt.UTC)  # summer: UTC+2
    with translation.override("de"):
        assert display_value(None, saved) == "15.01.2026 13:05"
        assert display_value(None, summer) == "15.07.2026 14:05"
    with translation.override("en"):
        assert "13:05" in display_value(None, saved) or "1:05" in display_value(None, saved)


def test_it_leaves_a_naive_time_and_a_date_as_they_are():
    with translation.override("de"):
        assert display_value(None, dt.datetime(2026, 1, 15, 12, 5)) == "15.01.2026 12:05"
        assert display_value(None, dt.date(2026, 1, 15)) == "15.01.2026"


def test_it_shows_figures_grouped_in_the_readers_language():
    from decimal import Decimal

    from django.db import models

    population, year = models.PositiveIntegerField(), models.PositiveSmallIntegerField()
    with translation.override("de"):
        assert display_value(None, Decimal("1234.50")) == "1.234,5"
        assert display_value(population, 566222) == "566.222"
        assert display_value(year, 2016) == "2016"
    with translation.override("en"):
        assert display_value(population, 566222) == "566,222"
