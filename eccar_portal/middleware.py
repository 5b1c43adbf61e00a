from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from core.framing import is_frameable

# No inline script or style anywhere on the portal's own pages, so this policy holds. The Django admin holds it
# too: its templates load every script from files (their settings travel in data- attributes) and carry no inline
# style (core/tests/test_browser_admin_policy.py walks the secretariat's admin pages in Chromium).
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
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# What other sites may load (Cross-Origin-Resource-Policy: cross-origin): the embedded plan and its size.json, the
# feeds, the open data, robots.txt and the sitemaps, which exist to be read by others. The static files too: the
# embed's resize script runs on the host's page, and none of them holds anything personal. Every other answer
# (pages, the dashboards, the admin, uploaded files) is same-origin: no other site can pull it into its own page.
CROSS_ORIGIN_ROUTES = frozenset({
    "members:embed", "members:embed_size",
    "feed_members", "feed_member_news", "reports_feed", "feed_members_moved", "feed_member_news_moved", "reports_feed_moved",
    "open_data_index", "open_data_download", "open_data_download_v2", "open_data_package", "open_data_catalog",
    "open_data_member_download", "members:measure_search_csv", "members:measure_search_excel_csv",
    "robots_txt", "sitemap_index", "sitemap", "favicon",
})


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before the URL was resolved: from the page cache, or a refused method
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    return match.view_name


def _cross_origin(request: HttpRequest) -> bool:
    return request.path.startswith(settings.STATIC_URL) or _route(request) in CROSS_ORIGIN_ROUTES


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    """The same headers on every answer, whoever wrote it: a view, the page cache, a 405 from refuse_unused_methods
    or require_POST, an error page. First in MIDDLEWARE, so that nothing answers around it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        frameable = is_frameable(request)
        response.headers.setdefault("Content-Security-Policy", FRAMEABLE_POLICY if frameable else POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if frameable:
            # Django's XFrameOptionsMiddleware knows only exempt views, not their refusals (a 405 from require_safe).
            response.headers.pop("X-Frame-Options", None)
        elif not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if _cross_origin(request) else "same-origin")
        if response.cookies:
            # A cookie (a CSRF token, a session, the language) belongs to one visitor: no shared cache may keep
            # the answer that sets it and hand it to the next one. An answer that said nothing about caching is
            # kept nowhere; one that did (a logged-in page's "private, no-cache") keeps its word, made private.
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, private=True, no_store=True)
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
