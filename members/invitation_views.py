"""The page an invitation link opens: the invitee chooses a password and lands on the member's dashboard.

A person who already has an account (same e-mail address) logs in and accepts with one button instead.
An unknown, expired, used or withdrawn link gets a page that says which, and what to do.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members.models import Invitation, InvitationError, User


class NewAccountForm(SetPasswordForm):
    """A new coordinator's account: their name and a password that passes the validators."""

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(User(username=email, email=email), *args, **kwargs)
        self.fields = {
            "first_name": User._meta.get_field("first_name").formfield(label=gettext_lazy("First name")),
            "last_name": User._meta.get_field("last_name").formfield(label=gettext_lazy("Last name")),
            **self.fields,
        }

    def clean(self):
        data = super().clean()
        # The login name is the e-mail address: it must fit the username field and be free.
        username = self.user.username
        if len(username) > User._meta.get_field("username").max_length or User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("This e-mail address cannot be used as a login name here. Please ask the secretariat to invite another address.")
            )
        # The similarity validator compares the password with the person's name, too.
        self.user.first_name, self.user.last_name = data.get("first_name", ""), data.get("last_name", "")
        return data


def _existing_account(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk").first()


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = Invitation.for_token(token)
    except InvitationError as error:
        status = 404 if error.code == "unknown" else 410
        return render(request, "members/invitation_invalid.html", {"error": error.message}, status=status)
    existing = _existing_account(invitation)
    if existing is not None:
        return _accept_with_existing_account(request, invitation, existing)
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.user
            user.language = invitation.language if invitation.language in ("de", "en") else (get_language() or "de")[:2]
            form.save()  # sets the password and saves the new user
            try:
                invitation.accept(user=user)
            except InvitationError as error:
                transaction.set_rollback(True)
                return render(request, "members/invitation_invalid.html", {"error": error.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! You now coordinate %(member)s on the portal.") % {"member": invitation.member})
        return redirect("actionplan:dashboard")
    return render(request, "members/invitation_accept.html", {"invitation": invitation, "form": form})


def _accept_with_existing_account(request: HttpRequest, invitation: Invitation, existing: User) -> HttpResponse:
    signed_in_as_invitee = request.user.is_authenticated and request.user.pk == existing.pk
    if request.method == "POST" and signed_in_as_invitee:
        try:
            invitation.accept(user=request.user)
        except InvitationError as error:
            return render(request, "members/invitation_invalid.html", {"error": error.message}, status=410)
        messages.success(request, _("You now coordinate %(member)s on the portal.") % {"member": invitation.member})
        return redirect("actionplan:dashboard")
    context = {
        "invitation": invitation,
        "existing": True,
        "signed_in_as_invitee": signed_in_as_invitee,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
    }
    return render(request, "members/invitation_accept.html", context)
