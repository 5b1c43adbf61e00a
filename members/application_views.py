"""The public way in: the application form, the "check your e-mail" page and the confirmation link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.files import StorageFailed
from core.security import client_ip
from members import services
from members.application_forms import ApplicationForm, AuthorityFormSet
from members.models import ApplicationError, ApplicationStatus, MembershipApplication, token_digest


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None)
    authorities = AuthorityFormSet(request.POST or None, prefix="authorities")
    status = 200
    if request.method == "POST":
        valid = form.is_valid() & authorities.is_valid()  # both, so every error shows at once
        if valid and form.is_rate_limited(ip=client_ip(request)):
            form.add_error(None, _("We received several applications from this address within the last hour. Please try again later."))
            status = 429
        elif valid:
            try:
                services.application_submit(
                    form=form, authorities=authorities.authorities(), ip=client_ip(request),
                    language=(get_language() or "de")[:2],
                )
            except StorageFailed as error:
                # Nothing was stored; the typed application stays in the form, only the file is to be chosen again.
                form.add_error("resolution", error.messages[0])
                status = 503
            else:
                return redirect("members:apply_sent")
        else:
            status = 400
    return render(request, "members/apply.html", {"form": form, "authorities": authorities}, status=status)


@require_safe
def apply_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "members/apply_sent.html")


@require_http_methods(["GET", "POST"])
def apply_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners open links, and must not confirm an application by doing so.
    application = MembershipApplication.objects.filter(confirmation_digest=token_digest(token)).first()
    if application is None:
        return render(request, "members/apply_confirm.html", {"invalid": True}, status=404)
    if application.status != ApplicationStatus.UNCONFIRMED:
        return render(request, "members/apply_confirm.html", {"application": application, "already": True})
    if request.method == "POST":
        try:
            services.application_confirm(application=application)
        except ApplicationError:
            return render(request, "members/apply_confirm.html", {"application": application, "already": True})
        return render(request, "members/apply_confirm.html", {"application": application, "confirmed": True})
    return render(request, "members/apply_confirm.html", {"application": application})
