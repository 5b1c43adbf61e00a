"""The coordinator's report pages under /<lang>/dashboard/<member>/reports/: create, edit, upload, submit.

Every view starts with the permission helper: outsiders get 404, a missing role 403.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from actionplan.models import Commitment
from core.submissions import submission_claim, submission_done
from core.versioning import EditConflict, edit_conflict_response
from members.permissions import MemberAccess, get_member_for_user
from reports.forms import DOCUMENT_FIELDS, ReportEditForm, ReportPeriodForm
from core.files import StorageFailed
from reports.models import ImplementationReport, ReportDraft, ReportStatus, ReportTransitionError
from reports.services import (
    dashboard_reports,
    report_create,
    report_draft_discard,
    report_draft_keep,
    report_next_period,
)
from reports.snapshot import build_snapshot, live_groups, snapshot_groups


@login_required
def member_reports(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_member_for_user(request, slug)
    return render(request, "reports/member_reports.html", {**dashboard_reports(member=access.member), "role": access.role})


@login_required
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    period = report_next_period(member=member)
    initial = {"period_start": period[0].isoformat(), "period_end": period[1].isoformat()} if period else {}
    form = ReportPeriodForm(member=member, initial=initial)
    context = {"member": member, "form": form, "prefilled": bool(period), "open_draft": _open_draft(member)}
    return render(request, "reports/report_new.html", context)


def _open_draft(member) -> ImplementationReport | None:
    return member.reports.filter(status=ReportStatus.DRAFT).order_by("-period_end").first()


@login_required
@require_POST
def report_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    form = ReportPeriodForm(request.POST, member=member)
    if not form.is_valid():
        context = {"member": member, "form": form, "open_draft": _open_draft(member)}
        return render(request, "reports/report_new.html", context, status=400)
    token = form.cleaned_data.get("form_token")
    earlier = submission_claim(token=token, user=request.user)
    if earlier is not None:
        messages.info(request, _("This form had already been sent; the draft report was created once."))
        return redirect(earlier.target_url or reverse("reports:member_reports", args=[member.slug]))
    report = report_create(member=member, start=form.cleaned_data["period_start"], end=form.cleaned_data["period_end"], by=request.user)
    messages.success(request, _("The draft report has been created. It is pre-filled from your action plan."))
    target = reverse("reports:edit", kwargs={"slug": member.slug, "pk": report.pk})
    submission_done(token=token, target_url=target)
    return redirect(target)


def _report_for(request: HttpRequest, slug: str, pk: int, *, lead: bool = False) -> tuple[MemberAccess, ImplementationReport]:
    access = get_member_for_user(request, slug, lead=lead)
    report = get_object_or_404(ImplementationReport.objects.select_related("member"), pk=pk, member=access.member)
    return access, report


def _initial(report: ImplementationReport, narratives) -> dict:
    initial = {"version": report.version, "title": report.title, "summary": report.summary}
    initial.update({f"narrative_{n.commitment.number}": n.text for n in narratives})
    return initial


def _draft_initial(draft: ReportDraft) -> dict:
    # The version the typing started from: saving it over a later save by someone else merges (save_draft).
    initial = {"version": draft.base_version, "title": draft.title, "summary": draft.summary}
    initial.update({f"narrative_{number}": text for number, text in draft.narratives.items()})
    return initial


def _editor(
    request,
    access: MemberAccess,
    report,
    form=None,
    *,
    conflict=None,
    text_saved: bool = False,
    draft: ReportDraft | None = None,
    restored: bool = False,
    status: int = 200,
) -> HttpResponse:
    narratives = list(report.narratives.select_related("commitment"))
    commitments = list(Commitment.objects.all())
    if form is None:
        initial = _draft_initial(draft) if restored and draft else _initial(report, narratives)
        form = ReportEditForm(initial=initial, commitments=commitments)
    offered = draft is not None and not restored and draft.differs_from(report, {n.commitment.number: n.text for n in narratives})
    if report.snapshot:
        groups = snapshot_groups(report.snapshot, narratives)
    else:
        groups = live_groups(report, narratives)
    for group in groups:
        group.field = form[f"narrative_{group.number}"] if f"narrative_{group.number}" in form.fields else None
    context = {
        "member": access.member,
        "report": report,
        "form": form,
        "groups": groups,
        "documents": list(report.documents.all()),
        "can_submit": access.is_lead,
        "conflict": conflict,
        "text_saved": text_saved,
        # Beside each narrative both changed (every narrative when the whole form is the conflict).
        "conflict_narratives": {
            n.commitment.number: n.text
            for n in narratives
            if conflict.get("fields") is None or f"narrative_{n.commitment.number}" in conflict["fields"]
        } if conflict else {},
        "transitions": list(report.transitions.select_related("by")),
        "draft_offered": draft if offered else None,
        "draft_restored": draft if restored and draft else None,
        "draft_outdated": bool(restored and draft and draft.base_version != report.version),
        "period_changes": list(report.period_changes.select_related("by")),
        "is_lead": access.is_lead,
        "ready_by": report.ready_by if report.ready_at else None,
    }
    return render(request, "reports/report_edit.html", context, status=status)


@login_required
def report_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _report_for(request, slug, pk)
    draft = ReportDraft.objects.filter(report=report, user=request.user).first() if report.is_editable else None
    return _editor(request, access, report, draft=draft, restored=draft is not None and request.GET.get("draft") == "restore")


def _save(request, access: MemberAccess, report) -> HttpResponse | None:
    """Save the posted draft; on any problem return the editor with every typed value kept.

    The text is saved whenever the text fields are valid: a faulty document (a wrong file, a missing title)
    never blocks it. The editor then shows the document's errors, and that the text is saved.
    """
    commitments = list(Commitment.objects.all())
    form = ReportEditForm(request.POST, request.FILES, commitments=commitments)
    form.is_valid()
    if not form.text_is_valid:
        return _editor(request, access, report, form, status=400)
    try:
        report.save_draft(
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            narratives=form.narratives(),
            by=request.user,
        )
    except EditConflict as exc:
        # The narratives of the other version are shown beside each narrative field, title and summary above.
        return edit_conflict_response(
            request,
            exc,
            form=form,
            rebind=lambda data, current: ReportEditForm(_with_their_narratives(data, current, exc.theirs), commitments=commitments),
            page=lambda form, conflict: _editor(request, access, conflict["current"], form, conflict=conflict),
            values={"title": exc.current.title, "summary": exc.current.summary},
            fields=exc.fields,
        )
    except ReportTransitionError as error:
        messages.error(request, error.messages[0])
        return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
    # What the script kept of this typing is in the report now; a kept text the page only offered (neither
    # restored nor discarded) is not in this form, so it stays for later.
    if request.POST.get("draft_offered") != "1":
        report_draft_discard(report=report, user=request.user)
    if form.document_errors:
        return _text_saved(request, access, report, commitments)
    upload = form.cleaned_data.get("document_file")
    if upload:
        try:
            report.add_document(
                file=upload, language=form.cleaned_data["document_language"], title=form.cleaned_data["document_title"], by=request.user
            )
        except ReportTransitionError as error:
            messages.error(request, error.messages[0])
            return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
        except ValidationError as error:
            # Over a quota (400) or the storage failed (503): the text is saved already, the document is not.
            status = 503 if isinstance(error, StorageFailed) else 400
            return _text_saved(request, access, report, commitments, document_error=error, status=status)
    return None


def _with_their_narratives(data: QueryDict, current: ImplementationReport, theirs: list[str]) -> QueryDict:
    """The re-shown form takes the colleague's text for the narratives only they changed (title and summary are
    taken by `rebased_data`), so that saving again reverts none of them."""
    names = {name for name in theirs if name.startswith("narrative_")}
    if names:
        data = data.copy()
        for number, text in current.narratives.values_list("commitment__number", "text"):
            if f"narrative_{number}" in names:
                data[f"narrative_{number}"] = text
    return data


def _text_saved(request, access: MemberAccess, report, commitments, *, document_error=None, status: int = 400) -> HttpResponse:
    """The editor after the text was saved but the document was not: every typed value kept, the errors shown."""
    data = request.POST.copy()
    data["version"] = str(report.version)  # the saved text is the base of the next save
    # After a refused document the upload is not checked again: the storage may have moved or cut it, and
    # the page asks to choose the file again anyway.
    files = request.FILES if document_error is None else None
    rebound = ReportEditForm(data, files, commitments=commitments)
    rebound.is_valid()
    if document_error is not None:
        rebound.add_error("document_file", document_error)
    return _editor(request, access, report, rebound, text_saved=True, status=status)


# Not one transaction for the request: the text and the document commit on their own (the text is kept when
# the document fails), and the document's file is deleted again when its own transaction fails (core/files.py).
@transaction.non_atomic_requests
@login_required
@require_POST
def report_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _report_for(request, slug, pk)
    if refused := _save(request, access, report):
        return refused
    if request.POST.get("next") == "review":
        return redirect("reports:review", slug=access.member.slug, pk=report.pk)
    if request.POST.get("next") == "ready":
        try:
            report.mark_ready(by=request.user)
        except ReportTransitionError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The draft has been saved and marked as ready; the lead coordinator has been told by e-mail."))
        return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
    messages.success(request, _("The draft has been saved."))
    return redirect(reverse("reports:edit", kwargs={"slug": access.member.slug, "pk": report.pk}) + _commitment_anchor(request))


def _commitment_anchor(request: HttpRequest) -> str:
    """Back to the commitment whose save button was pressed; anything but a commitment's number is ignored."""
    number = request.POST.get("commitment", "")
    if re.fullmatch(r"[0-9]{1,2}", number) and Commitment.objects.filter(number=int(number)).exists():
        return f"#commitment-{int(number)}"
    return ""


