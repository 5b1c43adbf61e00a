"""The coordinator's indicator pages: add an indicator to a commitment or a measure, edit it with its dated
values, correct or remove a value, retire the indicator.

As on the measure pages, every view asks members.permissions.get_member_for_user first: anonymous users go to
the login page, coordinators of other members get a 404. Every coordinator of the member may change its
indicators and their values (the figures are the team's, unlike a signed timeline entry).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actionplan import history, services
from actionplan.forms import IndicatorForm, IndicatorValueEditForm, IndicatorValueForm, RemovalForm
from actionplan.models import Commitment, Indicator, IndicatorValue, Measure
from core.submissions import submission_claim, submission_done
from core.versioning import EditConflict, edit_conflict_response
from members.models import Member
from actionplan.permissions import get_indicator_for_user, get_indicator_value_for_user
from members.permissions import get_member_for_user


def _indicator_url(member: Member, indicator: Indicator, anchor: str = "") -> str:
    return reverse("actionplan:indicator_edit", args=[member.slug, indicator.pk]) + anchor


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    """?commitment=<number> for an indicator under a commitment, ?measure=<pk> for one of a measure."""
    member = get_member_for_user(request, slug).member
    measure = None
    if (measure_pk := _int_param(request, "measure")) is not None:
        measure = get_object_or_404(Measure.objects.active().select_related("commitment"), pk=measure_pk, plan__member=member)
        commitment = measure.commitment
    elif (number := _int_param(request, "commitment")) is not None:
        commitment = get_object_or_404(Commitment, number=number)
    else:
        raise Http404
    indicator = Indicator(commitment=commitment, measure=measure)
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator)
        if form.is_valid():
            token = form.cleaned_data.get("form_token")
            earlier = submission_claim(token=token, user=request.user)
            if earlier is not None:
                messages.info(request, _("This form had already been sent; the indicator was saved once."))
                return redirect(earlier.target_url or reverse("actionplan:plan_editor", args=[member.slug]))
            indicator = services.indicator_create(indicator=form.save(commit=False), member=member, measure=measure, by=request.user)
            messages.success(
                request, _("The indicator “%(name)s” has been added. Enter its values below.") % {"name": indicator.name}
            )
            target = _indicator_url(member, indicator, "#values-heading")
            submission_done(token=token, target_url=target)
            return redirect(target)
    else:
        form = IndicatorForm(instance=indicator)
    context = {"member": member, "form": form, "commitment": commitment, "measure": measure, "indicator": None}
    return render(request, "actionplan/editor/indicator_form.html", context, status=400 if form.errors else 200)


def _indicator_page(request, member: Member, indicator: Indicator, form, value_form, conflict=None, status: int = 200):
    # The chart and table show what is stored, not what is being typed.
    shown = Indicator.objects.prefetch_related("values").get(pk=indicator.pk)
    context = {
        "member": member,
        "indicator": indicator,
        "shown": shown,
        "values": list(shown.values.all()),
        "commitment": indicator.commitment,
        "measure": indicator.measure,
        "form": form,
        "value_form": value_form,
        "conflict": conflict,
    }
    return render(request, "actionplan/editor/indicator_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # The indicator's fields and a new value are one form with one save, as on the measure page: whichever
    # button is pressed, nothing typed on the page is dropped.
    member, indicator = get_indicator_for_user(request, slug, pk, retired=True)
    if indicator.is_retired and request.method != "POST":
        raise Http404
    conflict = None
    status = 200
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator)
        # Validated first: a new value is checked against the baseline as typed on this page.
        form_valid = form.is_valid()
        value_form = IndicatorValueForm(request.POST, instance=IndicatorValue(indicator=indicator))
        value_valid = value_form.is_valid()
        if indicator.is_retired:
            conflict = {"rows": [], "current": indicator}
        elif form_valid and value_valid:
            new_value = value_form.save(commit=False) if value_form.has_value else None
            try:
                services.indicator_save(
                    indicator=form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    new_value=new_value,
                )
            except EditConflict as exc:
                return edit_conflict_response(
                    request,
                    exc,
                    form=form,
                    rebind=lambda data, current: IndicatorForm(data, instance=current),
                    page=lambda form, conflict: _indicator_page(
                        request, member, conflict["current"], form,
                        IndicatorValueForm(request.POST, instance=IndicatorValue(indicator=conflict["current"])), conflict,
                    ),
                )
            except ValidationError as exc:
                # The date was taken in another tab meanwhile: the service's transaction undid both saves.
                value_form.add_error("date", exc.error_dict["date"])
                return _indicator_page(request, member, indicator, form, value_form, status=400)
            if new_value is not None:
                messages.success(request, _("The value of %(date)s has been added.") % {"date": formats.date_format(new_value.date, "DATE_FORMAT")})
                return redirect(_indicator_url(member, indicator, "#values-heading"))
            messages.success(request, _("Your changes to “%(name)s” have been saved.") % {"name": indicator.name})
            if request.POST.get("next") == "values":
                return redirect(_indicator_url(member, indicator, "#values-heading"))
            return redirect(reverse("actionplan:plan_editor", args=[member.slug]) + f"#indicator-{indicator.pk}")
        status = 409 if conflict else 400
    else:
        form = IndicatorForm(instance=indicator)
        value_form = IndicatorValueForm(instance=IndicatorValue(indicator=indicator))
    return _indicator_page(request, member, indicator, form, value_form, conflict, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_edit(request: HttpRequest, slug: str, pk: int, value_pk: int) -> HttpResponse:
    member, indicator, value = get_indicator_value_for_user(request, slug, pk, value_pk)
    back = _indicator_url(member, indicator, "#values-heading")

    def page(form, conflict=None, current=value, status=200):
        context = {"member": member, "indicator": indicator, "value": current, "form": form, "conflict": conflict, "back": back}
        return render(request, "actionplan/editor/indicator_value_form.html", context, status=status)

    if request.method == "POST":
        form = IndicatorValueEditForm(request.POST, instance=value)
        if form.is_valid():
            try:
                services.indicator_value_save(value=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user)
            except EditConflict as exc:
                exc.current.indicator = indicator
                return edit_conflict_response(
                    request,
                    exc,
                    form=form,
                    rebind=lambda data, current: IndicatorValueEditForm(data, instance=current),
                    page=lambda form, conflict: page(form, conflict, conflict["current"]),
                )
            except ValidationError as exc:
                form.add_error("date", exc.error_dict["date"])
                return page(form, status=400)
            messages.success(request, _("The value has been corrected. The history keeps what it was before."))
            return redirect(back)
        return page(form, status=400)
    return page(IndicatorValueEditForm(instance=value))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_remove(request: HttpRequest, slug: str, pk: int, value_pk: int) -> HttpResponse:
    member, indicator, value = get_indicator_value_for_user(request, slug, pk, value_pk)
    form = RemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        context = {"member": member, "indicator": indicator, "value": value, "form": form}
        return render(request, "actionplan/editor/indicator_value_remove.html", context, status=400 if form.errors else 200)
    services.indicator_value_remove(value=value, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The value has been removed. The history keeps it."))
    return redirect(_indicator_url(member, indicator, "#values-heading"))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member, indicator = get_indicator_for_user(request, slug, pk)
    if request.method == "GET":
        # A second step with a clear warning, as for measures (no inline JS confirm).
        return render(request, "actionplan/editor/indicator_retire.html", {"member": member, "indicator": indicator})
    indicator.retire(by=request.user)
    messages.success(
        request,
        _("“%(name)s” has been retired. It no longer appears in the plan or on the public pages; its history is kept and the secretariat can restore it.")
        % {"name": indicator.name},
    )
    return redirect("actionplan:plan_editor", slug=member.slug)


@login_required
@require_GET
def indicator_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # Read-only, so every coordinator of the member may read it, of a retired indicator too.
    member = get_member_for_user(request, slug).member
    indicator = get_object_or_404(Indicator.objects.select_related("commitment", "measure"), pk=pk, plan__member=member)
    context = {"member": member, "indicator": indicator, "entries": history.indicator_history(indicator)}
    return render(request, "actionplan/editor/indicator_history.html", context)
