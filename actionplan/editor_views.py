"""The coordinator's pages: plan editor, measure form, timeline, history, profile and adoption.

Every view asks members.permissions.get_member_for_user first: anonymous users go to the login page
(@login_required), coordinators of other members get a 404, a role that may not act gets a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplan import services
from actionplan.forms import ContactFormSet, MeasureForm, MemberProfileForm, PlanAdoptionForm, TimelineEntryForm
from actionplan.models import ActionPlan, Commitment, Measure, MeasureStatus, MeasureUpdate
from members.models import CoordinatorRole, Member, User
from members.permissions import get_member_for_user



def _display(field, value: Any) -> str:
    """A value as a person reads it, for the conflict table and the history."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices if k != ""}
        key = str(getattr(value, "pk", value))
        if key in labels:
            return labels[key]
    return str(value)


def _conflict_rows(form: BaseForm, current) -> list[dict[str, str]]:
    """Fields where the user's unsaved value differs from what the other person saved."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        mine = form.cleaned_data[name]
        theirs = getattr(current, name)
        if hasattr(mine, "pk"):
            mine = mine.pk
        if hasattr(theirs, "pk"):
            theirs = theirs.pk
        # An empty text field and "not stated" are the same to a reader; 0 is not.
        if (None if mine == "" else mine) != (None if theirs == "" else theirs):
            if name == "resolution_document":
                mine, theirs = (getattr(mine, "name", mine), getattr(theirs, "name", theirs))
            rows.append({"label": str(field.label), "theirs": _display(field, theirs), "mine": _display(field, mine)})
    return rows


def _rebind_after_conflict(form_class, request: HttpRequest, current, **kwargs):
    """The user's typed values, now based on the current version: saving again is a deliberate overwrite."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    return form_class(data, request.FILES or None, instance=current, **kwargs)


def _commitments() -> list[Commitment]:
    return list(Commitment.objects.all())


@login_required
@require_GET
def plan_editor(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug)
    plan = ActionPlan.objects.filter(member=member).first()
    commitments = _commitments()
    groups: dict[int, list[Measure]] = {c.pk: [] for c in commitments}
    retired: list[Measure] = []
    if plan is not None:
        measures = (
            Measure.objects.filter(plan=plan)
            .annotate(update_count=Count("updates"))
            .only("title", "status", "progress", "is_public", "commitment_id", "retired_at", "updated_at", "content_language")
            .order_by("commitment__number", "title")
        )
        for measure in measures:
            (retired if measure.is_retired else groups[measure.commitment_id]).append(measure)
    context = {
        "member": member,
        "plan": plan,
        "groups": [(c, groups[c.pk]) for c in commitments],
        "retired": retired,
    }
    return render(request, "actionplan/editor/plan_editor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    member = get_member_for_user(request, slug)
    commitments = _commitments()
    commitment = next((c for c in commitments if c.number == number), None)
    if commitment is None:
        raise Http404
    measure = Measure(commitment=commitment, content_language=(request.LANGUAGE_CODE or "de")[:2])
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, commitments=commitments)
        if form.is_valid():
            measure = form.save(commit=False)
            measure.plan = services.plan_for_member(member=member)
            services.measure_save(measure=measure, expected_version=None, by=request.user)
            messages.success(request, _("The measure “%(title)s” has been added.") % {"title": measure.title})
            return redirect("actionplan:plan_editor", slug=member.slug)
    else:
        form = MeasureForm(instance=measure, commitments=commitments)
    context = {"member": member, "form": form, "commitment": commitment, "measure": None}
    return render(request, "actionplan/editor/measure_form.html", context)


def _measure_page(request, member: Member, measure: Measure, form, update_form, conflict=None, status: int = 200):
    updates = list(measure.updates.select_related("author"))
    context = {
        "member": member,
        "measure": measure,
        "commitment": measure.commitment,
        "form": form,
        "update_form": update_form,
        "updates": updates,
        "conflict": conflict,
    }
    return render(request, "actionplan/editor/measure_form.html", context, status=status)


def _get_measure(member: Member, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.active().select_related("commitment", "plan"), pk=pk, plan__member=member)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug)
    measure = get_object_or_404(Measure.objects.select_related("commitment", "plan"), pk=pk, plan__member=member)
    if measure.is_retired and request.method != "POST":
        raise Http404
    commitments = _commitments()
    conflict = None
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, commitments=commitments)
        if measure.is_retired:
            # Retired while the user was typing: refuse, but show what they typed once more.
            form.is_valid()
            conflict = {"rows": [], "current": measure}
        elif form.is_valid():
            try:
                services.measure_save(
                    measure=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
                )
            except services.EditConflict as exc:
                conflict = {"rows": _conflict_rows(form, exc.current), "current": exc.current}
                form = _rebind_after_conflict(MeasureForm, request, exc.current, commitments=commitments)
                form.is_valid()
                # Even if it was retired in the meantime, the page shows the user's typed values once more.
                measure = exc.current
            else:
                messages.success(request, _("Your changes to “%(title)s” have been saved.") % {"title": measure.title})
                return redirect("actionplan:plan_editor", slug=member.slug)
    else:
        form = MeasureForm(instance=measure, commitments=commitments)
    return _measure_page(request, member, measure, form, TimelineEntryForm(), conflict, status=409 if conflict else 200)


