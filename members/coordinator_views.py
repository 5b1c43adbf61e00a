"""The coordinator's member pages: the profile and its contacts.

Every view asks members.permissions.get_member_for_user first: anonymous users go to the login page
(@login_required), coordinators of other members get a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.versioning import EditConflict, edit_conflict_response
from members import services
from members.forms import ContactFormSet, MemberProfileForm
from members.permissions import get_member_for_user


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_member_for_user(request, slug).member

    def page(form, formset, conflict=None) -> HttpResponse:
        context = {"member": member, "form": form, "formset": formset, "conflict": conflict}
        return render(request, "members/profile_form.html", context)

    if request.method != "POST":
        return page(MemberProfileForm(instance=member), ContactFormSet(instance=member, prefix="contacts"))
    form = MemberProfileForm(request.POST, instance=member)
    formset = ContactFormSet(request.POST, instance=member, prefix="contacts")
    if not (form.is_valid() and formset.is_valid()):
        return page(form, formset)
    try:
        services.member_profile_save(
            member=form.save(commit=False), contact_formset=formset, expected_version=form.cleaned_data["version"], by=request.user
        )
    except EditConflict as exc:
        return edit_conflict_response(
            request,
            exc,
            form=form,
            rebind=lambda data, current: MemberProfileForm(data, instance=current),
            page=lambda form, conflict: page(form, formset, conflict),
            contacts=list(exc.current.contacts.all()),
        )
    messages.success(request, _("The profile has been saved."))
    return redirect("actionplan:dashboard")
