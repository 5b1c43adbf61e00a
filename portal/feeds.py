"""Atom feeds (RFC 4287): members joining the coalition, published implementation reports, and each member's news.

Everything a feed carries is plain text typed by people (titles, summaries, timeline entries): it goes out as
`type="text"`, so a feed reader shows markup typed into a report as characters and never renders it.

The address chooses the language (`/feeds/de/…`, `/feeds/en/…`): feed readers send no Accept-Language, so one
address must always give the same document with the same `<id>`. The old addresses without a language redirect
permanently to the German one, the portal's default.

Every entry is dated by what happened (an admission, a publication, a timeline entry's day), not by when its row
was written: a member seeded today that joined in 2008 is news of 2008.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from actionplan.models import Measure, MeasureUpdate
from core.countries import country_name
from members.models import Member, MemberKind
from portal.measure_page import measure_url
from reports.models import ImplementationReport

FEED_LENGTH = 50
# The feeds' author (RFC 4287 §4.1.1 wants one per feed): the portal, under its name in the feed's language.
PUBLISHER = _("ECCAR Portal")
TAG = "tag:eccar-portal,2026"
# The languages a feed address may name, as a regular expression for portal/urls.py.
FEED_LANGUAGES = "|".join(code for code, _name in settings.LANGUAGES)


class TextAtomFeed(Atom1Feed):
    """Atom with the item summaries declared as text, not HTML."""

    def add_item_elements(self, handler, item) -> None:
        description = item.get("description")
        item["description"] = None  # Django would write it as type="html"
        super().add_item_elements(handler, item)
        if description:
            handler.addQuickElement("summary", description, {"type": "text"})
        item["description"] = description


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class PortalFeed(Feed):
    """What every feed of the portal has: text summaries, the portal as author, an `<id>` that names the address."""

    feed_type = TextAtomFeed
    # What the address names, after "feeds/<language>/": one stable `<id>` per address (see feed_guid).
    key = ""

    def author_name(self) -> str:
        return str(PUBLISHER)

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        # The site's address in the feed's language, as the visitor reached it (the page cache keys on the host).
        feed.feed["author_link"] = request.build_absolute_uri(reverse("home"))
        return feed

    def feed_guid(self, obj=None) -> str:
        # Never the alternate link: that followed the visitor's language. The language is the address's.
        return f"{TAG}:feeds/{get_language()}/{self.key}"


def feed_in_language(feed: Feed) -> Callable[..., HttpResponse]:
    """The feed as a view whose address names the language: /feeds/<lang>/…"""

    def view(request: HttpRequest, lang: str, **kwargs) -> HttpResponse:
        with translation.override(lang):
            response = feed(request, **kwargs)
        response.headers["Content-Language"] = lang
        return response

    return view


def feed_moved(name: str) -> Callable[..., HttpResponse]:
    """An address from before the language was in the address: moved for good to the default language's feed."""

    @require_safe
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        return HttpResponsePermanentRedirect(reverse(name, kwargs={"lang": settings.LANGUAGE_CODE, **kwargs}))

    return view


class MemberJoinFeed(PortalFeed):
    key = "members"
    title = _("ECCAR Portal: new members")
    subtitle = _("Municipalities that joined the European Coalition of Cities against Racism, newest first.")

    def link(self) -> str:
        return reverse("home")

    def items(self):
        return (
            Member.objects.public().filter(admitted_on__isnull=False)
            .only("name", "slug", "kind", "country", "admitted_on", "admitted_precision", "created_at")
            .order_by("-admitted_on", "-id")[:50]
        )

    def item_title(self, item: Member) -> str:
        return item.name

    def item_description(self, item: Member) -> str:
        # A joint membership of several authorities takes the plural: "… sind ECCAR beigetreten".
        authorities = 2 if item.kind == MemberKind.JOINT else 1
        return ngettext(
            "%(name)s (%(kind)s, %(country)s) joined ECCAR: %(date)s.",
            "%(name)s (%(kind)s, %(country)s) joined ECCAR together: %(date)s.",
            authorities,
        ) % {
            "name": item.name,
            "kind": item.get_kind_display(),
            "country": country_name(item.country),
            "date": item.admitted_display,
        }

    def item_pubdate(self, item: Member) -> dt.datetime:
        return _noon(item.admitted_on)

    def item_updateddate(self, item: Member) -> dt.datetime:
        # The news is the admission; what changed on the member's row since is not.
        return _noon(item.admitted_on)

    def item_guid(self, item: Member) -> str:
        # Stable across languages and renames of the page address.
        return f"tag:eccar-portal,2026:member-{item.pk}"

    item_guid_is_permalink = False


