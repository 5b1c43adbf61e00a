"""The lifecycle in the member admin: the status changes only through the lifecycle methods (a "change status"
page for one member, a bulk action with one reason for many) and the recorded transitions. The member export
is in reports/member_export.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_steps import DateReasonForm, run_step
from members import services
from members.models import (
    CHANGE_MEMBER_STATUS,
    Member,
    MemberStatus,
    MembershipTransition,
    MembershipTransitionError,
    allowed_targets,
)

# What staff may choose as a target in the admin; admission and declining belong to the application.
STATUS_TARGETS = [MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.FORMER]


class TransitionInline(admin.TabularInline):
    model = MembershipTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["effective_on", "from_status", "to_status", "reason", "by", "at"]
    verbose_name_plural = _("status history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeForm(DateReasonForm):
    field_order = ["to_status", "on", "reason"]

    def __init__(self, *args, targets: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s, MemberStatus(s).label) for s in targets]
        self.fields["to_status"] = forms.ChoiceField(label=_("New status"), choices=choices)
        self.order_fields(self.field_order)


class MemberLifecycleAdminMixin:
    """For MemberAdmin: status read-only in the form, a status page and bulk status change."""

    change_form_template = "admin/members/member/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A new member may start in any status (e.g. an existing member being entered); afterwards only the
        # lifecycle methods change it, so that every change is recorded with who, when and why.
        return readonly + ["status", "status_since", "left_on"] if obj is not None else readonly

    def get_urls(self):
        return [
            path("<int:pk>/status/", self.admin_site.admin_view(self.status_view), name="members_member_status"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_change_status"] = obj is not None and request.user.has_perm(CHANGE_MEMBER_STATUS)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def status_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(CHANGE_MEMBER_STATUS):
            raise PermissionDenied
        member = get_object_or_404(Member, pk=pk)
        targets = [s for s in allowed_targets(member.status) if s in STATUS_TARGETS]
        form = StatusChangeForm(request.POST or None, targets=targets)
        change_url = reverse("admin:members_member_change", args=[member.pk])

        def step(data: dict) -> str:
            services.member_status_change(member=member, to_status=data["to_status"], by=request.user, on=data["on"], reason=data["reason"])
            return gettext("%(member)s is now: %(status)s.") % {"member": member, "status": member.get_status_display()}

        intro = gettext("%(member)s is %(status)s. The coordinators are told by e-mail; the change is recorded with your name and the reason.") % {
            "member": member, "status": member.get_status_display()
        }
        if not targets:
            intro = gettext("%(member)s is %(status)s; no status change is possible from here.") % {"member": member, "status": member.get_status_display()}
        return run_step(
            self, request, form=form, title=gettext("Change the status of %(member)s") % {"member": member}, intro=intro,
            submit_label=gettext("Change the status"), step=step, done_url=change_url, cancel_url=change_url,
        )

    @admin.action(description=_("Change the status of the selected members"), permissions=["change_status"])
    def change_status(self, request, queryset):
        form = StatusChangeForm(request.POST if "apply" in request.POST else None, targets=STATUS_TARGETS)
        members = list(queryset.order_by("name"))
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            changed, skipped = [], []
            for member in members:
                try:
                    services.member_status_change(member=member, to_status=data["to_status"], by=request.user, on=data["on"], reason=data["reason"])
                    changed.append(member.name)
                except MembershipTransitionError as error:
                    skipped.append(f"{member.name}: {error.messages[0]}")
            if changed:
                self.message_user(request, gettext("Status changed for %(count)d member(s): %(names)s") % {"count": len(changed), "names": ", ".join(changed)})
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
