"""Deployment checks of the public website's content."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def legal_pages_filled_in(app_configs, **kwargs) -> list[Warning]:
    # Only in production: in development the seeded defaults are expected. Before `migrate` there is no table yet.
    if not getattr(settings, "PRODUCTION", False):
        return []
    from members.models import SitePage

    try:
        pending = [page.get_key_display() for page in SitePage.objects.all() if page.holds_placeholder]
    except DatabaseError:
        return []
    return [
        Warning(
            f"The legal page “{name}” still holds the placeholder text; the public page says it is not yet provided.",
            hint="Enter the missing facts in the admin under Site pages.",
            id="portal.W001",
        )
        for name in pending
    ]
