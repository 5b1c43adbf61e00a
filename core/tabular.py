"""Reading a spreadsheet that people upload: CSV or XLSX, its size and row limits, the heading row, cells as text
and dates as typed. Shared by the plan import (actionplan/spreadsheet.py) and the members import
(members/member_import.py); what the columns mean is theirs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.utils.formats import number_format

from core.dates import nonexistent_date
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
# Python's csv module refuses longer cells; the message names the limit.
CSV_FIELD_MAX = csv.field_size_limit()
MAX_ROWS = 1000
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: the message says why, in the user's language."""


def normalise(text: str) -> str:
    # "Fortschritt (0–100)" and "fortschritt" are the same column.
    text = re.sub(r"\(.*?\)", "", str(text or "")).replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def read_table(data: bytes) -> list[list[Any]]:
    """The rows of an XLSX or CSV file (CSV: comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252)."""
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_("The file is larger than 2 MB. Split it into several files."))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(data)


def _not_a_table() -> SpreadsheetError:
    return SpreadsheetError(_("This file is neither a CSV file nor an Excel file (XLSX). Use the template."))


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise _not_a_table() from error
    try:
        rows, filled = [], 0
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            filled += any(cell_text(c) for c in row)
            if filled > MAX_ROWS + 1:
                break  # enough to say that there are too many rows; no need to read the rest
        return rows
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list[Any]]:
    if b"\x00" in data:
        raise _not_a_table()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _not_a_table() from error
    if re.search(r"[\x01-\x08\x0e-\x1f]", text):
        raise _not_a_table()
    first_line = text.lstrip().split("\n", 1)[0]
    # The headings row tells the separator: semicolons (German Excel), commas, or tabs (copied from a sheet).
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise SpreadsheetError(
                _("Row %(line)s holds a cell that is too long: at most %(max)s characters per cell.")
                % {"line": reader.line_num, "max": number_format(CSV_FIELD_MAX, force_grouping=True)}
            ) from error
        raise _not_a_table() from error
    return rows


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def split_table(
    table: list[list[Any]], *, keys: dict[str, str], columns: list[tuple[str, Any]], required: tuple[str, ...],
    too_many: str, only_headings: str,
) -> tuple[list[str | None], list[tuple[int, list[Any]]]]:
    """The column key of each heading, and the numbered data rows; SpreadsheetError when the file as a whole
    cannot be imported (no rows, missing headings, too many rows, headings only)."""
    # Empty rows are left out, but the line numbers count them, as the spreadsheet program shows them.
    numbered = [(line, row) for line, row in enumerate(table, start=1) if any(cell_text(c) for c in row)]
    if not numbered:
        raise SpreadsheetError(_("The file holds no rows. Fill in the template below its headings."))
    (_line, header), *body = numbered
    found = [keys.get(normalise(cell_text(h))) for h in header]
    missing = [str(label) for key, label in columns if key in required and key not in found]
    if missing:
        raise SpreadsheetError(
            _("The first row must hold the headings of the template. Missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(body) > MAX_ROWS:
        raise SpreadsheetError(too_many % {"max": number_format(MAX_ROWS, force_grouping=True)})
    if not body:
        raise SpreadsheetError(only_headings)
    return found, body


def parse_date(cell: Any, text: str) -> dt.date | None | bool:
    """A date from an XLSX date cell or from text in ISO or German form; None when empty, False when unreadable."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if not text:
        return None
    try:
        if match := _GERMAN_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else False
    except ValueError:
        return False


def unreadable_date_message(text: str, unreadable: str, nonexistent: str | None = None) -> str:
    """The row's error for a date parse_date could not read: a day that does not exist is named as such
    ("31.02.2026": February has 28 days) with `nonexistent` (%(value)s, %(reason)s; the column's name), anything
    else gets `unreadable` (with %(value)s)."""
    found = nonexistent_date(text)
    if found is not None:
        message = nonexistent or _("The date “%(value)s” does not exist: %(reason)s")
        return message % {"value": text[:40], "reason": found[1]}
    return unreadable % {"value": text[:40]}
