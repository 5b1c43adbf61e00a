"""The members import in the admin: the template, the upload, the preview of every row, the confirmation.

An upload is checked at once. Only a file whose every row is valid is kept (as a MemberImport) and can be
confirmed; the confirmation imports the kept rows, so the file is never uploaded twice.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.countries import country_name
from core.tabular import MAX_BYTES, SpreadsheetError, read_table
from members.member_import import sheet
from members.member_import.services import member_import_carry_out, members_existing_keys
from members.models import IMPORT_MEMBERS, MemberImport, MemberKind, format_partial_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MemberImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("At most 2 MB and 1,000 rows."),
        widget=forms.FileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 2 MB. Split it into several files."))
        return upload


class MemberImportAdminMixin:
    """For MemberAdmin: "Import members" pages under the member changelist, for holders of members.import_members."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_upload_view), name="members_member_import"),
            path("import/template.<str:fmt>", view(self.import_template_view), name="members_member_import_template"),
            path("import/<int:pk>/", view(self.import_preview_view), name="members_member_import_preview"),
            path("import/<int:pk>/confirm/", view(require_POST(self.import_confirm_view)), name="members_member_import_confirm"),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm(IMPORT_MEMBERS):
            raise PermissionDenied

    def _import_context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request), "opts": opts, "title": title,
            "changelist_url": reverse("admin:members_member_changelist"),
            "import_url": reverse("admin:members_member_import"), **extra,
        }

    def import_template_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        self._check_import_permission(request)
        lang = "en" if (getattr(request, "LANGUAGE_CODE", "") or "de").startswith("en") else "de"
        name = "mitglieder-vorlage" if lang == "de" else "members-template"
        if fmt == "csv":
            response = HttpResponse(sheet.template_csv(lang), content_type="text/csv; charset=utf-8")
        elif fmt == "xlsx":
            response = HttpResponse(sheet.template_xlsx(lang), content_type=XLSX_TYPE)
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response

    def import_upload_view(self, request: HttpRequest) -> HttpResponse:
        self._check_import_permission(request)
        form = MemberImportUploadForm(request.POST, request.FILES) if request.method == "POST" else MemberImportUploadForm()
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                rows = sheet.check_rows(read_table(data), existing=members_existing_keys())
            except SpreadsheetError as error:
                form.add_error("file", str(error))
            else:
                content_hash = hashlib.sha256(data).hexdigest()
                file_name = (upload.name or "")[:255]
                if any(row.errors for row in rows) or all(row.skip for row in rows):
                    # Nothing that could be confirmed: the preview says why, and the form is there for the next try.
                    shown = [row.as_json() | {"errors": row.errors} for row in rows]
                    context = self._preview_context(request, file_name, shown, _earlier_import(content_hash))
                    return TemplateResponse(request, "admin/members/member/import_preview.html", {**context, "form": MemberImportUploadForm()})
                member_import = MemberImport.objects.create(
                    uploaded_by=request.user, file_name=file_name, content_hash=content_hash, rows=[row.as_json() for row in rows],
                )
                return HttpResponseRedirect(reverse("admin:members_member_import_preview", args=[member_import.pk]))
        context = self._import_context(request, gettext("Import members"), form=form, notes=sheet.column_notes())
        return TemplateResponse(request, "admin/members/member/import.html", context, status=400 if form.errors else 200)

    def import_preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check_import_permission(request)
        member_import = get_object_or_404(MemberImport.objects.select_related("imported_by"), pk=pk)
        earlier = _earlier_import(member_import.content_hash, exclude=member_import.pk)
        context = self._preview_context(request, member_import.file_name, member_import.rows, earlier)
        context["member_import"] = member_import
        return TemplateResponse(request, "admin/members/member/import_preview.html", context)

    def import_confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check_import_permission(request)
        member_import = get_object_or_404(MemberImport, pk=pk)
        created = member_import_carry_out(member_import=member_import, by=request.user)
        if created is None:
            self.message_user(request, gettext("This import has already been carried out; nothing was imported twice."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:members_member_import_preview", args=[member_import.pk]))
        text = ngettext("%(count)d member has been imported.", "%(count)d members have been imported.", created) % {"count": created}
        if member_import.skipped_count:
            text += " " + ngettext(
                "%(count)d row was already in the portal and was skipped.", "%(count)d rows were already in the portal and were skipped.",
                member_import.skipped_count,
            ) % {"count": member_import.skipped_count}
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:members_member_changelist"))

    def _preview_context(self, request: HttpRequest, file_name: str, rows: list[dict], earlier) -> dict[str, Any]:
        kinds = dict(MemberKind.choices)
        shown = []
        for row in rows:
            values = row["values"]
            admitted = parse_date(values["admitted_on"]) if values.get("admitted_on") else None
            shown.append({
                "line": row["line"], "errors": row.get("errors", []), "skip": row["skip"],
                "name": values.get("name", ""),
                "authorities": [name for name, _kind in values.get("authorities", [])],
                "kind": kinds.get(values.get("kind"), ""),
                "country": country_name(values["country"]) if values.get("country") else "",
                "region": values.get("region", ""),
                "population": values.get("population"),
                "admitted": format_partial_date(admitted, values.get("admitted_precision", "day")) if admitted else "",
                "contact": values.get("contact"),
            })
        return self._import_context(
            request, gettext("Check the members import"), file_name=file_name, rows=shown, earlier=earlier,
            error_count=sum(1 for row in shown if row["errors"]),
            skip_count=sum(1 for row in shown if row["skip"] and not row["errors"]),
            create_count=sum(1 for row in shown if not row["errors"] and not row["skip"]),
        )


def _earlier_import(content_hash: str, exclude: int | None = None) -> MemberImport | None:
    earlier = MemberImport.objects.filter(content_hash=content_hash, imported_at__isnull=False)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    return earlier.select_related("imported_by").order_by("-imported_at").first()
