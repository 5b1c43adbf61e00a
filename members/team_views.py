"""The lead coordinator's team page: who has access to the member, open invitations, inviting and removing
editors, and the access log. Leads manage editors of their own member only; never leads, never other members."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.i18n import LANGUAGE_CHOICES, to_name
from members import services
from members.models import CoordinatorAssignment, CoordinatorRole, Invitation, InvitationError, Member
from members.permissions import get_member_for_user


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the new editor"))
    language = forms.ChoiceField(label=gettext_lazy("Language of the invitation"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["language"].initial = (get_language() or "de")[:2]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if CoordinatorAssignment.objects.filter(member=self.member, user__email__iexact=email).exists():
            raise forms.ValidationError(_("%(email)s already has access.") % {"email": email})
        if Invitation.objects.pending().filter(member=self.member, email__iexact=email).exists():
            raise forms.ValidationError(_("%(email)s already has an open invitation; you can send it again below.") % {"email": email})
        return email


def _page(request: HttpRequest, member: Member, form: TeamInviteForm, status: int = 200) -> HttpResponse:
    assignments = CoordinatorAssignment.objects.filter(member=member).select_related("user").order_by("role", "user__last_name", "user__username")
    invitations = Invitation.objects.filter(member=member, accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")
    log = (
        CoordinatorAssignment.history.filter(member_id=member.pk)
        .select_related("history_user", "user")
        .order_by("-history_date")[:50]
    )
    context = {"member": member, "assignments": assignments, "invitations": invitations, "log": log, "form": form}
    return render(request, "members/team.html", context, status=status)


@login_required
@require_GET
def team(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug, lead=True).member
    return _page(request, member, TeamInviteForm(member=member))


@login_required
@require_POST
def team_invite(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug, lead=True).member
    with transaction.atomic():
        # One invitation at a time per member: a double click finds the first one and is refused.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        form = TeamInviteForm(request.POST, member=member)
        if not form.is_valid():
            return _page(request, member, form, status=400)
        services.invitation_send(
            member=member, email=form.cleaned_data["email"], role=CoordinatorRole.EDITOR,
            language=form.cleaned_data["language"], by=request.user,
        )
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("members:team", slug=member.slug)


def _editor_assignment(member: Member, pk: int) -> CoordinatorAssignment:
    assignment = get_object_or_404(CoordinatorAssignment.objects.select_related("user"), pk=pk, member=member)
    if assignment.role != CoordinatorRole.EDITOR:
        raise Http404  # leads are the secretariat's to change
    return assignment


@login_required
@require_POST
def team_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug, lead=True).member
    assignment = _editor_assignment(member, pk)
    services.coordinator_remove(assignment=assignment, by=request.user)
    messages.success(request, _("%(name)s no longer has access %(to_member)s.") % {"name": assignment.user.get_full_name() or assignment.user.email or assignment.user.username, "to_member": to_name(member.name)})
    return redirect("members:team", slug=member.slug)


def _editor_invitation(member: Member, pk: int) -> Invitation:
    return get_object_or_404(Invitation, pk=pk, member=member, role=CoordinatorRole.EDITOR)


@login_required
@require_POST
def team_invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug, lead=True).member
    invitation = _editor_invitation(member, pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Invitation sent again to %(email)s, with a new link.") % {"email": invitation.email})
    return redirect("members:team", slug=member.slug)


@login_required
@require_POST
def team_invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_user(request, slug, lead=True).member
    invitation = _editor_invitation(member, pk)
    try:
        invitation.revoke(by=request.user)
    except InvitationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("members:team", slug=member.slug)
