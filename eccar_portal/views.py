import sys

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.db import is_database_unavailable

# Seconds a client is asked to wait after a database outage: a restart takes a few seconds.
RETRY_AFTER_SECONDS = 10
# The portal's icon (static/img/favicon.svg), linked from base.html and the admin's base_site.html.
FAVICON = "img/favicon.svg"


@require_safe
@transaction.non_atomic_requests
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page links: moved for good to the icon the pages link, under its
    # name without the content hash, which stays the same from one release to the next.
    return HttpResponsePermanentRedirect(settings.STATIC_URL + FAVICON)


@require_safe
@transaction.non_atomic_requests
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # Liveness only: answers without touching the database, so a database outage
    # does not make the orchestrator restart healthy app servers.
    return JsonResponse({"status": "ok"})


@require_safe
@transaction.non_atomic_requests
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Every refusal goes into the security log: probing other members' pages shows up there.
    from core.models import SecurityEventKind
    from core.security import security_record

    security_record(SecurityEventKind.PERMISSION_DENIED, request=request, detail=str(exception or "")[:200])
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no database: the error may come from either.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # Every request runs in one transaction (ATOMIC_REQUESTS), so a request that failed here wrote nothing:
    # the page can promise that, and a form's typed text is still in the browser's history.
    # Views that commit step by step (a report's text before its document) promise nothing: they get the plain page.
    # The failure may come from a middleware, before the URL was resolved: resolve it here (no database needed).
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    atomic = "default" not in getattr(view, "_non_atomic_requests", set())
    context = {"was_post": request.method == "POST" and atomic, "retry_after": RETRY_AFTER_SECONDS}
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
