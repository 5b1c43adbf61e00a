"""The open-data tables as XLSX: numbers as numbers, dates as dates, one bold header row that stays in view.

The sheet is written here as SpreadsheetML text, row by row from the server-side cursor, into a zip that is sent
while it is written: memory stays flat and nothing is stored. openpyxl's write-only mode does the same job about
several times slower (20,000 measures took 24 s), too slow for the full measures file; the
tests read every file back with openpyxl and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from portal.opendata import Dataset, _rows

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in characters: about what a value of the type needs, and never narrower than the heading.
_WIDTHS = {"integer": 10, "decimal": 12, "date": 12, "datetime": 20, "url": 40, "string": 24}
_WIDE = {"title", "description", "summary", "name", "member_name", "commitment_title_de", "commitment_title_en"}
# Characters XML 1.0 cannot carry at all (a sheet cell has no way to hold them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
# Styles (cellXfs): 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
_HEADER, _DATE, _DATETIME = 1, 2, 3
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _workbook(sheet_name: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _text_cell(ref: str, value: str, style: int = 0) -> str:
    # Inline text: a cell that is text is never a formula, so the sheet carries the exact text, no apostrophe.
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{escape(_ILLEGAL.sub("", value))}</t></is></c>'


def _serial(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        delta = value - _EPOCH
        return repr(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400)
    return str((value - _EPOCH.date()).days)


class _Chunks:
    """A write-only file for zipfile (which writes an unseekable stream with data descriptors): what was written
    since the last call to take()."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts = []
        return data


def workbook(dataset: Dataset, url_pattern: str, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The XLSX file in pieces, as its rows come from the database."""
    columns = dataset.columns
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    kinds = [c.type for c in columns]
    out = _Chunks()
    # The fastest compression: the XML shrinks about tenfold anyway, and the time goes to the visitor.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(dataset.slug[:31]))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        yield out.take()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            widths = "".join(
                f'<col min="{i}" max="{i}" width="{max(40 if c.name in _WIDE else _WIDTHS.get(c.type, 16), len(c.name) + 2)}" customWidth="1"/>'
                for i, c in enumerate(columns, start=1)
            )
            header = "".join(_text_cell(f"{letter}1", c.name, _HEADER) for letter, c in zip(letters, columns))
            sheet.write((
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '</sheetView></sheetViews>'
                f'<cols>{widths}</cols><sheetData><row r="1">{header}</row>'
            ).encode())
            lines: list[str] = []
            for number, row in enumerate(_rows(dataset, url_pattern, cells="typed"), start=2):
                cells = [f'<row r="{number}">']
                for letter, kind, value in zip(letters, kinds, row):
                    if value is None or value == "":
                        continue
                    ref = f"{letter}{number}"
                    if kind == "integer" or kind == "decimal" or isinstance(value, int | Decimal):
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    elif kind == "date":
                        cells.append(f'<c r="{ref}" s="{_DATE}"><v>{_serial(value)}</v></c>')
                    elif kind == "datetime":
                        cells.append(f'<c r="{ref}" s="{_DATETIME}"><v>{_serial(value)}</v></c>')
                    else:
                        cells.append(_text_cell(ref, str(value)))
                cells.append("</row>")
                lines.append("".join(cells))
                if len(lines) >= rows_per_chunk:
                    sheet.write("".join(lines).encode())
                    lines = []
                    yield out.take()
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    yield out.take()
