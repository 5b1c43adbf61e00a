"""Importing a plan from a spreadsheet: the template, the upload, the preview of every row, the confirmation.

An upload is checked at once. Only a file whose every row is valid is kept (as a PlanImport) and can be
confirmed; the confirmation imports the kept rows, so the file is never uploaded twice.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplan import services, spreadsheet, value_spreadsheet
from actionplan.plan_export import plan_xlsx
from actionplan.models import Commitment, Indicator, Measure, MeasureStatus, PlanImport
from members.models import Member
from members.permissions import get_member_for_user

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy("At most 2 MB and 1,000 rows."),
        widget=forms.FileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > spreadsheet.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB. Split it into several files."))
        return upload


@login_required
@require_GET
def plan_import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    lang = _lang(request)
    name = "massnahmen-vorlage" if lang == "de" else "measures-template"
    values_name = "indikatorwerte-vorlage" if lang == "de" else "indicator-values-template"
    if fmt == "csv":
        response = HttpResponse(spreadsheet.template_csv(lang), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(spreadsheet.template_xlsx(lang), content_type=XLSX_TYPE)
    elif fmt == "values.csv":
        response = HttpResponse(value_spreadsheet.template_csv(lang), content_type="text/csv; charset=utf-8")
        name, fmt = values_name, "csv"
    elif fmt == "values.xlsx":
        indicators = list(Indicator.objects.active().filter(plan__member=member).order_by("commitment__number", "name", "pk"))
        response = HttpResponse(value_spreadsheet.template_xlsx(lang, indicators), content_type=XLSX_TYPE)
        name, fmt = values_name, "xlsx"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan as XLSX, to change in a spreadsheet and upload again: every active measure with its ID and version."""
    member = get_member_for_user(request, slug).member
    lang = _lang(request)
    measures = Measure.objects.active().filter(plan__member=member).select_related("commitment").order_by("commitment__number", "title", "pk")
    response = HttpResponse(plan_xlsx(lang, measures), content_type=XLSX_TYPE)
    name = "massnahmenplan" if lang == "de" else "action-plan"
    response["Content-Disposition"] = f'attachment; filename="{name}-{member.slug}.xlsx"'
    return response


def _lang(request: HttpRequest) -> str:
    return "en" if (request.LANGUAGE_CODE or "de").startswith("en") else "de"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    form = PlanImportUploadForm(request.POST, request.FILES) if request.method == "POST" else PlanImportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        commitments = {c.number: c for c in Commitment.objects.all()}
        kind = PlanImport.Kind.MEASURES
        try:
            table = spreadsheet.read_table(data)
            if value_spreadsheet.is_values_table(table):
                kind = PlanImport.Kind.INDICATOR_VALUES
                indicators, existing = services.indicator_values_lookup(member=member)
                rows = value_spreadsheet.check_value_rows(table, indicators=indicators, existing=existing)
                ignored = value_spreadsheet.value_unknown_columns(table)
            else:
                rows = spreadsheet.check_rows(
                    table, commitment_numbers=set(commitments), existing=services.plan_existing_titles(member=member),
                    measures=services.plan_measure_states(member=member),
                )
                ignored = spreadsheet.measure_unknown_columns(table)
        except spreadsheet.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            content_hash = hashlib.sha256(data).hexdigest()
            file_name = (upload.name or "")[:255]
            if any(row.errors for row in rows) or all(row.skip for row in rows):
                # Nothing that could be confirmed: the preview says why, and the form is there for the next try.
                context = _preview_context(
                    member, file_name, [row.as_json() | {"errors": row.errors} for row in rows], commitments,
                    _earlier_import(member, content_hash), kind=kind, ignored=ignored,
                )
                return render(request, "actionplan/editor/plan_import_preview.html", {**context, "form": PlanImportUploadForm()})
            plan_import = PlanImport.objects.create(
                member=member, uploaded_by=request.user, kind=kind, file_name=file_name, content_hash=content_hash,
                rows=[row.as_json() for row in rows], ignored_columns=ignored,
            )
            return redirect("actionplan:plan_import_preview", slug=member.slug, pk=plan_import.pk)
    context = {
        "member": member, "form": form, "notes": spreadsheet.column_notes(), "value_notes": value_spreadsheet.value_column_notes(),
    }
    return render(request, "actionplan/editor/plan_import.html", context)


@login_required
@require_GET
def plan_import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    plan_import = get_object_or_404(PlanImport.objects.select_related("imported_by"), pk=pk, member=member)
    commitments = {c.number: c for c in Commitment.objects.all()}
    earlier = _earlier_import(member, plan_import.content_hash, exclude=plan_import.pk)
    context = _preview_context(
        member, plan_import.file_name, plan_import.rows, commitments, earlier, kind=plan_import.kind,
        ignored=plan_import.ignored_columns,
    )
    context["plan_import"] = plan_import
    return render(request, "actionplan/editor/plan_import_preview.html", context)


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    plan_import = get_object_or_404(PlanImport, pk=pk, member=member)
    created = services.plan_import(plan_import=plan_import, by=request.user)
    if created is not None and plan_import.kind == PlanImport.Kind.MEASURES:
        _measures_imported_messages(request, plan_import)
    elif created is None:
        messages.info(request, _("This import has already been carried out; nothing was imported twice."))
    elif plan_import.kind == PlanImport.Kind.INDICATOR_VALUES:
        messages.success(
            request,
            ngettext("%(count)d indicator value has been imported.", "%(count)d indicator values have been imported.", created)
            % {"count": created},
        )
    return redirect("actionplan:plan_editor", slug=member.slug)


