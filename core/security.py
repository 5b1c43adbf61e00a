"""The security log: one call, `security_record(...)`, and the receivers for Django's and django-axes' login signals.

The receivers only write the log line (and stamp the session's login time); no business logic lives here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import SecurityEvent, SecurityEventKind

logger = logging.getLogger("eccar.security")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address, the one place that decides it: the security log, the login and reset throttles,
    the application limit and django-axes (AXES_CLIENT_IP_CALLABLE) all use it.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it received from to X-Forwarded-For,
    the visitor is that many entries from the right; entries further left are whatever the client claimed."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and (address := _valid_ip(forwarded[-proxies])):
            return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def security_record(
    kind: SecurityEventKind, *, request: HttpRequest | None = None, user=None, username: str = "", detail: str = "",
    ip: str | None = None,
) -> SecurityEvent:
    if user is None and request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        user = request.user
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", "") or "")[:150],
        ip_address=ip or client_ip(request),
        path=(request.path if request is not None else "")[:300],
        detail=detail[:500],
    )
    logger.info("%s user=%s ip=%s %s", kind, event.username, event.ip_address, detail)
    return event


def security_events_recent(*, kind: SecurityEventKind, since: dt.timedelta, **filters) -> int:
    return SecurityEvent.objects.filter(kind=kind, created_at__gte=timezone.now() - since, **filters).count()


def security_log_prune(*, now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SECURITY_LOG_DAYS)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def login_ip_failures(ip: str) -> int:
    """The failed logins from `ip` that count towards its pause: those of the cool-off window, after the pause was
    last lifted for it (a "login pause lifted" line carrying the address)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    lifted = (
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_PAUSE_LIFTED, ip_address=ip, created_at__gte=since)
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    return SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, ip_address=ip, created_at__gt=lifted or since).count()


def login_ip_paused(ip: str) -> bool:
    return login_ip_failures(ip) >= settings.LOGIN_IP_FAILURE_LIMIT


def login_ip_throttle(get_response: Callable[[HttpRequest], HttpResponse]):
    """Too many failed logins from one IP address, for any accounts, pause logging in from there (both login
    pages). The failures are the security log's own lines, so every app server sees the same count."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.endswith(LOGIN_PATHS):
            ip = client_ip(request)
            window = settings.AXES_COOLOFF_TIME
            if ip and login_ip_paused(ip):
                security_record(SecurityEventKind.LOCKOUT, request=request, username=str(request.POST.get("username", ""))[:150], detail=f"ip {ip}")
                minutes = int(window.total_seconds() // 60)
                # A password reset lifts an account's pause, not an address's: the page does not offer it here.
                return render(request, "registration/locked_out.html", {"minutes": minutes, "by_address": True}, status=429)
        return get_response(request)

    return middleware


def _logged_in(sender, request, user, **kwargs) -> None:
    from core.sessions import mark_login

    if request is not None and hasattr(request, "session"):
        mark_login(request, user)
    security_record(SecurityEventKind.LOGIN, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    security_record(SecurityEventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")))


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_record(SecurityEventKind.LOGOUT, request=request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_record(SecurityEventKind.LOCKOUT, request=request, username=username or "", detail=f"ip {ip_address}")


def connect_receivers() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_logged_in, dispatch_uid="eccar_security_login")
    user_login_failed.connect(_login_failed, dispatch_uid="eccar_security_login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="eccar_security_logout")
    user_locked_out.connect(_locked_out, dispatch_uid="eccar_security_lockout")
