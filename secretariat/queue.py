"""The secretariat's work queue: what waits for whom, as counts with direct links.

A fixed number of queries, however many members there are: every line is a COUNT or a short, limited list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import ApplicationStatus, Invitation, Member, MemberStatus, MembershipApplication, SitePage, User
from members.site_page_defaults import PAGES
from reports.models import ImplementationReport, ReportStatus
from reports.services import members_overdue, members_proposed_for_on_hold

# Members who still owe reports: a former member's old deadline is nobody's work.
ACTIVE_STATUSES = (MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED)
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


def work_queue(*, today: dt.date | None = None) -> list[QueueLine]:
    today = today or timezone.localdate()
    now = timezone.now()
    lines: list[QueueLine] = []

    waiting = MembershipApplication.objects.filter(status=ApplicationStatus.CONFIRMED).order_by("confirmed_at")
    lines.append(QueueLine(
        "applications", _("Applications waiting for a decision to process them"), waiting.count(),
        _changelist("members_membershipapplication", status=ApplicationStatus.CONFIRMED),
        [QueueItem(a.name, reverse("admin:members_membershipapplication_change", args=[a.pk])) for a in waiting[:LISTED]],
    ))

    report_counts = ImplementationReport.objects.aggregate(
        submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
    )
    submitted = ImplementationReport.objects.filter(status=ReportStatus.SUBMITTED).select_related("member").order_by("submitted_at")
    lines.append(QueueLine(
        "submitted", _("Reports submitted for review (oldest first)"), report_counts["submitted"],
        _changelist("reports_implementationreport", status=ReportStatus.SUBMITTED, o="4"),
        [
            QueueItem(
                f"{r.member.name}, {r.period_display}",
                reverse("admin:reports_implementationreport_change", args=[r.pk]),
                str(_("waiting %(days)d days") % {"days": (now - r.submitted_at).days}) if r.submitted_at else "",
            )
            for r in submitted[:LISTED]
        ],
    ))
    lines.append(QueueLine(
        "returned", _("Reports returned and waiting for the member"), report_counts["returned"],
        _changelist("reports_implementationreport", status=ReportStatus.RETURNED),
    ))

    overdue = members_overdue(Member.objects.filter(status__in=ACTIVE_STATUSES), today=today)
    lines.append(QueueLine(
        "overdue", _("Members with an overdue report"), overdue.count(),
        _changelist("members_member", report_overdue="yes"),
    ))
    lines.append(QueueLine(
        "on_hold", _("Members proposed for on hold (report long overdue)"), members_proposed_for_on_hold(today=today).count(),
        _changelist("members_member", on_hold_proposed="yes"),
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

    placeholders = [
        page for page in SitePage.objects.only("key", "body_de", "title_de", "title_en") if page.body_de.strip() == PAGES[page.key][2].strip()
    ]
    lines.append(QueueLine(
        "legal_pages", _("Legal pages still holding their placeholder text"), len(placeholders), _changelist("members_sitepage"),
        [QueueItem(page.title, reverse("admin:members_sitepage_change", args=[page.pk])) for page in placeholders],
    ))
    return lines
