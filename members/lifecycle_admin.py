"""The lifecycle in the member admin: the status changes only through the lifecycle methods (a "change status"
page for one member, a bulk action with one reason for many), the recorded transitions with their scheduled
changes (cancel) and date corrections, and plausible dates on the member form. The member export is in
reports/member_export.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.i18n import of_name
from core.admin import VersionedAdminForm
from core.admin_steps import DateReasonForm, run_step
from members import services
from members.models import (
    CHANGE_MEMBER_STATUS,
    Member,
    MemberStatus,
    MembershipTransition,
    MembershipTransitionCorrection,
    MembershipTransitionError,
    allowed_targets,
)
from members.models.lifecycle import (
    record_entry,
    scheduled_transition,
    validate_effective_date,
    validate_recorded_date,
)

# What staff may choose as a target in the admin; admission and declining belong to the application.
STATUS_TARGETS = [MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.FORMER]


class TransitionInline(admin.TabularInline):
    model = MembershipTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["effective_on", "from_status", "to_status", "state", "reason", "by", "at"]
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "cancelled_by").prefetch_related(CORRECTIONS)

    @admin.display(description=_("state"))
    def state(self, obj: MembershipTransition) -> str:
        return transition_state_text(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


CORRECTIONS = Prefetch("corrections", queryset=MembershipTransitionCorrection.objects.select_related("by"))


def transition_state_text(transition: MembershipTransition) -> str:
    """"applied", "scheduled", "cancelled (reason)", with each date correction: for the history tables."""
    parts = [transition.state_display]
    if transition.cancelled_at is not None and transition.cancel_reason:
        parts[0] += f" ({transition.cancel_reason})"
    for correction in transition.corrections.all():
        parts.append(
            gettext("date corrected from %(original)s by %(by)s: %(reason)s")
            % {"original": formats.date_format(correction.original_on, "SHORT_DATE_FORMAT"),
               "by": correction.by.get_username() if correction.by else "–", "reason": correction.reason}
        )
    return "; ".join(parts)


def scheduled_text(transition: MembershipTransition) -> str:
    return gettext("Scheduled: %(status)s from %(date)s.") % {
        "status": transition.get_to_status_display(), "date": formats.date_format(transition.effective_on)
    }


class EffectiveDateReasonForm(DateReasonForm):
    def clean_on(self):
        on = self.cleaned_data["on"]
        validate_effective_date(on)
        return on


class StatusChangeForm(EffectiveDateReasonForm):
    field_order = ["to_status", "on", "reason"]

    def __init__(self, *args, targets: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s, MemberStatus(s).label) for s in targets]
        self.fields["to_status"] = forms.ChoiceField(label=_("New status"), choices=choices)
        self.fields["on"].help_text = _("A date in the future schedules the change: the status changes on that day.")
        self.order_fields(self.field_order)


class RecordedDateReasonForm(DateReasonForm):
    """A date that has already come: a correction, a decision to decline."""

    def clean_on(self):
        on = self.cleaned_data["on"]
        validate_recorded_date(on)
        return on


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), max_length=2000)


# Dates a member form records as facts: admitted, resolution, left and status since lie between 2004 and today.
RECORDED_DATE_FIELDS = ("admitted_on", "council_resolution_on", "left_on", "status_since")


class MemberAdminForm(VersionedAdminForm):
    """Checks only the dates staff change: a date stored before the checks existed does not block other edits."""

    def clean(self):
        cleaned = super().clean()
        for name in RECORDED_DATE_FIELDS:
            if name in self.fields and name in self.changed_data and name not in self.errors:
                try:
                    validate_recorded_date(cleaned.get(name))
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class MemberLifecycleAdminMixin:
    """For MemberAdmin: status read-only in the form, a status page and bulk status change."""

    change_form_template = "admin/members/member/change_form.html"
    form = MemberAdminForm

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A new member may start in any status (e.g. an existing member being entered); afterwards only the
        # lifecycle methods change it, so that every change is recorded with who, when and why.
        return readonly + ["status", "status_since", "left_on"] if obj is not None else readonly

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # Entered directly: its status history starts with the status it was entered in, by whom.
            record_entry(obj, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", view(self.status_view), name="members_member_status"),
            path("<int:pk>/status/<int:transition_pk>/cancel/", view(self.cancel_transition_view), name="members_member_status_cancel"),
            path("<int:pk>/status/<int:transition_pk>/correct/", view(self.correct_transition_view), name="members_member_status_correct"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_change_status"] = obj is not None and request.user.has_perm(CHANGE_MEMBER_STATUS)
        pending = scheduled_transition(obj) if obj is not None and obj.pk else None
        context["scheduled_change"] = scheduled_text(pending) if pending else ""
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _lifecycle_member(self, request: HttpRequest, pk: int) -> Member:
        if not request.user.has_perm(CHANGE_MEMBER_STATUS):
            raise PermissionDenied
        return get_object_or_404(Member, pk=pk)

    def status_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self._lifecycle_member(request, pk)
        pending = scheduled_transition(member)
        targets = [s for s in allowed_targets(member.status) if s in STATUS_TARGETS] if pending is None else []
        form = StatusChangeForm(request.POST or None, targets=targets)
        change_url = reverse("admin:members_member_change", args=[member.pk])

        def step(data: dict) -> str:
            transition = services.member_status_change(
                member=member, to_status=data["to_status"], by=request.user, on=data["on"], reason=data["reason"]
            )
            if transition.is_scheduled:
                return gettext("%(member)s: the change is scheduled. %(scheduled)s") % {"member": member, "scheduled": scheduled_text(transition)}
            return gettext("%(member)s is now: %(status)s.") % {"member": member, "status": member.get_status_display()}

        intro = gettext("%(member)s is %(status)s. The coordinators are told by e-mail; the change is recorded with your name and the reason.") % {
            "member": member, "status": member.get_status_display()
        }
        if pending is not None:
            intro = gettext("%(member)s is %(status)s. %(scheduled)s Cancel the scheduled change before recording another.") % {
                "member": member, "status": member.get_status_display(), "scheduled": scheduled_text(pending)
            }
        elif not targets:
            intro = gettext("%(member)s is %(status)s; no status change is possible from here.") % {"member": member, "status": member.get_status_display()}
        history = list(member.transitions.select_related("by", "cancelled_by").prefetch_related(CORRECTIONS).order_by("-at", "-pk"))
        return run_step(
            self, request, form=form, title=gettext("Change the status %(of_member)s") % {"of_member": of_name(member.name)}, intro=intro,
            submit_label=gettext("Change the status"), step=step, done_url=change_url, cancel_url=change_url,
            template="admin/members/member/status.html",
            extra_context={
                "member": member, "can_record": bool(targets),
                "history": [(t, transition_state_text(t)) for t in history],
            },
        )

    def _transition(self, request: HttpRequest, pk: int, transition_pk: int) -> tuple[Member, MembershipTransition]:
        member = self._lifecycle_member(request, pk)
        return member, get_object_or_404(MembershipTransition, pk=transition_pk, member=member)

    def cancel_transition_view(self, request: HttpRequest, pk: int, transition_pk: int) -> HttpResponse:
        member, transition = self._transition(request, pk, transition_pk)
        status_url = reverse("admin:members_member_status", args=[member.pk])

        def step(data: dict) -> str:
            services.member_transition_cancel(transition=transition, by=request.user, reason=data["reason"])
            return gettext("The scheduled change %(of_member)s is cancelled; its status stays %(status)s.") % {
                "of_member": of_name(member.name), "status": member.get_status_display()
            }

        return run_step(
            self, request, form=CancelForm(request.POST or None), title=gettext("Cancel a scheduled change %(of_member)s") % {"of_member": of_name(member.name)},
            intro=scheduled_text(transition) + " " + gettext("The change stays in the status history, marked as cancelled, with your reason."),
            submit_label=gettext("Cancel the scheduled change"), step=step, done_url=status_url, cancel_url=status_url,
        )

    def correct_transition_view(self, request: HttpRequest, pk: int, transition_pk: int) -> HttpResponse:
        member, transition = self._transition(request, pk, transition_pk)
        status_url = reverse("admin:members_member_status", args=[member.pk])
        form = RecordedDateReasonForm(request.POST or None, initial={"on": transition.effective_on})
        form.fields["on"].label = _("Correct date")

        def step(data: dict) -> str:
            services.member_transition_correct(transition=transition, by=request.user, on=data["on"], reason=data["reason"])
            return gettext("The date is corrected to %(date)s; the original date stays in the history.") % {
                "date": formats.date_format(data["on"])
            }

        return run_step(
            self, request, form=form, title=gettext("Correct the date of a status change %(of_member)s") % {"of_member": of_name(member.name)},
            intro=gettext("%(change)s, recorded as effective on %(date)s. The correction is kept with the original date, your name and the reason; the member's dates follow it.") % {
                "change": f"{transition.get_from_status_display() or '–'} → {transition.get_to_status_display()}",
                "date": formats.date_format(transition.effective_on),
            },
            submit_label=gettext("Correct the date"), step=step, done_url=status_url, cancel_url=status_url,
        )

    @admin.action(description=_("Change the status of the selected members"), permissions=["change_status"])
    def change_status(self, request, queryset):
        # A future date schedules the change for each member; one with a change already scheduled is skipped.
        form = StatusChangeForm(request.POST if "apply" in request.POST else None, targets=STATUS_TARGETS)
        members = list(queryset.order_by("name"))
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            changed, scheduled, skipped = [], [], []
            for member in members:
                try:
                    transition = services.member_status_change(member=member, to_status=data["to_status"], by=request.user, on=data["on"], reason=data["reason"])
                    (scheduled if transition.is_scheduled else changed).append(member.name)
                except MembershipTransitionError as error:
                    skipped.append(f"{member.name}: {error.messages[0]}")
            if changed:
                self.message_user(request, gettext("Status changed for %(count)d member(s): %(names)s") % {"count": len(changed), "names": ", ".join(changed)})
            if scheduled:
                self.message_user(request, gettext("Change scheduled from %(date)s for %(count)d member(s): %(names)s") % {
                    "date": formats.date_format(data["on"]), "count": len(scheduled), "names": ", ".join(scheduled)})
            for line in skipped:
                self.message_user(request, gettext("Skipped %(reason)s") % {"reason": line}, level="warning")
            return None
        hidden = [(admin.helpers.ACTION_CHECKBOX_NAME, str(m.pk)) for m in members]
        hidden += [("action", "change_status"), ("apply", "1")]
        return run_step(
            self, request, form=form, title=gettext("Change the status of %(count)d member(s)") % {"count": len(members)},
            intro=gettext("One reason for all. Members for which the change is not allowed are skipped and listed."),
            objects=members, hidden=hidden, submit_label=gettext("Change the status"),
            # The form posts back to this action ("apply"), so run_step only shows it, with its errors if any.
            step=lambda data: None, done_url=request.get_full_path(), cancel_url=request.get_full_path(),
        )

    def has_change_status_permission(self, request) -> bool:
        return request.user.has_perm(CHANGE_MEMBER_STATUS)
