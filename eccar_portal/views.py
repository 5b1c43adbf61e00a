from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache


@transaction.non_atomic_requests
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # Liveness only: answers without touching the database, so a database outage
    # does not make the orchestrator restart healthy app servers.
    return JsonResponse({"status": "ok"})


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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no database: the error may come from either.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
