"""Dates people type: a plausible range, and arithmetic that cannot leave the calendar."""

from __future__ import annotations

import calendar
import datetime as dt
import re

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


# Dates as typed: ISO (2026-02-31), German (31.02.2026, 31.02.26) and English (31/02/2026) order.
_TYPED_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TYPED_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")


def nonexistent_date(text: str) -> tuple[str, str] | None:
    """Why `text`, written as a date, names no day: ("day", "February 2026 has 28 days.") or ("month", "A year
    has 12 months."); None when it is no date-like text (then it is simply unreadable) or a real day."""
    text = (text or "").strip()
    if match := _TYPED_YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _TYPED_DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 1900 if year >= 69 else 2000  # as strptime's %y reads it
    else:
        return None
    if not 1 <= month <= 12:
        return "month", _("A year has 12 months.")
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    return "day", _("%(month)s has %(days)s days.") % {"month": date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT"), "days": days}


def nonexistent_date_message(text: str) -> str | None:
    """The form's message for a day that does not exist: "This day does not exist: February 2026 has 28 days." """
    found = nonexistent_date(text)
    if found is None:
        return None
    kind, reason = found
    if kind == "month":
        return _("This month does not exist: %(reason)s") % {"reason": reason}
    return _("This day does not exist: %(reason)s") % {"reason": reason}


def short_date(day: dt.date | dt.datetime) -> str:
    """A date as the page's language writes it in short: 01.10.2020 in German, 01/10/2020 in English. A moment is
    shown on the local calendar day."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return date_format(day, "SHORT_DATE_FORMAT")
