"""The secretariat's work queue: what waits for whom, as counts with direct links.

Every piece of work stays on it until it is done: an application until admitted or declined, a report until
published. A fixed number of queries, however many members there are: every line is a COUNT or a short, limited
list, and each line links to an admin list filtered to exactly the items it counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import ApplicationStatus, Invitation, Member, MembershipApplication, SitePage, User
from members.site_page_defaults import still_default
from reports.models import ImplementationReport, ReportStatus
from core.dates import add_months
from members.services import COORDINATED_STATUSES, members_without_coordinator
from reports.services import members_overdue, members_proposed_for_on_hold

# Members who still owe reports: a former member's old deadline is nobody's work.
ACTIVE_STATUSES = COORDINATED_STATUSES
LISTED = 5  # the oldest items named on a line


@dataclass
class QueueItem:
    label: str
    url: str
    note: str = ""


@dataclass
class QueueLine:
    key: str
    label: str
    count: int
    url: str
    items: list[QueueItem] = field(default_factory=list)


def _changelist(model: str, **params: str) -> str:
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _waiting(since: dt.datetime | None, now: dt.datetime) -> str:
    return str(_("waiting %(days)d days") % {"days": (now - since).days}) if since else ""


def _overdue_items(members, today: dt.date) -> list[QueueItem]:
    """The most overdue first, each with its days overdue; `members` carries `report_due_base`."""
    items = []
    for member in members.order_by("report_due_base", "name")[:LISTED]:
        days = (today - add_months(member.report_due_base, settings.REPORT_INTERVAL_MONTHS)).days
        items.append(QueueItem(member.name, reverse("admin:members_member_change", args=[member.pk]),
                               str(_("overdue by %(days)d days") % {"days": days})))
    return items


def work_queue(*, today: dt.date | None = None) -> list[QueueLine]:
    today = today or timezone.localdate()
    now = timezone.now()
    lines: list[QueueLine] = []

    applications = MembershipApplication.objects.aggregate(
        confirmed=Count("pk", filter=Q(status=ApplicationStatus.CONFIRMED)),
        in_process=Count("pk", filter=Q(status=ApplicationStatus.IN_PROCESS)),
    )
    waiting = MembershipApplication.objects.filter(status=ApplicationStatus.CONFIRMED).order_by("confirmed_at", "pk")
    lines.append(QueueLine(
        "applications", _("Applications waiting for a decision to process them"), applications["confirmed"],
        _changelist("members_membershipapplication", status=ApplicationStatus.CONFIRMED),
        [QueueItem(a.name, reverse("admin:members_membershipapplication_change", args=[a.pk]), _waiting(a.confirmed_at, now))
         for a in waiting[:LISTED]],
    ))
    # Accepted for processing: the town drafts its plan, the secretariat still has to admit (or decline) it.
    in_process = MembershipApplication.objects.filter(status=ApplicationStatus.IN_PROCESS).order_by("accepted_at", "pk")
    lines.append(QueueLine(
        "in_process", _("Applications in process, waiting for admission (oldest first)"), applications["in_process"],
        _changelist("members_membershipapplication", status=ApplicationStatus.IN_PROCESS),
        [QueueItem(a.name, reverse("admin:members_membershipapplication_change", args=[a.pk]), _waiting(a.accepted_at, now))
         for a in in_process[:LISTED]],
    ))

    report_counts = ImplementationReport.objects.aggregate(
        submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
    )
    submitted = ImplementationReport.objects.filter(status=ReportStatus.SUBMITTED).select_related("member").order_by("submitted_at")
    lines.append(QueueLine(
        "submitted", _("Reports submitted for review (oldest first)"), report_counts["submitted"],
        _changelist("reports_implementationreport", status=ReportStatus.SUBMITTED, o="4"),
        [
            QueueItem(
                f"{r.member.name}, {r.period_display}",
                reverse("admin:reports_implementationreport_change", args=[r.pk]),
                _waiting(r.submitted_at, now),
            )
            for r in submitted[:LISTED]
        ],
    ))
    lines.append(QueueLine(
        "returned", _("Reports returned and waiting for the member"), report_counts["returned"],
        _changelist("reports_implementationreport", status=ReportStatus.RETURNED),
    ))
    # Accepted is not done: the public sees a report only once it is published.
    accepted = (
        ImplementationReport.objects.filter(status=ReportStatus.ACCEPTED)
        .select_related("member")
        .annotate(accepted_at=Max("transitions__at", filter=Q(transitions__to_status=ReportStatus.ACCEPTED)))
        .order_by("accepted_at", "pk")
    )
    lines.append(QueueLine(
        "accepted", _("Reports accepted and waiting for publication (oldest first)"), report_counts["accepted"],
        _changelist("reports_implementationreport", status=ReportStatus.ACCEPTED),
        [
            QueueItem(
                f"{r.member.name}, {r.period_display}",
                reverse("admin:reports_implementationreport_change", args=[r.pk]),
                _waiting(r.accepted_at, now),
            )
            for r in accepted[:LISTED]
        ],
    ))

    overdue = members_overdue(Member.objects.filter(status__in=ACTIVE_STATUSES), today=today)
    lines.append(QueueLine(
        "overdue", _("Members with an overdue report (most overdue first)"), overdue.count(),
        _changelist("members_member", report_overdue="yes"),
        _overdue_items(overdue, today),
    ))
    proposed = members_proposed_for_on_hold(today=today)
    lines.append(QueueLine(
        "on_hold", _("Members proposed for on hold (report long overdue)"), proposed.count(),
        _changelist("members_member", on_hold_proposed="yes"),
        _overdue_items(proposed, today),
    ))

    without = members_without_coordinator()
    lines.append(QueueLine(
        "without_coordinator", _("Members without a coordinator (no reminder reaches them)"), without.count(),
        _changelist("members_member", coordinator="none"),
        [QueueItem(m.name, reverse("admin:members_member_change", args=[m.pk])) for m in without.order_by("name", "pk")[:LISTED]],
    ))

    invitations = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).aggregate(
        pending=Count("pk", filter=Q(expires_at__gt=now)), expired=Count("pk", filter=Q(expires_at__lte=now))
    )
    lines.append(QueueLine("invitations_pending", _("Invitations not yet accepted"), invitations["pending"],
                           _changelist("members_invitation", state="pending")))
    lines.append(QueueLine("invitations_expired", _("Invitations expired unused"), invitations["expired"],
                           _changelist("members_invitation", state="expired")))

    never = User.objects.filter(is_active=True, last_login__isnull=True, assignments__isnull=False).distinct()
    lines.append(QueueLine("never_logged_in", _("Coordinators who never logged in"), never.count(),
                           _changelist("members_user", never_logged_in="yes")))

    placeholders = [page for page in SitePage.objects.only("key", "body_de", "title_de", "title_en") if still_default(page.key, page.body_de)]
    lines.append(QueueLine(
        "legal_pages", _("Legal pages still holding their placeholder text"), len(placeholders),
        _changelist("members_sitepage", placeholder="yes"),
        [QueueItem(page.title, reverse("admin:members_sitepage_change", args=[page.pk])) for page in placeholders],
    ))
    return lines
