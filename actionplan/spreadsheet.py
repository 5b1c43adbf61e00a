"""Plan import from a spreadsheet: the template (CSV and XLSX), reading an upload, and checking every row.

Pure functions: the caller passes the commitments and the titles already in the plan, so checking a
thousand rows costs no query per row. Headers, status labels and yes/no are accepted in German and English,
whatever the page's language, so a template downloaded in one language can be uploaded from the other.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan.models import Measure, MeasureStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
TITLE_MAX = Measure._meta.get_field("title").max_length
UNIT_MAX = Measure._meta.get_field("responsible_unit").max_length
DESCRIPTION_MAX = Measure._meta.get_field("description").max_length
PARTNERS_MAX = Measure._meta.get_field("partners").max_length
# Python's csv module refuses a field above this; a cell this long is reported in words, not as an unreadable file.
CSV_FIELD_MAX = csv.field_size_limit()
LANGUAGES = ("de", "en")

# (key, heading): the order of the template's columns.
COLUMNS: list[tuple[str, Any]] = [
    ("commitment", gettext_lazy("Commitment (1–10)")),
    ("title", gettext_lazy("Title")),
    ("description", gettext_lazy("Description")),
    ("responsible_unit", gettext_lazy("Responsible unit")),
    ("partners", gettext_lazy("Partners")),
    ("status", gettext_lazy("Status")),
    ("progress", gettext_lazy("Progress (0–100)")),
    ("start_date", gettext_lazy("Start")),
    ("end_date", gettext_lazy("End")),
    ("is_public", gettext_lazy("Public (yes/no)")),
    ("content_language", gettext_lazy("Language of the text (de/en)")),
]
REQUIRED = ("commitment", "title")
_YES = {"ja", "yes", "j", "y", "x", "1", "true", "wahr"}
_NO = {"nein", "no", "n", "0", "false", "falsch"}
_LANGUAGE_NAMES = {"de": "de", "deutsch": "de", "german": "de", "en": "en", "englisch": "en", "english": "en"}
# Shorter headings people write by hand.
_SHORT_HEADINGS = {"sprache": "content_language", "language": "content_language", "nr.": "commitment", "nr": "commitment"}
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: the message says why, in the user's language."""


@dataclass
class ImportRow:
    line: int  # the row number as the spreadsheet program shows it (the headings are row 1)
    values: dict[str, Any] = field(default_factory=dict)  # JSON-ready: dates as ISO strings
    errors: list[str] = field(default_factory=list)
    skip: bool = False  # already in the plan

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "values": self.values, "skip": self.skip}


def headings(lang: str) -> list[str]:
    with translation.override(lang):
        return [str(label) for _key, label in COLUMNS]


def _normalise(text: str) -> str:
    # "Fortschritt (0–100)" and "fortschritt" are the same column.
    text = re.sub(r"\(.*?\)", "", str(text or "")).replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _heading_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for lang in LANGUAGES:
        for (key, _label), text in zip(COLUMNS, headings(lang), strict=True):
            keys[_normalise(text)] = key
    for key, _label in COLUMNS:
        keys[key] = key
    return keys | _SHORT_HEADINGS


def _status_values() -> dict[str, str]:
    values = {code.casefold(): code for code in MeasureStatus.values}
    for lang in LANGUAGES:
        with translation.override(lang):
            values.update({str(label).casefold(): code for code, label in MeasureStatus.choices})
    return values


# --- The template -----------------------------------------------------------------------------------


