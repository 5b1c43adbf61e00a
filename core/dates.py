"""Dates people type: a plausible range, and arithmetic that cannot leave the calendar."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The coalition was founded in 2004; nothing it records is older than its members' earliest plans. The upper
# bound leaves room for long plans while refusing typing slips such as 2205 or 9999.
EARLIEST = dt.date(1990, 1, 1)
YEARS_AHEAD = 15


def latest_plausible(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return add_months(today, YEARS_AHEAD * 12)


def validate_plausible_date(value: dt.date | None) -> None:
    if value is None:
        return
    latest = latest_plausible()
    if not EARLIEST <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT"), "latest": date_format(latest, "SHORT_DATE_FORMAT")},
            code="implausible_date",
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month. Beyond the calendar's
    ends (a year-9999 date stored before the checks existed) it stops at date.min or date.max instead of failing."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min