def _measures_imported_messages(request: HttpRequest, plan_import: PlanImport) -> None:
    created, updated = plan_import.created_count, plan_import.updated_count
    if created or not updated:
        messages.success(
            request,
            ngettext("%(count)d measure has been imported.", "%(count)d measures have been imported.", created)
            % {"count": created},
        )
    if updated:
        messages.success(
            request,
            ngettext("%(count)d measure has been updated.", "%(count)d measures have been updated.", updated)
            % {"count": updated},
        )
    if plan_import.conflict_count:
        messages.warning(
            request,
            ngettext(
                "%(count)d row was not applied: its measure was changed in the portal after the check.",
                "%(count)d rows were not applied: their measures were changed in the portal after the check.",
                plan_import.conflict_count,
            )
            % {"count": plan_import.conflict_count},
        )


def _earlier_import(member: Member, content_hash: str, exclude: int | None = None) -> PlanImport | None:
    earlier = PlanImport.objects.filter(member=member, content_hash=content_hash, imported_at__isnull=False)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    return earlier.select_related("imported_by").order_by("-imported_at").first()


def _preview_context(
    member, file_name: str, rows: list[dict], commitments: dict, earlier, *, kind: str = PlanImport.Kind.MEASURES,
    ignored: list[dict] | None = None,
) -> dict[str, Any]:
    values_kind = kind == PlanImport.Kind.INDICATOR_VALUES
    shown = _value_rows(member, rows) if values_kind else [_measure_row(row, commitments) for row in rows]
    fine = [row for row in shown if not row["errors"]]
    states = [row.get("state", "new") for row in fine]
    return {
        "member": member,
        "file_name": file_name,
        "rows": shown,
        "error_count": len(shown) - len(fine),
        "skip_count": sum(1 for row in fine if row["skip"] and row.get("state", "skip") == "skip"),
        "create_count": sum(1 for row in fine if not row["skip"] and row.get("state", "new") == "new"),
        "update_count": states.count(spreadsheet.RowState.CHANGED),
        "unchanged_count": states.count(spreadsheet.RowState.UNCHANGED),
        "conflict_count": states.count(spreadsheet.RowState.CONFLICT),
        "apply_count": sum(1 for row in fine if not row["skip"]),
        "earlier": earlier,
        "values_kind": values_kind,
        "ignored_columns": ignored or [],
    }


def _value_rows(member: Member, rows: list[dict]) -> list[dict]:
    # The indicator's name as in the plan, not only the number a row may give: one query for all rows.
    ids = {row["values"].get("indicator") for row in rows} - {None}
    names = dict(Indicator.objects.filter(pk__in=ids, plan__member=member).values_list("pk", "name")) if ids else {}
    shown = []
    for row in rows:
        values = row["values"]
        shown.append({
            "line": row["line"],
            "errors": row.get("errors", []),
            "skip": row["skip"],
            "indicator_name": names.get(values.get("indicator")) or values.get("indicator_name", ""),
            "indicator_number": values.get("indicator"),
            "date": parse_date(values["date"]) if values.get("date") else None,
            "value": Decimal(values["value"]) if values.get("value") else None,
            "source": values.get("source", ""),
            "note": values.get("note", ""),
        })
    return shown


_LABELS = dict(spreadsheet.COLUMNS)


def _shown_value(key: str, value: Any, commitments: dict) -> Any:
    """A value of a row as the preview shows it: labels for codes, dates as dates, "—" for empty."""
    if key == "status":
        return dict(MeasureStatus.choices).get(value, value)
    if key == "is_public":
        return _("public") if value else _("internal")
    if key in ("start_date", "end_date"):
        return formats.date_format(parse_date(value), "SHORT_DATE_FORMAT") if value else "—"
    if key == "commitment":
        commitment = commitments.get(value)
        return str(commitment) if commitment else value
    if key == "progress":
        return "—" if value is None else f"{value} %"
    return value if value not in ("", None) else "—"


def _measure_row(row: dict, commitments: dict) -> dict:
    values = row["values"]
    return {
        "line": row["line"],
        "errors": row.get("errors", []),
        "skip": row["skip"],
        "state": row.get("state", "skip" if row["skip"] else "new"),
        "measure": row.get("measure"),
        "conflict": row.get("conflict", ""),
        "changes": [
            {
                "label": _LABELS[change["field"]],
                "old": _shown_value(change["field"], change["old"], commitments),
                "new": _shown_value(change["field"], change["new"], commitments),
                "language": values.get("content_language", "de") if change["field"] in ("title", "description") else "",
            }
            for change in row.get("changes", [])
        ],
        "commitment": commitments.get(values.get("commitment")),
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "responsible_unit": values.get("responsible_unit", ""),
        "partners": values.get("partners", ""),
        "status": dict(MeasureStatus.choices).get(values.get("status"), ""),
        "progress": values.get("progress"),
        "start": parse_date(values["start_date"]) if values.get("start_date") else None,
        "end": parse_date(values["end_date"]) if values.get("end_date") else None,
        "is_public": values.get("is_public"),
        "language": values.get("content_language", "de"),
    }
