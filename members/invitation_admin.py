"""Invitations in the admin: staff invite a coordinator (member, role, e-mail, language), see who has not yet
accepted, and send again or revoke. Saving the form sends the e-mail; an invitation is never edited afterwards."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core.i18n import for_name, to_name
from core.admin_steps import run_for_each, run_step
from members import services
from members.models import CoordinatorAssignment, Invitation, InvitationStatus


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return InvitationStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = {"accepted_at__isnull": True, "revoked_at__isnull": True}
        return {
            InvitationStatus.PENDING: lambda: queryset.filter(**open_, expires_at__gt=now),
            InvitationStatus.EXPIRED: lambda: queryset.filter(**open_, expires_at__lte=now),
            InvitationStatus.ACCEPTED: lambda: queryset.filter(accepted_at__isnull=False),
            InvitationStatus.REVOKED: lambda: queryset.filter(revoked_at__isnull=False),
        }.get(self.value(), lambda: queryset)()


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["member", "email", "role", "language"]

    def clean(self):
        data = super().clean()
        member, email = data.get("member"), (data.get("email") or "").strip()
        if member and email:
            if CoordinatorAssignment.objects.filter(member=member, user__email__iexact=email).exists():
                raise forms.ValidationError(gettext("%(email)s already has access %(to_member)s.") % {"email": email, "to_member": to_name(member.name)})
            if Invitation.objects.pending().filter(member=member, email__iexact=email).exists():
                raise forms.ValidationError(
                    gettext("%(email)s has an open invitation %(for_member)s; send it again instead.") % {"email": email, "for_member": for_name(member.name)}
                )
        return data


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationForm
    list_display = ["email", "member", "role", "status_display", "invited_by", "sent_at", "expires_at"]
    list_filter = [InvitationStateFilter, "role"]
    search_fields = ["email", "member__name"]
    list_select_related = ["member", "invited_by"]
    autocomplete_fields = ["member"]
    actions = ["resend", "revoke"]
    change_form_template = "admin/members/invitation/change_form.html"

    @admin.display(description=_("status"))
    def status_display(self, obj: Invitation) -> str:
        return obj.get_status_display()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "email", "role", "language"]
        return ["member", "email", "role", "language", "status_display", "invited_by", "created_at", "sent_at", "send_count",
                "expires_at", "accepted_at", "accepted_user", "revoked_at", "revoked_by", "application"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request)  # sent invitations are records

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # The one way an invitation is made: through the service, which also sends the e-mail.
        invitation = services.invitation_send(
            member=obj.member, email=obj.email, role=obj.role, language=obj.language, by=request.user
        )
        obj.pk = invitation.pk
        obj._state.adding = False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/resend/", view(self.resend_view), name="members_invitation_resend"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="members_invitation_revoke"),
            *super().get_urls(),
        ]

    def _may_act(self, request) -> bool:
        return request.user.has_perm("members.change_invitation")

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_act"] = obj is not None and obj.status in (InvitationStatus.PENDING, InvitationStatus.EXPIRED) and self._may_act(request)
        context["can_resend"] = context["can_act"] and self.has_resend_permission(request)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _step(self, request, queryset, step, done: str) -> None:
        run_for_each(self, request, queryset, step, done=done, name=lambda invitation: invitation.email)

    def has_resend_permission(self, request) -> bool:
        # Sending again is help for a locked-out person, a power of its own (logged by invitation_resend).
        return request.user.has_perm("members.resend_invitation") and self._may_act(request)

    @admin.action(description=_("Send the selected invitations again (new link)"), permissions=["resend"])
    def resend(self, request, queryset):
        self._step(request, queryset, lambda i: services.invitation_resend(invitation=i, by=request.user),
                   gettext("%(count)d invitation(s) sent again."))

    @admin.action(description=_("Revoke the selected invitations"), permissions=["change"])
    def revoke(self, request, queryset):
        # A step that cannot be undone: first a page that lists what will be revoked, then the revocation.
        invitations = list(queryset.select_related("member"))
        changelist = reverse("admin:members_invitation_changelist")
        hidden = [("action", "revoke"), *((ACTION_CHECKBOX_NAME, str(i.pk)) for i in invitations), ("confirm", "yes")]
        return self._confirm_revoke(
            request, invitations, bound=request.POST.get("confirm") == "yes", done_url=changelist, cancel_url=changelist,
            hidden=hidden,
        )

    def _confirm_revoke(self, request, invitations, *, bound: bool, done_url: str, cancel_url: str, hidden=()) -> HttpResponse:
        def step(_data) -> None:
            self._step(request, invitations, lambda i: i.revoke(by=request.user), gettext("%(count)d invitation(s) revoked."))

        return run_step(
            self, request, form=forms.Form(request.POST if bound else None), title=gettext("Revoke invitations"),
            intro=gettext("The links in these invitations stop working at once; this cannot be undone. You can invite the "
                          "same people again later."),
            objects=invitations, hidden=hidden, submit_label=gettext("Yes, revoke"), step=step, done_url=done_url,
            cancel_url=cancel_url,
        )

    def _one(self, request: HttpRequest, pk: int, action) -> HttpResponse:
        if not self._may_act(request):
            raise PermissionDenied
        action(request, Invitation.objects.filter(pk=get_object_or_404(Invitation, pk=pk).pk))
        return HttpResponseRedirect(reverse("admin:members_invitation_change", args=[pk]))

    @method_decorator(require_POST)
    def resend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_resend_permission(request):
            raise PermissionDenied
        return self._one(request, pk, self.resend)

    @method_decorator(require_http_methods(["GET", "POST"]))
    def revoke_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """GET: what will be revoked, and a button; POST: revoke."""
        if not self._may_act(request):
            raise PermissionDenied
        invitation = get_object_or_404(Invitation.objects.select_related("member"), pk=pk)
        change_url = reverse("admin:members_invitation_change", args=[pk])
        return self._confirm_revoke(
            request, [invitation], bound=request.method == "POST", done_url=change_url, cancel_url=change_url
        )