def template_csv(lang: str) -> bytes:
    """The headings only, UTF-8 with BOM; German Excel expects semicolons, the English template uses commas."""
    out = io.StringIO()
    csv.writer(out, delimiter=";" if lang == "de" else ",").writerow(headings(lang))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Measures")
        append_literal(sheet, headings(lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFGHIJK", (16, 40, 50, 30, 30, 16, 16, 14, 14, 14, 20), strict=True):
            sheet.column_dimensions[column].width = width
            # Dates and numbers stay as typed: "01.03.2026" must not become a serial number in another locale.
        sheet.freeze_panes = "A2"
        return workbook_bytes(workbook, column_notes())


def append_literal(sheet, values) -> None:
    """A row of a sheet the portal writes, every text as a literal string: openpyxl stores a text beginning with
    "=" as a live formula, so a name typed as =HYPERLINK(…) would run in the spreadsheet program of whoever opens
    the file. Every XLSX writer of the portal appends its rows through here."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"


def workbook_bytes(workbook, notes: list[tuple[str, str]]) -> bytes:
    """The template with its sheet of notes on each column (called within the template's language)."""
    sheet = workbook.create_sheet(_("Notes"))
    for line in notes:
        append_literal(sheet, line)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column_notes() -> list[tuple[str, str]]:
    """What each column takes, in the active language: for the import page and the template's notes sheet."""
    statuses = ", ".join(str(label) for label in MeasureStatus.labels)
    notes = {
        "commitment": _("Required. The number of the commitment, 1 to 10."),
        "title": _("Required. At most %(max)d characters.") % {"max": TITLE_MAX},
        "description": _("Optional. At most %(max)d characters.") % {"max": DESCRIPTION_MAX},
        "responsible_unit": _("Optional. At most %(max)d characters.") % {"max": UNIT_MAX},
        "partners": _("Optional. Civil society partners. At most %(max)d characters.") % {"max": PARTNERS_MAX},
        "status": _("One of: %(statuses)s. Empty means planned.") % {"statuses": statuses},
        "progress": _("A whole number from 0 to 100, or empty."),
        "start_date": _("A date such as 01.03.2026 or 2026-03-01, or empty."),
        "end_date": _("A date, not before the start, or empty."),
        "is_public": _("yes or no. Empty means no: new measures start internal."),
        "content_language": _("de or en, the language of title and description. Empty means de."),
    }
    return [(str(label), notes[key]) for key, label in COLUMNS]


# --- Reading a file ---------------------------------------------------------------------------------


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
            filled += any(_cell_text(c) for c in row)
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


# --- Checking the rows ------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def title_key(commitment_number: int, title: str) -> tuple[int, str]:
    """How a row is matched against the plan: the same title (ignoring case and spacing) under the same commitment."""
    return commitment_number, " ".join(title.split()).casefold()


def split_table(
    table: list[list[Any]], *, keys: dict[str, str], columns: list[tuple[str, Any]], required: tuple[str, ...],
    too_many: str, only_headings: str,
) -> tuple[list[str | None], list[tuple[int, list[Any]]]]:
    """The column key of each heading, and the numbered data rows; SpreadsheetError when the file as a whole
    cannot be imported (no rows, missing headings, too many rows, headings only)."""
    # Empty rows are left out, but the line numbers count them, as the spreadsheet program shows them.
    numbered = [(line, row) for line, row in enumerate(table, start=1) if any(_cell_text(c) for c in row)]
    if not numbered:
        raise SpreadsheetError(_("The file holds no rows. Fill in the template below its headings."))
    (_line, header), *body = numbered
    found = [keys.get(_normalise(_cell_text(h))) for h in header]
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


def check_rows(
    table: list[list[Any]], *, commitment_numbers: set[int], existing: set[tuple[int, str]]
) -> list[ImportRow]:
    """Every data row, checked: its values ready for a Measure, or its errors in words.

    existing: title_key() of the member's active measures; such rows are marked to be skipped.
    """
    columns, body = split_table(
        table, keys=_heading_keys(), columns=COLUMNS, required=REQUIRED,
        too_many=_("The file has more than %(max)s rows. Import at most %(max)s measures at once."),
        only_headings=_("The file holds only the headings. Add one measure per row below them."),
    )
    statuses = _status_values()
    rows: list[ImportRow] = []
    seen: dict[tuple[int, str], int] = {}
    for index, cells in body:
        raw = {key: _cell_text(cells[i]) if i < len(cells) else "" for i, key in enumerate(columns) if key}
        row = _check_row(index, raw, cells, columns, commitment_numbers=commitment_numbers, statuses=statuses)
        if not row.errors:
            key = title_key(row.values["commitment"], row.values["title"])
            if key in existing:
                row.skip = True
            elif key in seen:
                row.errors.append(_("The same title appears under this commitment in row %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = index
        rows.append(row)
    return rows


def _check_row(line: int, raw: dict[str, str], cells, columns, *, commitment_numbers, statuses) -> ImportRow:
    row = ImportRow(line=line)
    errors, values = row.errors, row.values

    number = raw.get("commitment", "")
    if not number:
        errors.append(_("The commitment is missing."))
    elif not re.fullmatch(r"\d{1,2}\.?", number) or int(number.rstrip(".")) not in commitment_numbers:
        errors.append(_("Unknown commitment “%(value)s”: use a number from 1 to 10.") % {"value": number[:40]})
    else:
        values["commitment"] = int(number.rstrip("."))

    title = " ".join(raw.get("title", "").split())
    if not title:
        errors.append(_("The title is missing."))
    limits = {
        "title": (title, TITLE_MAX, _("The title is too long: %(length)d characters, at most %(max)d.")),
        "description": (
            raw.get("description", ""), DESCRIPTION_MAX,
            _("The description is too long: %(length)d characters, at most %(max)d."),
        ),
        "responsible_unit": (
            raw.get("responsible_unit", ""), UNIT_MAX,
            _("The responsible unit is too long: %(length)d characters, at most %(max)d."),
        ),
        "partners": (
            raw.get("partners", ""), PARTNERS_MAX,
            _("The partners text is too long: %(length)d characters, at most %(max)d."),
        ),
    }
    for key, (text, limit, message) in limits.items():
        values[key] = bounded(text, limit, message, errors)

    status = raw.get("status", "")
    values["status"] = statuses.get(status.casefold(), "") if status else MeasureStatus.PLANNED.value
    if not values["status"]:
        labels = ", ".join(str(label) for label in MeasureStatus.labels)
        errors.append(_("Unknown status “%(value)s”: use one of %(labels)s.") % {"value": status[:40], "labels": labels})

    progress = raw.get("progress", "").removesuffix("%").strip()
    values["progress"] = None
    if progress:
        if re.fullmatch(r"\d{1,3}", progress) and int(progress) <= 100:
            values["progress"] = int(progress)
        else:
            errors.append(_("The progress must be a whole number from 0 to 100, not “%(value)s”.") % {"value": progress[:40]})

    dates = {}
    unreadable = {
        "start_date": _("The start date “%(value)s” cannot be read: write it as 01.03.2026 or 2026-03-01."),
        "end_date": _("The end date “%(value)s” cannot be read: write it as 01.03.2026 or 2026-03-01."),
    }
    for key, message in unreadable.items():
        cell = cells[columns.index(key)] if key in columns and columns.index(key) < len(cells) else None
        text = raw.get(key, "")
        parsed = _date(cell, text)
        if parsed is False:
            errors.append(message % {"value": text[:40]})
            parsed = None
        dates[key] = parsed
        values[key] = parsed.isoformat() if parsed else None
    if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
        errors.append(_("The end is before the start."))

    public = raw.get("is_public", "").casefold()
    values["is_public"] = public in _YES
    if public and public not in _YES | _NO:
        errors.append(_("“Public” must be yes or no, not “%(value)s”.") % {"value": raw["is_public"][:40]})

    language = raw.get("content_language", "").casefold()
    values["content_language"] = _LANGUAGE_NAMES.get(language, "de") if language else "de"
    if language and language not in _LANGUAGE_NAMES:
        errors.append(_("The language of the text must be de or en, not “%(value)s”.") % {"value": raw["content_language"][:40]})
    return row


def bounded(text: str, limit: int, message: str, errors: list[str]) -> str:
    """The text, or, when longer than its field allows, an error in words and the text cut to the limit (a row in
    error is only shown in the preview, which need not echo a 100,000-character cell back)."""
    if len(text) <= limit:
        return text
    errors.append(message % {"length": len(text), "max": limit})
    return text[:limit] + "…"


def _date(cell: Any, text: str) -> dt.date | None | bool:
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
