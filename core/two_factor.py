"""The second factor's gate: staff, and coordinators who set one up, finish the login with a code first."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Set at login: whether this account has a confirmed second factor (saves a query on every request).
HAS_DEVICE = "eccar_otp_device"
OPEN_PATHS = ("/healthz", "/readyz", "/static/", "/robots.txt", "/favicon.ico")


def second_factor_required(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return user.is_staff or bool(request.session.get(HAS_DEVICE))


def staff_second_factor(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            second_factor_required(request)
            and not path.startswith(OPEN_PATHS)
            and "/accounts/two-factor/" not in path
            and not path.endswith("/accounts/logout/")
        ):
            has_device = bool(request.session.get(HAS_DEVICE))
            target = reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