@login_required
@require_POST
def report_draft_keep_view(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The editor's script keeps what is typed, a few seconds after typing and when a field is left."""
    access, report = _report_for(request, slug, pk)
    if not report.is_editable:
        return JsonResponse({"message": _("This report can no longer be changed; nothing was kept.")}, status=409)
    form = ReportEditForm(request.POST, commitments=list(Commitment.objects.all()))
    form.is_valid()
    if form.cleaned_data.get("version", 0) > report.version:
        # No typing starts from a version the report never had (and the column could not hold every number).
        form.add_error(
            "version", _("This form is out of date. Nothing was saved: please reload the page and make your change again.")
        )
    if not form.text_is_valid:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items() if name not in DOCUMENT_FIELDS}
        return JsonResponse(
            {"message": _("Your typing could not be kept as a draft: please correct the marked fields and save."), "errors": errors},
            status=400,
        )
    draft = ReportDraft(
        report=report,
        user=request.user,
        base_version=form.cleaned_data["version"],
        title=form.cleaned_data["title"],
        summary=form.cleaned_data["summary"],
        narratives={str(number): text for number, text in form.narratives().items()},
    )
    saved = dict(report.narratives.values_list("commitment__number", "text"))
    if not draft.differs_from(report, saved):
        # Typed back to what is saved, or a late request after the save itself: nothing to keep.
        report_draft_discard(report=report, user=request.user)
        return JsonResponse({"message": _("Everything you typed is saved.")})
    draft = report_draft_keep(
        report=report,
        user=request.user,
        base_version=draft.base_version,
        title=draft.title,
        summary=draft.summary,
        narratives=form.narratives(),
    )
    kept_at = formats.time_format(timezone.localtime(draft.updated_at), "TIME_FORMAT")
    return JsonResponse(
        {
            "kept_at": draft.updated_at.isoformat(),
            "message": _("Your typing was kept as a draft at %(time)s. It becomes part of the report when you save.") % {"time": kept_at},
        }
    )


