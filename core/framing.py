"""Which pages other sites may frame: only views marked with `frameable_anywhere` (the member's plan at a glance).

The Content-Security-Policy middleware (eccar_portal/middleware.py) asks `is_frameable` for every response, so
that the policy follows the route, not the response: a page served from the public page cache, or answered with
a 304 Not Modified, carries the same policy as a freshly rendered one. (A browser merges a 304's headers into its
stored copy: a 304 with the portal's usual `frame-ancestors 'none'` would forbid the framing from then on.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.views.decorators.clickjacking import xframe_options_exempt

MARK = "frameable_anywhere"


def frameable_anywhere(view: Callable) -> Callable:
    view = xframe_options_exempt(view)
    setattr(view, MARK, True)
    return view


def is_frameable(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before the URL was resolved, e.g. from the page cache
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return getattr(match.func, MARK, False)
