"""Pages of the portal itself, not of one app: the page shown when a form's security token is stale."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from core.models import SecurityEventKind
from core.security import security_record


def _way_back(request: HttpRequest) -> tuple[str, bool]:
    """The page the form was on when it is one of ours, else the dashboard (logged in) or the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer, True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return resolve_url(settings.LOGIN_REDIRECT_URL), False
    return reverse("home"), False


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # CSRF_FAILURE_VIEW: most often a page left open past the token's life, or a login in another tab (which
    # renews the token). The person needs to know that their text is still one page back, not Django's reason.
    security_record(SecurityEventKind.PERMISSION_DENIED, request=request, detail=f"CSRF: {reason}"[:200])
    back, is_referer = _way_back(request)
    context = {"back": back, "back_is_referer": is_referer, "was_post": request.method == "POST"}
    return render(request, "core/csrf_failure.html", context, status=403)