@login_required
@require_POST
def measure_timeline_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug)
    measure = _get_measure(member, pk)
    update_form = TimelineEntryForm(request.POST)
    if not update_form.is_valid():
        form = MeasureForm(instance=measure, commitments=_commitments())
        return _measure_page(request, member, measure, form, update_form)
    services.timeline_entry_post(
        measure=measure,
        date=update_form.cleaned_data["date"],
        text=update_form.cleaned_data["text"],
        status_change=update_form.cleaned_data["status_change"],
        by=request.user,
    )
    messages.success(request, _("The update has been posted."))
    return redirect("actionplan:measure_edit", slug=member.slug, pk=measure.pk)


@login_required
@require_http_methods(["GET", "POST"])
def measure_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug)
    measure = _get_measure(member, pk)
    if request.method == "GET":
        # A second step with a clear warning: retiring is not undone by the coordinator (no inline JS confirm).
        return render(request, "actionplan/editor/measure_retire.html", {"member": member, "measure": measure})
    measure.retire(by=request.user)
    messages.success(
        request,
        _("“%(title)s” has been retired. It no longer appears in the plan; its history is kept and the secretariat can restore it.")
        % {"title": measure.title},
    )
    return redirect("actionplan:plan_editor", slug=member.slug)


# Fields whose stored value is an id; shown by a readable name.
_HISTORY_SKIP = {"id", "plan", "content_language", "source"}


@login_required
@require_GET
def measure_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug)
    measure = get_object_or_404(Measure.objects.select_related("commitment"), pk=pk, plan__member=member)
    records = list(measure.history.select_related("history_user").order_by("history_date", "history_id"))
    commitments = {c.pk: str(c) for c in _commitments()}
    user_ids = {r.retired_by_id for r in records if r.retired_by_id}
    users = {u.pk: u.get_username() for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    fields = {f.name: f for f in Measure._meta.fields}
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is None:
            kind = _("created")
        else:
            kind = _("changed")
            for change in record.diff_against(previous).changes:
                if change.field in _HISTORY_SKIP:
                    continue
                field = fields[change.field]
                old, new = change.old, change.new
                if change.field == "commitment":
                    old, new = commitments.get(old, old), commitments.get(new, new)
                elif change.field == "retired_by":
                    old, new = users.get(old, old), users.get(new, new)
                changes.append(
                    {"label": str(field.verbose_name), "old": _display(field, old), "new": _display(field, new)}
                )
        entries.append({"record": record, "kind": kind, "changes": changes})
        previous = record
    entries.reverse()
    return render(
        request, "actionplan/editor/measure_history.html", {"member": member, "measure": measure, "entries": entries}
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug)
    conflict = None
    status = 200
    if request.method == "POST":
        form = MemberProfileForm(request.POST, instance=member)
        formset = ContactFormSet(request.POST, instance=member, prefix="contacts")
        if form.is_valid() and formset.is_valid():
            try:
                services.member_profile_save(
                    member=form.save(commit=False),
                    contact_formset=formset,
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.EditConflict as exc:
                current = exc.current
                conflict = {
                    "rows": _conflict_rows(form, current),
                    "current": current,
                    "contacts": list(current.contacts.all()),
                }
                form = _rebind_after_conflict(MemberProfileForm, request, current)
                form.is_valid()
                status = 409
            else:
                messages.success(request, _("The profile has been saved."))
                return redirect("actionplan:dashboard")
    else:
        form = MemberProfileForm(instance=member)
        formset = ContactFormSet(instance=member, prefix="contacts")
    context = {"member": member, "form": form, "formset": formset, "conflict": conflict}
    return render(request, "actionplan/editor/profile_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, slug: str) -> HttpResponse:
    # Recording the council's adoption is the lead coordinator's act.
    member = get_member_for_user(request, slug, lead=True)
    plan = ActionPlan.objects.filter(member=member).first() or ActionPlan(member=member)
    conflict = None
    status = 200
    if request.method == "POST":
        form = PlanAdoptionForm(request.POST, request.FILES, instance=plan)
        if form.is_valid():
            try:
                services.plan_adoption_save(
                    plan=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
                )
            except services.EditConflict as exc:
                conflict = {"rows": _conflict_rows(form, exc.current), "current": exc.current}
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = PlanAdoptionForm(data, instance=exc.current)
                form.is_valid()
                plan = exc.current
                status = 409
            else:
                messages.success(request, _("The adoption of the plan has been saved."))
                return redirect("actionplan:dashboard")
    else:
        form = PlanAdoptionForm(instance=plan)
    context = {"member": member, "plan": plan, "form": form, "conflict": conflict}
    return render(request, "actionplan/editor/adoption_form.html", context, status=status)
