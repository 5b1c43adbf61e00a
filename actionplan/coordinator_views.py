"""The coordinator's action plan pages: dashboard, plan editor, measure form, timeline, history, adoption.

Every view asks members.permissions.get_member_for_user first: anonymous users go to the login page
(@login_required), coordinators of other members get a 404, a role that may not act gets a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actionplan import history, services
from actionplan.embed_snippet import embed_code
from actionplan.forms import MeasureForm, PlanAdoptionForm, RemovalForm, TimelineEntryEditForm, TimelineEntryForm
from actionplan.models import ActionPlan, Commitment, Indicator, Measure
from actionplan.permissions import can_change_entry, get_timeline_entry_for_user
from core.files import StorageFailed
from core.submissions import submission_claim, submission_done
from core.versioning import EditConflict, edit_conflict_response
from members.models import CoordinatorAssignment, Member
from members.permissions import MemberAccess, get_member_for_user


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    active = Q(member__plan__measures__retired_at__isnull=True)
    assignments = (
        CoordinatorAssignment.objects.filter(user=request.user)
        .select_related("member", "member__plan")
        .prefetch_related("member__reports")  # the reports panel of every member, in one query
        .annotate(
            # One query for every member, however many measures: counts are computed in SQL.
            measure_count=Count("member__plan__measures", filter=active),
            public_count=Count("member__plan__measures", filter=active & Q(member__plan__measures__is_public=True)),
            commitments_covered=Count("member__plan__measures__commitment", filter=active, distinct=True),
        )
        .order_by("member__name")
    )
    return render(request, "actionplan/dashboard.html", {"assignments": assignments})


def _commitments() -> list[Commitment]:
    return list(Commitment.objects.all())


@login_required
@require_GET
def plan_editor(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member
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
    indicators: dict[int, list[Indicator]] = {c.pk: [] for c in commitments}
    if plan is not None:
        # Values prefetched: the latest value and the share toward the target without a query per indicator.
        for indicator in Indicator.objects.active().filter(plan=plan).select_related("measure").prefetch_related("values"):
            indicators[indicator.commitment_id].append(indicator)
    for commitment in commitments:
        commitment.plan_indicators = indicators[commitment.pk]  # this request's own objects
    context = {
        "member": member,
        "plan": plan,
        "groups": [(c, groups[c.pk]) for c in commitments],
        "retired": retired,
        "embed": embed_code(member=member, plan=plan),
    }
    return render(request, "actionplan/editor/plan_editor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    commitments = _commitments()
    commitment = next((c for c in commitments if c.number == number), None)
    if commitment is None:
        raise Http404
    measure = Measure(commitment=commitment, content_language=(request.LANGUAGE_CODE or "de")[:2])
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, commitments=commitments)
        if form.is_valid():
            token = form.cleaned_data.get("form_token")
            earlier = submission_claim(token=token, user=request.user)
            if earlier is not None:
                messages.info(request, _("This form had already been sent; the measure was saved once."))
                return redirect(earlier.target_url or reverse("actionplan:plan_editor", args=[member.slug]))
            measure = form.save(commit=False)
            measure.plan = services.plan_for_member(member=member)
            services.measure_save(measure=measure, expected_version=None, by=request.user)
            messages.success(request, _("The measure “%(title)s” has been added.") % {"title": measure.title})
            target = reverse("actionplan:plan_editor", args=[member.slug]) + f"#measure-{measure.pk}"
            submission_done(token=token, target_url=target)
            return redirect(target)
    else:
        form = MeasureForm(instance=measure, commitments=commitments)
    context = {"member": member, "form": form, "commitment": commitment, "measure": None}
    return render(request, "actionplan/editor/measure_form.html", context)


def _measure_page(request, access: MemberAccess, measure: Measure, form, update_form, conflict=None, status: int = 200):
    updates = list(measure.updates.select_related("author"))
    indicators = list(measure.indicators.active().prefetch_related("values"))
    for update in updates:
        update.can_change = can_change_entry(access, request.user, update)
    context = {
        "member": access.member,
        "measure": measure,
        "commitment": measure.commitment,
        "form": form,
        "update_form": update_form,
        "updates": updates,
        "indicators": indicators,
        "conflict": conflict,
    }
    return render(request, "actionplan/editor/measure_form.html", context, status=status)


def _get_measure(member: Member, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.active().select_related("commitment", "plan"), pk=pk, plan__member=member)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # The measure's fields and a new timeline entry are one form with one save: whichever button is pressed,
    # nothing typed anywhere on the page is dropped (an earlier separate entry form silently discarded edits).
    access = get_member_for_user(request, slug)
    member = access.member
    measure = get_object_or_404(Measure.objects.select_related("commitment", "plan"), pk=pk, plan__member=member)
    if measure.is_retired and request.method != "POST":
        raise Http404
    commitments = _commitments()
    conflict = None
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, commitments=commitments)
        update_form = TimelineEntryForm(request.POST)
        both_valid = form.is_valid() & update_form.is_valid()  # both, so that every error shows at once
        if measure.is_retired:
            # Retired while the user was typing: refuse, but show what they typed once more.
            conflict = {"rows": [], "current": measure}
        elif both_valid:
            entry_text = update_form.cleaned_data.get("text", "")
            try:
                services.measure_save(
                    measure=form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    entry_date=update_form.cleaned_data.get("date"),
                    entry_text=entry_text,
                )
            except EditConflict as exc:
                # Even if it was retired in the meantime, the page shows the user's typed values once more.
                return edit_conflict_response(
                    request,
                    exc,
                    form=form,
                    rebind=lambda data, current: MeasureForm(data, instance=current, commitments=commitments),
                    page=lambda form, conflict: _measure_page(
                        request, access, conflict["current"], form, TimelineEntryForm(request.POST), conflict
                    ),
                )
            if entry_text.strip():
                messages.success(
                    request, _("Your changes to “%(title)s” have been saved and the entry posted.") % {"title": measure.title}
                )
            else:
                messages.success(request, _("Your changes to “%(title)s” have been saved.") % {"title": measure.title})
            if request.POST.get("next") == "timeline":
                return redirect(reverse("actionplan:measure_edit", args=[member.slug, measure.pk]) + "#timeline-heading")
            # Back to the measure's own place in the plan, not to the top of a long page.
            return redirect(reverse("actionplan:plan_editor", args=[member.slug]) + f"#measure-{measure.pk}")
    else:
        form = MeasureForm(instance=measure, commitments=commitments)
        update_form = TimelineEntryForm()
    return _measure_page(request, access, measure, form, update_form, conflict, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "POST"])
def timeline_entry_edit(request: HttpRequest, slug: str, pk: int, entry_pk: int) -> HttpResponse:
    found = get_timeline_entry_for_user(request, slug, pk, entry_pk)
    member, measure, entry = found.access.member, found.measure, found.entry
    back = reverse("actionplan:measure_edit", args=[member.slug, measure.pk]) + "#timeline-heading"
    conflict = None
    if request.method == "POST":
        form = TimelineEntryEditForm(request.POST, instance=entry)
        if form.is_valid():
            try:
                services.timeline_entry_save(
                    entry=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
                )
            except EditConflict as exc:
                return edit_conflict_response(
                    request,
                    exc,
                    form=form,
                    rebind=lambda data, current: TimelineEntryEditForm(data, instance=current),
                    page=lambda form, conflict: render(
                        request,
                        "actionplan/editor/timeline_entry_form.html",
                        {"member": member, "measure": measure, "entry": conflict["current"], "form": form, "conflict": conflict},
                    ),
                )
            messages.success(request, _("The entry has been corrected. The history keeps what it said before."))
            return redirect(back)
    else:
        form = TimelineEntryEditForm(instance=entry)
    context = {"member": member, "measure": measure, "entry": entry, "form": form, "conflict": conflict, "back": back}
    return render(request, "actionplan/editor/timeline_entry_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def timeline_entry_remove(request: HttpRequest, slug: str, pk: int, entry_pk: int) -> HttpResponse:
    found = get_timeline_entry_for_user(request, slug, pk, entry_pk)
    member, measure, entry = found.access.member, found.measure, found.entry
    form = RemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        context = {"member": member, "measure": measure, "entry": entry, "form": form}
        return render(request, "actionplan/editor/timeline_entry_remove.html", context, status=400 if form.errors else 200)
    services.timeline_entry_remove(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The entry has been removed. The history keeps it."))
    return redirect(reverse("actionplan:measure_edit", args=[member.slug, measure.pk]) + "#timeline-heading")


@login_required
@require_http_methods(["GET", "POST"])
def measure_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
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


@login_required
@require_GET
def measure_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug).member
    measure = get_object_or_404(Measure.objects.select_related("commitment"), pk=pk, plan__member=member)
    context = {"member": member, "measure": measure, "entries": history.measure_history(measure)}
    return render(request, "actionplan/editor/measure_history.html", context)


# Not one transaction for the request: the service's own transaction decides whether the new file stays
# (it is deleted again when that transaction fails; core/files.py).
@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, slug: str) -> HttpResponse:
    # Recording the council's adoption is the lead coordinator's act.
    member = get_member_for_user(request, slug, lead=True).member
    plan = ActionPlan.objects.filter(member=member).first() or ActionPlan(member=member)
    status = 200
    if request.method == "POST":
        form = PlanAdoptionForm(request.POST, request.FILES, instance=plan)
        if form.is_valid():
            try:
                services.plan_adoption_save(
                    plan=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
                )
            except EditConflict as exc:
                return edit_conflict_response(
                    request,
                    exc,
                    form=form,
                    rebind=lambda data, current: PlanAdoptionForm(data, instance=current),
                    page=lambda form, conflict: render(
                        request,
                        "actionplan/editor/adoption_form.html",
                        {"member": member, "plan": conflict["current"], "form": form, "conflict": conflict},
                    ),
                )
            except (StorageFailed, services.ResolutionRefused) as error:
                # Nothing was saved: the page keeps what was typed and says why; the file must be chosen again.
                plan = ActionPlan.objects.filter(member=member).first() or ActionPlan(member=member)
                form = PlanAdoptionForm(request.POST, instance=plan)
                form.is_valid()
                form.add_error("resolution_document", error)
                status = 503 if isinstance(error, StorageFailed) else 400
            else:
                messages.success(request, _("The adoption of the plan has been saved."))
                return redirect("actionplan:dashboard")
    else:
        form = PlanAdoptionForm(instance=plan)
    return render(request, "actionplan/editor/adoption_form.html", {"member": member, "plan": plan, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def resolution_remove(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the confirmation page; POST: remove the council resolution (the history keeps the removal)."""
    member = get_member_for_user(request, slug, lead=True).member
    plan = ActionPlan.objects.filter(member=member).first()
    if request.method == "GET":
        if plan is None or not plan.resolution_document:
            messages.info(request, _("There is no council resolution to remove."))
            return redirect("actionplan:adoption_edit", slug=member.slug)
        return render(request, "actionplan/editor/resolution_remove.html", {"member": member, "plan": plan})
    if plan is not None and services.plan_resolution_remove(plan=plan, by=request.user):
        messages.success(request, _("The council resolution has been removed. The history keeps who removed it and when."))
    else:
        messages.info(request, _("There is no council resolution to remove."))
    return redirect("actionplan:adoption_edit", slug=member.slug)