class PublishedReportsFeed(PortalFeed):
    key = "reports"
    title = _("ECCAR Portal: implementation reports")
    subtitle = _("Implementation reports published by the members of the European Coalition of Cities against Racism.")

    def link(self) -> str:
        return reverse("reports:list")

    def items(self):
        # Newest first; a report without a publication date (a seeded one) goes last, not first as NULL would.
        return (
            ImplementationReport.objects.published()
            .select_related("member")
            .order_by(F("published_at").desc(nulls_last=True), "-period_end", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: ImplementationReport) -> str:
        return f"{item.member.name}: {item.period_display}"

    def item_description(self, item: ImplementationReport) -> str:
        return item.summary or item.title

    def item_author_name(self, item: ImplementationReport) -> str:
        return item.member.name

    def item_pubdate(self, item: ImplementationReport) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: ImplementationReport) -> dt.datetime:
        return report_date(item)

    def item_guid(self, item: ImplementationReport) -> str:
        return f"{TAG}:report-{item.pk}"

    item_guid_is_permalink = False


def report_date(report: ImplementationReport) -> dt.datetime:
    # A report seeded from its source has no publication date on the portal: the end of its period stands for it.
    return report.published_at or _noon(report.period_end)


@dataclass
class MemberNews:
    kind: str  # "measure", "entry" or "report"
    title: str
    text: str
    link: str
    published: dt.datetime | None  # None for a report seeded from its source: the portal never published it
    updated: dt.datetime
    guid: str
    author: str  # the member: it wrote its measures, timeline and reports; the portal only carries them


def first_public_at() -> Subquery:
    """When a measure became public: its first recorded state with the public box ticked. A measure stays internal
    until its coordinator ticks it, which may be weeks after it was written down."""
    return Subquery(
        Measure.history.filter(id=OuterRef("pk"), is_public=True).order_by("history_date").values("history_date")[:1]
    )


class MemberNewsFeed(PortalFeed):
    """One member's news: new public measures, timeline entries of public measures and published reports."""

    def get_object(self, request: HttpRequest, slug: str) -> Member:
        return get_object_or_404(Member.objects.public(), slug=slug)

    def feed_guid(self, member: Member) -> str:
        # By number, not by address: the same feed after the member's page address changes.
        return f"{TAG}:feeds/{get_language()}/members/{member.pk}"

    def title(self, member: Member) -> str:
        return _("ECCAR Portal: news from %(name)s") % {"name": member.name}

    def subtitle(self, member: Member) -> str:
        return _("New public measures, timeline entries and published implementation reports.")

    def link(self, member: Member) -> str:
        return member.get_absolute_url()

    def items(self, member: Member) -> list[MemberNews]:
        # Three queries, each capped: the feed costs the same for a member with 5 or 5,000 measures.
        measures = (
            Measure.objects.public().filter(plan__member=member).annotate(first_public=first_public_at())
            # The newest by the date the feed shows: a measure written long ago and made public today is news.
            .order_by(Coalesce("first_public", "created_at").desc(), "-pk")[:FEED_LENGTH]
        )
        entries = (
            MeasureUpdate.objects.up_to_today()
            .filter(measure__in=Measure.objects.public().filter(plan__member=member))
            .select_related("measure")
            .order_by("-date", "-created_at")[:FEED_LENGTH]
        )
        reports = (
            ImplementationReport.objects.published().filter(member=member)
            .order_by(F("published_at").desc(nulls_last=True), "-period_end", "-pk")[:FEED_LENGTH]
        )
        news = [
            MemberNews("measure", _("New measure: %(title)s") % {"title": m.title}, m.description, measure_url(member.slug, m.pk),
                       published, max(published, m.updated_at), f"{TAG}:measure-{m.pk}", member.name)
            for m in measures
            # One written in bulk without a history (demo data) counts from its creation.
            for published in [m.first_public or m.created_at]
        ]
        news += [
            MemberNews("entry", _("Update: %(title)s") % {"title": e.measure.title}, e.text, f"{measure_url(member.slug, e.measure_id)}#entry-{e.pk}",
                       _noon(e.date), _noon(e.date), f"{TAG}:entry-{e.pk}", member.name)
            for e in entries
        ]
        news += [
            MemberNews("report", _("Implementation report %(period)s") % {"period": r.period_display}, r.summary or r.title,
                       reverse("reports:detail", args=[r.pk]), r.published_at, report_date(r), f"{TAG}:report-{r.pk}", member.name)
            for r in reports
        ]
        return sorted(news, key=lambda n: n.published or n.updated, reverse=True)[:FEED_LENGTH]

    def item_title(self, item: MemberNews) -> str:
        return item.title

    def item_description(self, item: MemberNews) -> str:
        return item.text

    def item_link(self, item: MemberNews) -> str:
        return item.link

    def item_author_name(self, item: MemberNews) -> str:
        return item.author

    def item_pubdate(self, item: MemberNews) -> dt.datetime | None:
        return item.published

    def item_updateddate(self, item: MemberNews) -> dt.datetime:
        return item.updated

    def item_guid(self, item: MemberNews) -> str:
        return item.guid

    item_guid_is_permalink = False