@login_required
@require_POST
def report_draft_discard_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _report_for(request, slug, pk)
    if report_draft_discard(report=report, user=request.user):
        messages.success(request, _("The kept text has been discarded."))
    return redirect("reports:edit", slug=access.member.slug, pk=report.pk)


@login_required
@require_GET
def report_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Exactly what the secretariat will receive: the snapshot as it would be frozen now, then the confirmation."""
    access, report = _report_for(request, slug, pk)
    if not report.is_editable:
        return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
    narratives = list(report.narratives.select_related("commitment"))
    context = {
        "member": access.member,
        "report": report,
        "groups": snapshot_groups(build_snapshot(report), narratives),
        "documents": list(report.documents.all()),
        "can_submit": access.is_lead,
        "no_narrative": not any(n.text.strip() for n in narratives),
    }
    return render(request, "reports/report_review.html", context)


@login_required
@require_POST
def report_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, report = _report_for(request, slug, pk, lead=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # a form without the previewed version is never submitted
    try:
        report.submit(by=request.user, expected_version=version)
    except ReportTransitionError as error:
        messages.error(request, error.messages[0])
        target = "reports:review" if report.is_editable else "reports:edit"
        return redirect(target, slug=access.member.slug, pk=report.pk)
    messages.success(request, _("The report has been submitted to the secretariat. It can no longer be changed."))
    return redirect("reports:edit", slug=access.member.slug, pk=report.pk)


@login_required
@require_POST
def document_delete(request: HttpRequest, slug: str, pk: int, document_pk: int) -> HttpResponse:
    access, report = _report_for(request, slug, pk)
    document = get_object_or_404(report.documents, pk=document_pk)
    try:
        report.remove_document(document=document, by=request.user)
    except ReportTransitionError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The document has been removed."))
    return redirect("reports:edit", slug=access.member.slug, pk=report.pk)
