"""Atom feeds: members joining the coalition, and published implementation reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from members.models import Member
from reports.models import ImplementationReport


class MemberJoinFeed(Feed):
    feed_type = Atom1Feed
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
        return _("%(name)s (%(kind)s, %(country)s) joined ECCAR: %(date)s.") % {
            "name": item.name,
            "kind": item.get_kind_display(),
            "country": item.country,
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
    feed_type = Atom1Feed
    title = _("ECCAR Portal: implementation reports")
    subtitle = _("Implementation reports published by the members of the European Coalition of Cities against Racism.")

    def link(self) -> str:
        return reverse("reports:list")

    def items(self):
        return ImplementationReport.objects.published().select_related("member").order_by("-published_at", "-pk")[:50]

    def item_title(self, item: ImplementationReport) -> str:
        return f"{item.member.name}: {item.period_display}"

    def item_description(self, item: ImplementationReport) -> str:
        return item.summary or item.title

    def item_pubdate(self, item: ImplementationReport):
        return item.published_at

    def item_updateddate(self, item: ImplementationReport):
        return item.updated_at
