"""Sitemaps (both languages, with hreflang alternates) and robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from actionplan.models import Commitment
from members.models import Member
from reports.models import ImplementationReport


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    protocol = None  # the request's


class StaticSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "home",
            "members:list",
            "actionplan:commitments",
            "reports:list",
            "members:working_groups",
            "members:networks",
            "members:statistics",
            "members:open_data",
            "members:accessibility",
            "members:privacy",
            "members:imprint",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class MemberSitemap(_Bilingual):
    changefreq = "monthly"
    limit = 5000  # items × languages per sitemap page; the index lists the pages

    def location(self, item: Member) -> str:
        # reverse() once per language, not once per member and language: 10,000 reverses took seconds.
        language = get_language()
        if language not in self._prefixes:
            self._prefixes[language] = reverse("members:detail", args=["slug"]).removesuffix("slug/")
        return f"{self._prefixes[language]}{item.slug}/"

    def __init__(self) -> None:
        super().__init__()
        self._prefixes: dict[str, str] = {}

    def items(self):
        return Member.objects.public().only("slug", "updated_at").order_by("id")

    def lastmod(self, item: Member):
        return item.updated_at


class CommitmentSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self):
        return Commitment.objects.only("number").order_by("number")


class ReportSitemap(_Bilingual):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return ImplementationReport.objects.published().only("id", "updated_at").order_by("id")

    def lastmod(self, item: ImplementationReport):
        return item.updated_at


SITEMAPS = {"pages": StaticSitemap, "members": MemberSitemap, "commitments": CommitmentSitemap, "reports": ReportSitemap}

ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /de/dashboard/
Disallow: /en/dashboard/
Disallow: /de/accounts/
Disallow: /en/accounts/
Allow: /

Sitemap: {sitemap}
"""


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS.format(sitemap=request.build_absolute_uri(reverse("sitemap_index"))), content_type="text/plain")
