"""The member's plan as an XLSX file to edit and upload again: one row per active measure, with its ID and the
version it had at the download (actionplan/spreadsheet.py reads both back and compares)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from actionplan.models import Measure, MeasureStatus
from actionplan.spreadsheet import ALL_COLUMNS, append_literal, column_notes, measures_sheet_layout, workbook_bytes


def plan_xlsx(lang: str, measures: Iterable[Measure]) -> bytes:
    """`measures` with their commitment (select_related), in the order they are to be listed."""
    from openpyxl import Workbook

    with translation.override(lang):
        labels = dict(MeasureStatus.choices)
        yes, no = _("yes"), _("no")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Measures")
        measures_sheet_layout(sheet, ALL_COLUMNS)
        date_format = "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD"
        for measure in measures:
            append_literal(sheet, [
                measure.pk, measure.version, measure.commitment.number, measure.title, measure.description,
                measure.responsible_unit, measure.partners, str(labels.get(measure.status, measure.status)),
                measure.progress, measure.start_date, measure.end_date, yes if measure.is_public else no,
                measure.content_language,
            ])
            for cell in sheet[sheet.max_row][9:11]:
                cell.number_format = date_format
        notes = [
            (str(ALL_COLUMNS[0][1]), _("The measure this row changes. Leave it as it is; leave it empty in a row for a new measure.")),
            (str(ALL_COLUMNS[1][1]), _("The version of the measure at the download. A measure changed in the portal since then is not overwritten.")),
        ]
        return workbook_bytes(workbook, notes + column_notes())
