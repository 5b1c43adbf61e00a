"""Indicator values from a spreadsheet: the template, recognising a values table, and checking every row.

The same upload path as measures (actionplan/spreadsheet.py); pure functions as there: the caller passes the
member's indicators and the (indicator, date) pairs already stored, so checking costs no query per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan.models import Indicator, IndicatorValue
from actionplan.spreadsheet import (
    LANGUAGES, ImportRow, _cell_text, _date, _normalise, append_literal, bounded, split_table, unknown_columns,
    workbook_bytes,
)
from core.dates import validate_plausible_date
from core.numbers import NumberError, parse_decimal
from core.tabular import unreadable_date_message

SOURCE_MAX = IndicatorValue._meta.get_field("source").max_length
NOTE_MAX = IndicatorValue._meta.get_field("note").max_length
NAME_MAX = Indicator._meta.get_field("name").max_length
MAX_INTEGER_DIGITS = 14

# (key, heading): the order of the template's columns.
COLUMNS: list[tuple[str, Any]] = [
    ("indicator", gettext_lazy("Indicator")),
    ("date", gettext_lazy("Date")),
    ("value", gettext_lazy("Value")),
    ("source", gettext_lazy("Source")),
    ("note", gettext_lazy("Note")),
]
REQUIRED = ("indicator", "date", "value")
_SHORT_HEADINGS = {"nr.": "indicator", "nr": "indicator", "no.": "indicator", "number": "indicator", "nummer": "indicator"}


def headings(lang: str) -> list[str]:
    with translation.override(lang):
        return [str(label) for _key, label in COLUMNS]


def _heading_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for lang in LANGUAGES:
        for (key, _label), text in zip(COLUMNS, headings(lang), strict=True):
            keys[_normalise(text)] = key
    for key, _label in COLUMNS:
        keys[key] = key
    return keys | _SHORT_HEADINGS


def value_unknown_columns(table: list[list[Any]]) -> list[dict[str, str]]:
    return unknown_columns(table, keys=_heading_keys(), columns=COLUMNS)


def _numbered(table: list[list[Any]]) -> list[tuple[int, list[Any]]]:
    return [(line, row) for line, row in enumerate(table, start=1) if any(_cell_text(c) for c in row)]


def is_values_table(table: list[list[Any]]) -> bool:
    """Whether the heading row (the first non-empty one) names the indicator and value columns, in either language."""
    numbered = _numbered(table)
    if not numbered:
        return False
    keys = _heading_keys()
    columns = {keys.get(_normalise(_cell_text(h))) for h in numbered[0][1]}
    return {"indicator", "value"} <= columns


def indicator_key(text: str) -> str:
    """How a name in the file is matched with an indicator: ignoring case and spacing."""
    return " ".join(str(text).split()).casefold()


# --- The template -----------------------------------------------------------------------------------


def template_csv(lang: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";" if lang == "de" else ",").writerow(headings(lang))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(lang: str, indicators: list[Any]) -> bytes:
    """The headings, a sheet listing the member's active indicators (to copy names from), and the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Values")
        append_literal(sheet, headings(lang))
        for column, width in zip("ABCDE", (40, 14, 14, 40, 50), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        listing = workbook.create_sheet(_("Indicators"))
        append_literal(listing, [_("No."), _("Name"), _("Unit"), _("Baseline date")])
        for indicator in indicators:
            append_literal(listing, [indicator.pk, indicator.name, indicator.unit, date_format(indicator.baseline_date, "SHORT_DATE_FORMAT")])
        for column, width in zip("ABCD", (10, 50, 20, 16), strict=True):
            listing.column_dimensions[column].width = width
        for row in (sheet[1], listing[1]):
            for cell in row:
                cell.font = Font(bold=True)
        return workbook_bytes(workbook, value_column_notes())


def value_column_notes() -> list[tuple[str, str]]:
    notes = {
        "indicator": _("Required. The name of the indicator as in the plan, or its number (see the sheet “Indicators”)."),
        "date": _("Required. A date such as 31.12.2025 or 2025-12-31, not before the indicator's baseline."),
        "value": _("Required. A number such as 12,5 or 1.234,5; at most two decimal places."),
        "source": _("Optional. Where the figure comes from. At most %(max)d characters.") % {"max": SOURCE_MAX},
        "note": _("Optional. At most %(max)d characters.") % {"max": NOTE_MAX},
    }
    return [(str(label), notes[key]) for key, label in COLUMNS]


# --- Checking the rows ------------------------------------------------------------------------------


def parse_value(cell: Any, text: str) -> Decimal | None:
    """A number from an XLSX number cell or from text as the page's language writes it, or unambiguously in the
    other way ("1,234.5" on a German page); None when it cannot be read."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        try:
            return Decimal(str(cell))
        except InvalidOperation:
            return None
    try:
        # The page's language decides what "1.234" means (1234 in German); see core/numbers.py for the rules.
        return parse_decimal(text, lenient=True)
    except NumberError:
        return None


def check_value_rows(
    table: list[list[Any]], *, indicators: dict[str, tuple[int, dt.date] | None], existing: set[tuple[int, dt.date]]
) -> list[ImportRow]:
    """Every data row, checked: its values ready for an IndicatorValue, or its errors in words.

    indicators: normalised names (indicator_key) and str(ids) of the member's active indicators → (id, baseline
    date); a name shared by two active indicators maps to None. existing: (indicator id, date) already stored;
    such rows are marked to be skipped.
    """
    columns, body = split_table(
        table, keys=_heading_keys(), columns=COLUMNS, required=REQUIRED,
        too_many=_("The file has more than %(max)s rows. Import at most %(max)s values at once."),
        only_headings=_("The file holds only the headings. Add one value per row below them."),
    )
    rows: list[ImportRow] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for line, cells in body:
        def cell(key: str) -> Any:
            index = columns.index(key) if key in columns else None
            return cells[index] if index is not None and index < len(cells) else None

        raw = {key: _cell_text(cell(key)) for key, _label in COLUMNS}
        row, pair = _check_row(line, raw, cell, indicators=indicators)
        if pair is not None and not row.errors:
            if pair in existing:
                row.skip = True
            elif pair in seen:
                row.errors.append(_("The same indicator and date appear in row %(line)s.") % {"line": seen[pair]})
            else:
                seen[pair] = line
        rows.append(row)
    return rows


def _check_row(line: int, raw: dict[str, str], cell, *, indicators) -> tuple[ImportRow, tuple[int, dt.date] | None]:
    row = ImportRow(line=line)
    errors, values = row.errors, row.values

    name = " ".join(raw["indicator"].split())
    # No indicator has a longer name: such a row is unknown, and the preview shows the name cut.
    values["indicator_name"] = name if len(name) <= NAME_MAX else name[:NAME_MAX] + "…"
    found = None
    if not name:
        errors.append(_("The indicator is missing."))
    else:
        key = indicator_key(name)
        if key not in indicators and re.fullmatch(r"\d+\.?0*", key):
            key = key.split(".")[0]  # "12." or 12.0 from a number cell
        if key not in indicators:
            errors.append(_("Unknown indicator “%(value)s”: use the name as in the plan, or its number.") % {"value": name[:60]})
        elif indicators[key] is None:
            errors.append(
                _("Two indicators are called “%(value)s”: use the number of the one you mean.") % {"value": name[:60]}
            )
        else:
            found = indicators[key]
            values["indicator"] = found[0]

    date = _date(cell("date"), raw["date"])
    values["date"] = None
    if date is None:
        errors.append(_("The date is missing."))
    elif date is False:
        errors.append(unreadable_date_message(raw["date"], _("The date “%(value)s” cannot be read: write it as 31.12.2025 or 2025-12-31.")))
    else:
        values["date"] = date.isoformat()
        try:
            validate_plausible_date(date)
        except ValidationError as error:
            errors.extend(error.messages)
        if found and date < found[1]:
            errors.append(
                _("The date %(date)s is before the baseline of %(baseline)s.")
                % {"date": date_format(date, "SHORT_DATE_FORMAT"), "baseline": date_format(found[1], "SHORT_DATE_FORMAT")}
            )

    text = raw["value"]
    values["value"] = None
    if not text:
        errors.append(_("The value is missing."))
    else:
        number = parse_value(cell("value"), text)
        if number is None or not number.is_finite():
            errors.append(_("“%(value)s” is not a number.") % {"value": text[:40]})
        else:
            _sign, digits, exponent = number.normalize().as_tuple()
            places, whole = max(-exponent, 0), len(digits) + exponent
            if places > 2:
                errors.append(_("“%(value)s” has more than two decimal places.") % {"value": text[:40]})
            elif whole > MAX_INTEGER_DIGITS:
                errors.append(_("“%(value)s” is too large: at most 14 digits before the decimal point.") % {"value": text[:40]})
            else:
                values["value"] = str(number.quantize(Decimal("0.01")))

    values["source"] = bounded(
        raw["source"], SOURCE_MAX, _("The source is too long: %(length)d characters, at most %(max)d."), errors
    )
    values["note"] = bounded(raw["note"], NOTE_MAX, _("The note is too long: %(length)d characters, at most %(max)d."), errors)
    pair = (found[0], date) if found and isinstance(date, dt.date) else None
    return row, pair
