"""Atom feeds: members joining the coalition, published implementation reports, and each member's news.

Everything a feed carries is plain text typed by people (titles, summaries, timeline entries): it goes out as
`type="text"`, so a feed reader shows markup typed into a report as characters and never renders it.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actionplan.models import Measure, MeasureUpdate
from core.countries import country_name
from members.models import Member, MemberKind
from portal.measure_page import measure_url
from reports.models import ImplementationReport

FEED_LENGTH = 50


class TextAtomFeed(Atom1Feed):
    """Atom with the item summaries declared as text, not HTML."""

    def add_item_elements(self, handler, item) -> None:
        description = item.get("description")
        item["description"] = None  # Django would write it as type="html"
        super().add_item_elements(handler, item)
        if description:
            handler.addQuickElement("summary", description, {"type": "text"})
        item["description"] = description


class MemberJoinFeed(Feed):
    feed_type = TextAtomFeed
    title = _("ECCAR Portal: new members")
    subtitle = _("Municipalities that joined the European Coalition of Cities against Racism, newest first.")
    link = "/"

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
        return timezone.make_aware(dt.datetime.combine(item.admitted_on, dt.time(12)))

    def item_updateddate(self, item: Member) -> dt.datetime:
        return item.created_at

    def item_guid(self, item: Member) -> str:
        # Stable across languages and renames of the page address.
        return f"tag:eccar-portal,2026:member-{item.pk}"

    item_guid_is_permalink = False


class PublishedReportsFeed(Feed):
    feed_type = TextAtomFeed
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

    def item_pubdate(self, item: ImplementationReport):
        return item.published_at

    def item_updateddate(self, item: ImplementationReport):
        return item.updated_at


@dataclass
class MemberNews:
    kind: str  # "measure", "entry" or "report"
    title: str
    text: str
    link: str
    date: dt.datetime
    guid: str


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class MemberNewsFeed(Feed):
    """One member's news: new public measures, timeline entries of public measures and published reports."""

    feed_type = TextAtomFeed

    def get_object(self, request: HttpRequest, slug: str) -> Member:
        return get_object_or_404(Member.objects.public(), slug=slug)

    def title(self, member: Member) -> str:
        return _("ECCAR Portal: news from %(name)s") % {"name": member.name}

    def subtitle(self, member: Member) -> str:
        return _("New public measures, timeline entries and published implementation reports.")

    def link(self, member: Member) -> str:
        return member.get_absolute_url()

    def items(self, member: Member) -> list[MemberNews]:
        # Three queries, each capped: the feed costs the same for a member with 5 or 5,000 measures.
        measures = Measure.objects.public().filter(plan__member=member).order_by("-created_at")[:FEED_LENGTH]
        entries = (
            MeasureUpdate.objects.up_to_today()
            .filter(measure__in=Measure.objects.public().filter(plan__member=member))
            .select_related("measure")
            .order_by("-date", "-created_at")[:FEED_LENGTH]
        )
        reports = ImplementationReport.objects.published().filter(member=member).select_related("member").order_by("-pk")[:FEED_LENGTH]
        news = [
            MemberNews("measure", _("New measure: %(title)s") % {"title": m.title}, m.description, measure_url(member.slug, m.pk),
                       m.created_at, f"tag:eccar-portal,2026:measure-{m.pk}")
            for m in measures
        ]
        news += [
            MemberNews("entry", _("Update: %(title)s") % {"title": e.measure.title}, e.text, f"{measure_url(member.slug, e.measure_id)}#entry-{e.pk}",
                       _noon(e.date), f"tag:eccar-portal,2026:entry-{e.pk}")
            for e in entries
        ]
        news += [
            MemberNews("report", _("Implementation report %(period)s") % {"period": r.period_display}, r.summary or r.title,
                       r.get_absolute_url(), r.published_at or _noon(r.period_end), f"tag:eccar-portal,2026:report-{r.pk}")
            for r in reports
        ]
        return sorted(news, key=lambda n: n.date, reverse=True)[:FEED_LENGTH]

    def item_title(self, item: MemberNews) -> str:
        return item.title

    def item_description(self, item: MemberNews) -> str:
        return item.text

    def item_link(self, item: MemberNews) -> str:
        return item.link

    def item_pubdate(self, item: MemberNews) -> dt.datetime:
        return item.date

    def item_guid(self, item: MemberNews) -> str:
        return item.guid

    item_guid_is_permalink = False
