"""The open-data tables as XLSX: numbers as numbers, dates as dates, one bold header row that stays in view.

openpyxl's write-only mode writes each row to a temporary file as it comes from the server-side cursor, so memory
stays flat however many rows there are; the finished file is then sent in blocks (FileResponse).
"""

from __future__ import annotations

import tempfile
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.opendata import TEXT_TYPES, Dataset, _rows

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in characters: about what a value of the type needs, and never narrower than the heading.
_WIDTHS = {"integer": 10, "decimal": 12, "date": 12, "datetime": 20, "url": 40, "string": 24}
_WIDE = {"title", "description", "summary", "name", "member_name", "commitment_title_de", "commitment_title_en"}
# XLSX has more rows than anyone needs, but a sheet stops at 1,048,576: the writer would fail, not cut silently.
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def workbook(dataset: Dataset, url_pattern: str) -> IO[bytes]:
    """The finished XLSX file, open at its start; it is deleted when closed."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=dataset.slug[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(dataset.columns, start=1):
        width = 40 if column.name in _WIDE else _WIDTHS.get(column.type, 16)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(column.name) + 2)
    bold = Font(bold=True)
    header = []
    for column in dataset.columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    texts = [i for i, c in enumerate(dataset.columns) if c.type in TEXT_TYPES]
    times = [i for i, c in enumerate(dataset.columns) if c.type == "datetime"]
    dates = [i for i, c in enumerate(dataset.columns) if c.type == "date"]
    for row in _rows(dataset, url_pattern, cells="typed"):
        for i in texts:
            value = row[i]
            if value is None:
                continue
            # Control characters have no place in the XML of a sheet; a text starting with "=" must stay text
            # (openpyxl would store it as a formula): the sheet carries the exact text, no apostrophe needed.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                value = cell
            row[i] = value
        for i in dates:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = DATE_FORMAT
                row[i] = cell
        for i in times:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = DATETIME_FORMAT
                row[i] = cell
        sheet.append(row)
    file = tempfile.TemporaryFile()
    book.save(file)
    file.seek(0)
    return file
