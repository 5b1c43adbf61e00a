from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict

from core.framing import is_frameable

# No inline script or style anywhere on the portal's own pages, so this policy holds.
# The Django admin ships inline scripts, so it keeps Django's defaults instead.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The one page any site may frame (core/framing.py, the member's plan at a glance): no script at all, nothing to
# submit or fetch, styles from the portal only.
FRAMEABLE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors *"
)


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", FRAMEABLE_POLICY if is_frameable(request) else POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        return response

    return middleware


# The portal's pages are read with GET and HEAD and changed with POST (forms, the admin). PUT, DELETE, PATCH,
# OPTIONS, TRACE and the rest are never used: they are refused at the door, before CSRF and any view.
USED_METHODS = frozenset({"GET", "HEAD", "POST"})


def refuse_unused_methods(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in USED_METHODS:
            return HttpResponseNotAllowed(sorted(USED_METHODS))
        return get_response(request)

    return middleware


def strip_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL byte in a query parameter can be part of no real filter or search, and PostgreSQL refuses it in
    any text comparison (a DataError, i.e. a 500, e.g. in the admin's list filters): it is dropped at the door,
    so that "%00abc" searches for "abc", as the member directory always did."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return get_response(request)

    return middleware
