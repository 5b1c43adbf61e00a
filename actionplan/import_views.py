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
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplan import services, spreadsheet, value_spreadsheet
from actionplan.models import Commitment, Indicator, MeasureStatus, PlanImport
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
    lang = "en" if (request.LANGUAGE_CODE or "de").startswith("en") else "de"
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
            else:
                rows = spreadsheet.check_rows(
                    table, commitment_numbers=set(commitments), existing=services.plan_existing_titles(member=member)
                )
        except spreadsheet.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            content_hash = hashlib.sha256(data).hexdigest()
            file_name = (upload.name or "")[:255]
            if any(row.errors for row in rows) or all(row.skip for row in rows):
                # Nothing that could be confirmed: the preview says why, and the form is there for the next try.
                context = _preview_context(
                    member, file_name, [row.as_json() | {"errors": row.errors} for row in rows], commitments,
                    _earlier_import(member, content_hash), kind=kind,
                )
                return render(request, "actionplan/editor/plan_import_preview.html", {**context, "form": PlanImportUploadForm()})
            plan_import = PlanImport.objects.create(
                member=member, uploaded_by=request.user, kind=kind, file_name=file_name, content_hash=content_hash,
                rows=[row.as_json() for row in rows],
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
    context = _preview_context(member, plan_import.file_name, plan_import.rows, commitments, earlier, kind=plan_import.kind)
    context["plan_import"] = plan_import
    return render(request, "actionplan/editor/plan_import_preview.html", context)


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    plan_import = get_object_or_404(PlanImport, pk=pk, member=member)
    created = services.plan_import(plan_import=plan_import, by=request.user)
    if created is None:
        messages.info(request, _("This import has already been carried out; nothing was imported twice."))
    elif plan_import.kind == PlanImport.Kind.INDICATOR_VALUES:
        messages.success(
            request,
            ngettext("%(count)d indicator value has been imported.", "%(count)d indicator values have been imported.", created)
            % {"count": created},
        )
    else:
        messages.success(
            request,
            ngettext("%(count)d measure has been imported.", "%(count)d measures have been imported.", created)
            % {"count": created},
        )
    return redirect("actionplan:plan_editor", slug=member.slug)


def _earlier_import(member: Member, content_hash: str, exclude: int | None = None) -> PlanImport | None:
    earlier = PlanImport.objects.filter(member=member, content_hash=content_hash, imported_at__isnull=False)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    return earlier.select_related("imported_by").order_by("-imported_at").first()


def _preview_context(
    member, file_name: str, rows: list[dict], commitments: dict, earlier, *, kind: str = PlanImport.Kind.MEASURES
) -> dict[str, Any]:
    labels = dict(MeasureStatus.choices)
    shown = []
    values_kind = kind == PlanImport.Kind.INDICATOR_VALUES
    for row in rows:
        if values_kind:
            values = row["values"]
            shown.append({
                "line": row["line"],
                "errors": row.get("errors", []),
                "skip": row["skip"],
                "indicator_name": values.get("indicator_name", ""),
                "date": parse_date(values["date"]) if values.get("date") else None,
                "value": Decimal(values["value"]) if values.get("value") else None,
                "source": values.get("source", ""),
                "note": values.get("note", ""),
            })
            continue
        values = row["values"]
        shown.append({
            "line": row["line"],
            "errors": row.get("errors", []),
            "skip": row["skip"],
            "commitment": commitments.get(values.get("commitment")),
            "title": values.get("title", ""),
            "status": labels.get(values.get("status"), ""),
            "progress": values.get("progress"),
            "start": parse_date(values["start_date"]) if values.get("start_date") else None,
            "end": parse_date(values["end_date"]) if values.get("end_date") else None,
            "is_public": values.get("is_public"),
            "language": values.get("content_language", "de"),
        })
    return {
        "member": member,
        "file_name": file_name,
        "rows": shown,
        "error_count": sum(1 for row in shown if row["errors"]),
        "skip_count": sum(1 for row in shown if row["skip"]),
        "create_count": sum(1 for row in shown if not row["errors"] and not row["skip"]),
        "earlier": earlier,
        "values_kind": values_kind,
    }
