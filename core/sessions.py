"""Session lifetimes: short for staff (every draft is visible to them), long but idle-bounded for coordinators."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from django_otp import user_has_device

from core.two_factor import HAS_DEVICE

LOGIN_AT = "eccar_login_at"
SEEN_AT = "eccar_seen_at"
# The session is written back at most this often just to record activity: not one write per request.
TOUCH_EVERY_SECONDS = 300


def mark_login(request: HttpRequest, user) -> None:
    # Called at every login (core.security's user_logged_in receiver): the 12-hour limit counts from here.
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    if user.is_staff:
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    request.session[HAS_DEVICE] = user_has_device(user)


def _expired(request: HttpRequest, now: int) -> bool:
    if not request.user.is_staff:
        return False  # the session cookie's own age (COORDINATOR_IDLE_DAYS, renewed on activity) bounds it
    if LOGIN_AT not in request.session:
        return True  # a session from before these limits: its age is unknown, so it ends
    seen = request.session.get(SEEN_AT, now)
    return now - seen > settings.STAFF_SESSION_IDLE_SECONDS or now - request.session[LOGIN_AT] > settings.STAFF_SESSION_MAX_SECONDS


def session_expiry(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if _expired(request, now):
                logout(request)
                messages.info(request, _("For your security you have been logged out after a period of inactivity. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(SEEN_AT, 0) > TOUCH_EVERY_SECONDS:
                request.session[SEEN_AT] = now
                if request.user.is_staff:
                    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
                else:
                    # Saving renews the cookie: the coordinator's session ends after that many idle days.
                    request.session.modified = True
        return get_response(request)

    return middleware
