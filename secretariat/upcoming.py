"""The report reminders that fall due in the coming weeks: what `send_report_reminders` will send, on which day,
to whom, if nothing changes meanwhile (a report delivered or submitted, a coordinator added or removed).

The schedule is `reports.services.reminder_windows`, the same function the sender uses; who is reminded at all
follows the sender too (full members, none while a report is with the secretariat). A fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_days, add_months
from members.models import Contact, CoordinatorAssignment, Member, MemberStatus
from members.notifications import Reach, member_reach
from reports.models import ImplementationReport, ReminderKind, ReportReminder, ReportStatus
from reports.services import reminder_windows, members_with_due_date

UPCOMING_DAYS = 60
# A reminder window is at most 46 days long: a reminder already sent for a window still open today went out
# within the last 46 days (those rows are the ones that can stop a reminder from going out again).
LONGEST_WINDOW_DAYS = 46


@dataclass
class UpcomingReminder:
    on: dt.date
    member: Member
    due_on: dt.date
    kind: str
    sequence: int
    recipients: list  # coordinators (User), or without any the published contacts (Contact) the sender falls back to
    by_contact: bool = False

    @property
    def label(self) -> str:
        if self.kind == ReminderKind.OVERDUE:
            return _("overdue, reminder %(round)d") % {"round": self.sequence}
        return str(ReminderKind(self.kind).label)


def reminder_recipients(member: Member) -> Reach:
    # The sender's own rule (reports.services.reminders_send): coordinators, else published contacts with consent.
    return member_reach(member)


def upcoming_reminders(*, today: dt.date | None = None, days: int = UPCOMING_DAYS) -> list[UpcomingReminder]:
    """Every reminder the daily run would send from `today` on for `days` days, by date, then member."""
    today = today or timezone.localdate()
    until = add_days(today, days - 1)
    # The first reminder comes 60 days before the due date: members due later than that have none yet
    # (a few days of slack for month ends; the windows below decide exactly).
    latest_base = add_months(add_days(until, 60 + 4), -settings.REPORT_INTERVAL_MONTHS)
    submitted = ImplementationReport.objects.filter(member=OuterRef("pk"), status=ReportStatus.SUBMITTED)
    members = (
        members_with_due_date(Member.objects.filter(status=MemberStatus.MEMBER))
        .filter(report_due_base__isnull=False, report_due_base__lte=latest_base)
        .filter(~Exists(submitted))
        .prefetch_related(
            Prefetch("assignments", queryset=CoordinatorAssignment.objects.select_related("user").order_by("user__email")),
            Prefetch("contacts", queryset=Contact.objects.order_by("email")),
        )
        .order_by("name", "pk")
    )
    sent = set(
        ReportReminder.objects.filter(
            member__status=MemberStatus.MEMBER, sent_at__date__gte=add_days(today, -LONGEST_WINDOW_DAYS - 1)
        ).values_list("member_id", "due_on", "kind", "sequence")
    )
    upcoming = []
    for member in members:
        due = add_months(member.report_due_base, settings.REPORT_INTERVAL_MONTHS)
        reach = reminder_recipients(member)
        recipients = reach.coordinators or reach.contacts
        for window in reminder_windows(due_on=due, since=today):
            if window.first > until:
                break
            if (member.pk, due, window.kind, window.sequence) in sent:
                continue
            upcoming.append(UpcomingReminder(max(window.first, today), member, due, window.kind, window.sequence, recipients, reach.by_contact))
    upcoming.sort(key=lambda r: (r.on, r.member.name, r.member.pk))
    return upcoming
