"""The member export for the board: XLSX and "CSV for Excel" (UTF-8 with BOM, semicolons, CRLF), ISO dates, with
authorities, contact persons, coordinators, the next report due date and the last report.

Bulk actions of the member changelist (registered in reports/admin.py, which knows the report deadline). A fixed
number of queries, however many members are selected.

Formula cells: a text that starts with = + - @ (or a tab or carriage return) would run as a formula when the file
is opened. In the CSV such a text gets a leading apostrophe, the only way a CSV can say "text". In the XLSX the
value stays as it is and the cell is written as a text cell (type "s", with Excel's quote prefix), so it is shown
and copied as typed and never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from core.dates import add_months
from core.models import SecurityEventKind
from core.security import security_record
from members.models import Member
from reports.models import ImplementationReport
from reports.services import members_with_due_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# (heading, width in the XLSX): the export's columns, in this order.
COLUMNS: list[tuple[Any, int]] = [
    (_("Name"), 34), (_("Authorities"), 40), (_("Kind"), 18), (_("Country"), 16), (_("ISO code"), 9),
    (_("Region"), 20), (_("Population"), 12), (_("Website"), 30), (_("Status"), 16), (_("Admission date"), 14),
    (_("Contact persons"), 40), (_("Coordinators"), 40), (_("Next report due"), 14), (_("Last report: period"), 24),
    (_("Last report: status"), 16),
]
DATE_COLUMNS = {9, 12}


def _people(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{name} <{email}>" if email else name for name, email in pairs)


def member_export_rows(queryset: QuerySet[Member]) -> list[list[Any]]:
    """One row per member, in name order: text, whole numbers and dates (date objects, None when empty)."""
    reports = ImplementationReport.objects.order_by("-period_end", "-pk").only("member_id", "period_start", "period_end", "period_label", "status")
    members = (
        members_with_due_date(Member.objects.filter(pk__in=queryset.values("pk")))
        .order_by("name", "pk")
        .prefetch_related("authorities", "contacts", "assignments__user", Prefetch("reports", queryset=reports))
    )
    rows = []
    for member in members:
        coordinators = sorted(
            (a.user.get_full_name() or a.user.username, a.user.email) for a in member.assignments.all() if a.user.is_active
        )
        last = next(iter(member.reports.all()), None)
        due = add_months(member.report_due_base, settings.REPORT_INTERVAL_MONTHS) if member.report_due_base else None
        rows.append([
            member.name, "; ".join(a.name for a in member.authorities.all()), member.get_kind_display(),
            country_name(member.country), member.country, member.region, member.population, member.website,
            member.get_status_display(), member.admitted_on,
            _people([(c.name, c.email) for c in member.contacts.all()]), _people(coordinators), due,
            last.period_display if last else "", last.get_status_display() if last else "",
        ])
    return rows


def headings() -> list[str]:
    return [str(heading) for heading, _width in COLUMNS]


def csv_safe(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def export_csv_bytes(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings())
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Members")
    sheet.append(headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                # openpyxl takes a text starting with "=" for a formula: a text cell, shown as typed.
                cell.data_type = "s"
                cell.quotePrefix = True
            elif column - 1 in DATE_COLUMNS and value is not None:
                cell.number_format = "YYYY-MM-DD"
    for column, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _response(request, content: bytes, content_type: str, extension: str, count: int) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="members-{timezone.localdate():%Y-%m-%d}.{extension}"'
    security_record(SecurityEventKind.STAFF_EXPORT, request=request, detail=f"members {extension.upper()}, {count} rows")
    return response


def export_members_xlsx(modeladmin, request, queryset) -> HttpResponse:
    rows = member_export_rows(queryset)
    return _response(request, export_xlsx_bytes(rows), XLSX_TYPE, "xlsx", len(rows))


def export_members_csv(modeladmin, request, queryset) -> HttpResponse:
    rows = member_export_rows(queryset)
    return _response(request, export_csv_bytes(rows), "text/csv; charset=utf-8", "csv", len(rows))


export_members_xlsx.short_description = _("Export the selected members as Excel (XLSX)")
export_members_xlsx.allowed_permissions = ["view"]
export_members_csv.short_description = _("Export the selected members as CSV for Excel")
export_members_csv.allowed_permissions = ["view"]
