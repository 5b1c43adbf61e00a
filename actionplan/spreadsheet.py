"""Plan import from a spreadsheet: the template (CSV and XLSX), reading an upload, and checking every row.

Pure functions: the caller passes the commitments and the titles already in the plan, so checking a
thousand rows costs no query per row. Headers, status labels and yes/no are accepted in German and English,
whatever the page's language, so a template downloaded in one language can be uploaded from the other.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan.models import Measure, MeasureStatus
# Reading the file is shared with the members import; the names stay importable from here.
from core.tabular import MAX_BYTES, MAX_ROWS, SpreadsheetError, read_table, split_table  # noqa: F401
from core.tabular import cell_text as _cell_text
from core.tabular import normalise as _normalise
from core.tabular import parse_date as _date
from core.tabular import unreadable_date_message

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
# The downloaded plan (actionplan/plan_export.py) begins with these two: which measure a row is, and the version
# it had at the download, so that an upload changes that measure and notices a change made in the portal since.
ID_COLUMNS: list[tuple[str, Any]] = [
    ("measure", gettext_lazy("ID (do not change)")),
    ("version", gettext_lazy("Version (do not change)")),
]
ALL_COLUMNS = ID_COLUMNS + COLUMNS
REQUIRED = ("commitment", "title")
# What an upload may change of a measure, in the order the preview lists the changes.
CHANGEABLE = [key for key, _label in COLUMNS]
_TEXTS = ("description", "partners")
_YES = {"ja", "yes", "j", "y", "x", "1", "true", "wahr"}
_NO = {"nein", "no", "n", "0", "false", "falsch"}
_LANGUAGE_NAMES = {"de": "de", "deutsch": "de", "german": "de", "en": "en", "englisch": "en", "english": "en"}
# Shorter headings people write by hand.
_SHORT_HEADINGS = {"sprache": "content_language", "language": "content_language", "nr.": "commitment", "nr": "commitment"}


class RowState:
    NEW = "new"  # no ID: a measure to create
    SKIP = "skip"  # no ID, and its title is already in the plan under that commitment
    CHANGED = "changed"  # the measure of its ID, with at least one value changed
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # changed or retired in the portal since the download: shown, never applied


@dataclass
class ImportRow:
    line: int  # the row number as the spreadsheet program shows it (the headings are row 1)
    values: dict[str, Any] = field(default_factory=dict)  # JSON-ready: dates as ISO strings
    errors: list[str] = field(default_factory=list)
    skip: bool = False  # nothing to apply: already in the plan, unchanged, or a conflict
    state: str = RowState.NEW
    measure: int | None = None
    version: int | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)  # {"field", "old", "new"}, JSON-ready
    conflict: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line, "values": self.values, "skip": self.skip, "state": self.state, "measure": self.measure,
            "version": self.version, "changes": self.changes, "conflict": self.conflict,
        }


def headings(lang: str, columns: list[tuple[str, Any]] = COLUMNS) -> list[str]:
    with translation.override(lang):
        return [str(label) for _key, label in columns]


def _heading_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for lang in LANGUAGES:
        for (key, _label), text in zip(ALL_COLUMNS, headings(lang, ALL_COLUMNS), strict=True):
            keys[_normalise(text)] = key
    for key, _label in ALL_COLUMNS:
        keys[key] = key
    return keys | _SHORT_HEADINGS


def unknown_columns(table: list[list[Any]], *, keys: dict[str, str], columns: list[tuple[str, Any]]) -> list[dict[str, str]]:
    """The headings of the first row that name no column, each with the nearest known heading (in the active
    language) when one is similar: their cells are not imported, and the preview says so."""
    header = next((row for row in table if any(_cell_text(c) for c in row)), [])
    labels = {key: str(label) for key, label in columns}
    unknown = []
    for cell in header:
        text = _cell_text(cell)
        if not text or _normalise(text) in keys:
            continue
        near = difflib.get_close_matches(_normalise(text), list(keys), n=1, cutoff=0.6)
        unknown.append({"heading": text[:100], "suggestion": labels.get(keys[near[0]], "") if near else ""})
    return unknown


def measure_unknown_columns(table: list[list[Any]]) -> list[dict[str, str]]:
    return unknown_columns(table, keys=_heading_keys(), columns=ALL_COLUMNS)


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

    with translation.override(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Measures")
        measures_sheet_layout(sheet, COLUMNS)
        # Dates and numbers stay as typed: "01.03.2026" must not become a serial number in another locale.
        return workbook_bytes(workbook, column_notes())


_WIDTHS = {"measure": 12, "version": 12, "commitment": 16, "title": 40, "description": 50, "responsible_unit": 30,
           "partners": 30, "status": 16, "progress": 16, "start_date": 14, "end_date": 14, "is_public": 14,
           "content_language": 20}


def measures_sheet_layout(sheet, columns: list[tuple[str, Any]]) -> None:
    """The heading row (bold, frozen), the widths, and drop-downs for commitment, status, yes/no and language, in
    the active language (the import reads both languages, so a German list is fine in an English upload)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    append_literal(sheet, [str(label) for _key, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    choices = {
        "commitment": [str(n) for n in range(1, 11)],
        "status": [str(label) for label in MeasureStatus.labels],
        "is_public": [_("yes"), _("no")],
        "content_language": ["de", "en"],
    }
    for index, (key, _label) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(key, 16)
        if key in choices:
            add_drop_down(sheet, f"{letter}2:{letter}{MAX_ROWS + 1}", choices[key])


def add_drop_down(sheet, cells: str, values: list[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list", formula1='"%s"' % ",".join(value.replace('"', "") for value in values), allow_blank=True,
        showErrorMessage=True, errorTitle=_("Not in the list"), error=_("Choose a value from the list."),
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


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


# --- Checking the rows ------------------------------------------------------------------------------


def title_key(commitment_number: int, title: str) -> tuple[int, str]:
    """How a row is matched against the plan: the same title (ignoring case and spacing) under the same commitment."""
    return commitment_number, " ".join(title.split()).casefold()


def check_rows(
    table: list[list[Any]], *, commitment_numbers: set[int], existing: set[tuple[int, str]],
    measures: dict[int, dict[str, Any]] | None = None,
) -> list[ImportRow]:
    """Every data row, checked: its values ready for a Measure, or its errors in words.

    existing: title_key() of the member's active measures; a row without ID and with such a title is skipped.
    measures: the member's measures (retired ones too) by ID, as measure_state() gives them: a row with an ID is
    compared with its measure, field by field, for the columns the file has.
    """
    measures = measures or {}
    columns, body = split_table(
        table, keys=_heading_keys(), columns=ALL_COLUMNS, required=REQUIRED,
        too_many=_("The file has more than %(max)s rows. Import at most %(max)s measures at once."),
        only_headings=_("The file holds only the headings. Add one measure per row below them."),
    )
    statuses = _status_values()
    rows: list[ImportRow] = []
    seen: dict[tuple[int, str], int] = {}
    seen_ids: dict[int, int] = {}
    present = [key for key in CHANGEABLE if key in columns]
    for index, cells in body:
        raw = {key: _cell_text(cells[i]) if i < len(cells) else "" for i, key in enumerate(columns) if key}
        row = _check_row(index, raw, cells, columns, commitment_numbers=commitment_numbers, statuses=statuses)
        if raw.get("measure"):
            _compare(row, raw, measures=measures, present=present, seen_ids=seen_ids)
        elif not row.errors:
            key = title_key(row.values["commitment"], row.values["title"])
            if key in existing:
                row.skip, row.state = True, RowState.SKIP
            elif key in seen:
                row.errors.append(_("The same title appears under this commitment in row %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = index
        rows.append(row)
    return rows


def measure_state(measure: dict[str, Any]) -> dict[str, Any]:
    """A measure as the import compares it, from a values() row with commitment__number: the values in the shape
    of a checked row, its version and whether it is retired."""
    values = {key: measure[key] for key in CHANGEABLE if key in measure}
    values["commitment"] = measure["commitment__number"]
    for key in ("start_date", "end_date"):
        values[key] = values[key].isoformat() if values[key] else None
    return {"values": values, "version": measure["version"], "retired": measure["retired_at"] is not None}


def _same(key: str, old: Any, new: Any) -> bool:
    if key == "title":
        return " ".join(str(old).split()) == new
    if key in _TEXTS or key == "responsible_unit":
        # Line ends may come back from the spreadsheet program as \n where the form stored \r\n.
        return str(old or "").replace("\r\n", "\n").strip() == str(new or "").replace("\r\n", "\n").strip()
    return old == new


def _compare(row: ImportRow, raw: dict[str, str], *, measures, present: list[str], seen_ids: dict[int, int]) -> None:
    """A row naming a measure by ID: which of the file's columns change it; a conflict when the measure was
    changed or retired in the portal since the download."""
    text = raw["measure"]
    if not re.fullmatch(r"\d{1,10}", text):
        row.errors.append(_("“%(value)s” is not the ID of a measure: leave the ID empty for a new measure.") % {"value": text[:40]})
        return
    pk = int(text)
    measure = measures.get(pk)
    if measure is None:
        row.errors.append(_("There is no measure with the ID %(id)s in this plan. Leave the ID empty for a new measure.") % {"id": pk})
        return
    if pk in seen_ids:
        row.errors.append(_("The measure with the ID %(id)s is in row %(line)s already.") % {"id": pk, "line": seen_ids[pk]})
        return
    seen_ids[pk] = row.line
    version = raw.get("version", "")
    if not re.fullmatch(r"\d{1,10}", version):
        row.errors.append(_("The version is missing or unreadable: it comes with the downloaded plan. Download the plan again."))
        return
    row.measure, row.version = pk, int(version)
    if row.errors:
        return
    stored = measure["values"]
    merged = {**stored, **{key: row.values[key] for key in present}}
    if merged["start_date"] and merged["end_date"] and merged["end_date"] < merged["start_date"]:
        row.errors.append(_("The end is before the start."))
        return
    row.changes = [
        {"field": key, "old": stored[key], "new": row.values[key]} for key in present if not _same(key, stored[key], row.values[key])
    ]
    row.skip = True
    if measure["retired"]:
        row.state = RowState.CONFLICT
        row.conflict = _("This measure has been retired since the download. The row is not applied.")
    elif not row.changes:
        row.state = RowState.UNCHANGED
    elif measure["version"] != row.version:
        row.state = RowState.CONFLICT
        row.conflict = _(
            "This measure has been changed in the portal since the download. The row is not applied, so that "
            "nothing is overwritten: download the plan again and make the change there."
        )
    else:
        row.state, row.skip = RowState.CHANGED, False


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
    nonexistent = {
        "start_date": _("The start date “%(value)s” does not exist: %(reason)s"),
        "end_date": _("The end date “%(value)s” does not exist: %(reason)s"),
    }
    for key, message in unreadable.items():
        cell = cells[columns.index(key)] if key in columns and columns.index(key) < len(cells) else None
        text = raw.get(key, "")
        parsed = _date(cell, text)
        if parsed is False:
            errors.append(unreadable_date_message(text, message, nonexistent[key]))
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


