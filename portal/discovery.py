"""Sitemaps (both languages, with hreflang alternates) and robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
import datetime as dt
from html import escape
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone, translation

from django.db.models import F, Max, QuerySet
from django.utils.functional import cached_property
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from actionplan.models import Commitment, Measure
from members.models import Member
from reports.models import ImplementationReport


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    protocol = None  # the request's


class _LanguagePairs(Sequence):
    """(item, language) pairs of a queryset, as Django's i18n sitemap pages them, fetched one page at a time.

    Django builds this list from every item for every request (the index and each section page): 10,000 members
    loaded to show 5,000 addresses, or none.
    """

    def __init__(self, queryset: QuerySet, languages: list[str]) -> None:
        self.queryset, self.languages = queryset, languages

    @cached_property
    def _length(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_item = len(self.languages)
        first = start // per_item
        items = self.queryset[first : -(-stop // per_item)] if stop > start else []
        pairs = [(item, language) for item in items for language in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class _PagedBilingual(_Bilingual):
    def _items(self):
        return _LanguagePairs(self.items(), self._languages())


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


class MemberSitemap(_PagedBilingual):
    changefreq = "monthly"
    limit = 5000  # items × languages per sitemap page; the index lists the pages

    def location(self, item) -> str:
        # reverse() once per language, not once per member and language: 10,000 reverses took seconds.
        language = get_language()
        if language not in self._prefixes:
            self._prefixes[language] = reverse("members:detail", args=["slug"]).removesuffix("slug/")
        return f"{self._prefixes[language]}{self._path(item)}"

    @staticmethod
    def _path(item) -> str:
        return f"{item.slug}/"

    def __init__(self) -> None:
        super().__init__()
        self._prefixes: dict[str, str] = {}

    def items(self):
        # Plain rows, not model instances: a sitemap page has 2,500 of them.
        return Member.objects.public().order_by("id").values_list("slug", "updated_at", named=True)

    def _urls(self, page, protocol, domain):
        # The same entries as Django's Sitemap._urls, built without a translation switch and reverse() per
        # address: 5,000 entries with three alternates each took a second.
        site = f"{protocol}://{domain}"
        languages = self._languages()
        prefixes = {}
        for language in languages:
            with translation.override(language):
                prefixes[language] = reverse("members:detail", args=["slug"]).removesuffix("slug/")
        default = settings.LANGUAGE_CODE
        urls, latest = [], None
        alternates, alternates_of = [], None
        for item, language in self.paginator.page(page).object_list:
            if alternates_of is not item:  # the languages of one item follow each other and share the list
                alternates_of = item
                path = self._path(item)
                alternates = [{"location": f"{site}{prefixes[code]}{path}", "lang_code": code} for code in languages]
                if self.x_default and default in languages:
                    location = f"{site}{prefixes[default]}{path}".replace(f"/{default}/", "/", 1)
                    alternates.append({"location": location, "lang_code": "x-default"})
            lastmod = item.updated_at
            latest = lastmod if latest is None or lastmod > latest else latest
            urls.append({
                "item": (item, language),
                "location": f"{site}{prefixes[language]}{path}",
                "lastmod": lastmod,
                "changefreq": self.changefreq,
                "priority": "",
                "alternates": alternates,
            })
        if latest:
            self.latest_lastmod = latest
        return urls

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default loads every item to take the maximum; the index needs only this one aggregate.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class MeasureSitemap(MemberSitemap):
    """The public measures' own pages (portal/measure_page.py), under the member's address."""

    def items(self):
        return (
            Measure.objects.public()
            .annotate(slug=F("plan__member__slug"))
            .order_by("id")
            .values_list("id", "slug", "updated_at", named=True)
        )

    @staticmethod
    def _path(item) -> str:
        return f"{item.slug}/measures/{item.id}/"


class CommitmentSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self):
        return Commitment.objects.only("number").order_by("number")


class ReportSitemap(_PagedBilingual):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return ImplementationReport.objects.published().only("id", "updated_at").order_by("id")

    def lastmod(self, item: ImplementationReport):
        return item.updated_at



SITEMAPS = {
    "pages": StaticSitemap,
    "members": MemberSitemap,
    "measures": MeasureSitemap,
    "commitments": CommitmentSitemap,
    "reports": ReportSitemap,
}

class SitemapXml:
    """Django's sitemap.xml template, rendered by string formatting: the same bytes, twenty times faster for the
    5,000 entries of a sitemap page (portal/tests/test_discovery_speed.py compares the two)."""

    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    tail = "\n</urlset>\n"

    def render(self, context=None, request=None) -> str:
        parts = []
        zone = timezone.get_current_timezone()
        rendered_alternates: dict[int, str] = {}
        for url in (context or {})["urlset"]:
            parts.append(f"<url><loc>{escape(str(url['location']))}</loc>")
            if lastmod := url.get("lastmod"):
                # As the template's |date:"Y-m-d": an aware time in the current time zone.
                day = lastmod.astimezone(zone).date() if isinstance(lastmod, dt.datetime) and timezone.is_aware(lastmod) else lastmod
                parts.append(f"<lastmod>{day:%Y-%m-%d}</lastmod>")
            if changefreq := url.get("changefreq"):
                parts.append(f"<changefreq>{escape(str(changefreq))}</changefreq>")
            if priority := url.get("priority"):
                parts.append(f"<priority>{escape(str(priority))}</priority>")
            alternates = url.get("alternates") or []
            if id(alternates) not in rendered_alternates:
                rendered_alternates[id(alternates)] = "".join(
                    f'<xhtml:link rel="alternate" hreflang="{escape(str(a["lang_code"]))}" href="{escape(str(a["location"]))}"/>'
                    for a in alternates
                )
            parts.append(rendered_alternates[id(alternates)])
            parts.append("</url>")
        return self.head + "".join(parts) + self.tail


SITEMAP_XML = SitemapXml()


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
