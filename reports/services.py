"""Deadlines and reminders: cross-model work around reports (keyword-only functions)."""

from __future__ import annotations

import smtplib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DateField, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_days, add_months
from members.models import Member, MemberStatus
from members.notifications import REACH_PREFETCH, member_reach, secretariat_told_unreached
from reports.models import (
    DELIVERED_STATUSES,
    REPORT_DRAFT_RETENTION_DAYS,
    ImplementationReport,
    ReminderChannel,
    ReminderKind,
    ReportDraft,
    ReportReminder,
    ReportStatus,
)

# A report still on its way: being written, with the secretariat, or returned for revision.
OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


def report_due_base(*, member: Member, reports=None) -> dt.date | None:
    """The date the interval counts from: the period end of the last delivered report, else admission."""
    if reports is None:
        last = member.reports.filter(status__in=DELIVERED_STATUSES).aggregate(end=Max("period_end"))["end"]
    else:
        ends = [r.period_end for r in reports if r.status in DELIVERED_STATUSES]
        last = max(ends) if ends else None
    return last or member.admitted_on


def report_due_date(*, member: Member, reports=None) -> dt.date | None:
    """When the next report is due, or None when neither an admission date nor a delivered report is known.

    Pass `reports` (the member's reports, already loaded) to avoid a query.
    """
    base = report_due_base(member=member, reports=reports)
    return add_months(base, settings.REPORT_INTERVAL_MONTHS) if base else None


def report_next_period(*, member: Member) -> tuple[dt.date, dt.date] | None:
    """The period a new report most likely covers: from the day after the last accepted or published report
    (else from admission), one reporting interval long."""
    last = member.reports.filter(status__in=DELIVERED_STATUSES).aggregate(end=Max("period_end"))["end"]
    start = add_days(last, 1) if last else member.admitted_on
    if start is None:
        return None
    return start, max(start, add_days(add_months(start, settings.REPORT_INTERVAL_MONTHS), -1))


@dataclass
class Deadline:
    due_on: dt.date | None
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.is_overdue else 0


def report_deadline(*, member: Member, reports=None, today: dt.date | None = None) -> Deadline:
    due = report_due_date(member=member, reports=reports)
    today = today or timezone.localdate()
    return Deadline(due_on=due, days_left=(due - today).days if due else None)


def members_with_due_date(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Annotate `report_due_base` in SQL, so that lists (the admin changelist) need no query per member."""
    last_end = Max("reports__period_end", filter=Q(reports__status__in=DELIVERED_STATUSES))
    return queryset.annotate(report_due_base=Coalesce(last_end, "admitted_on", output_field=DateField()))


def members_overdue(queryset: QuerySet[Member], *, today: dt.date | None = None) -> QuerySet[Member]:
    # due = base + interval < today  ⇔  base < today − interval
    cutoff = add_months(today or timezone.localdate(), -settings.REPORT_INTERVAL_MONTHS)
    return members_with_due_date(queryset).filter(report_due_base__lt=cutoff)


def members_proposed_for_on_hold(*, today: dt.date | None = None) -> QuerySet[Member]:
    """Full members whose report is overdue by more than ON_HOLD_AFTER_MONTHS: the secretariat is asked to put
    them on hold. Only a proposal: nothing changes until a person confirms."""
    today = today or timezone.localdate()
    # overdue by more than N months  ⇔  base + interval + N months < today
    cutoff = add_months(today, -(settings.REPORT_INTERVAL_MONTHS + settings.ON_HOLD_AFTER_MONTHS))
    return members_with_due_date(Member.objects.filter(status=MemberStatus.MEMBER)).filter(report_due_base__lt=cutoff)


def dashboard_reports(*, member: Member) -> dict:
    """What the coordinator dashboard shows per member: its reports and the deadline.

    Uses the dashboard's prefetch of member.reports when present, so the whole dashboard stays at a fixed
    number of queries however many members a coordinator has; one query otherwise.
    """
    reports = list(member.reports.all())
    # At most one report is open at a time in practice; the newest open one is the one to act on.
    open_reports = [r for r in reports if r.status in OPEN_STATUSES]
    open_report = max(open_reports, key=lambda r: r.period_end, default=None)
    return {
        "member": member,
        "reports": reports,
        "deadline": report_deadline(member=member, reports=reports),
        "open_report": open_report,
    }


def report_create(*, member: Member, start: dt.date, end: dt.date, by) -> ImplementationReport:
    """A new draft with an empty narrative for each of the ten commitments."""
    from actionplan.models import Commitment
    from reports.models import ReportNarrative

    report = ImplementationReport.objects.create(member=member, period_start=start, period_end=end, created_by=by)
    ReportNarrative.objects.bulk_create([ReportNarrative(report=report, commitment=c) for c in Commitment.objects.all()])
    return report


# --- Reminders --------------------------------------------------------------------------------------

REMIND_BEFORE = ((60, ReminderKind.DAYS_60), (14, ReminderKind.DAYS_14))
OVERDUE_EVERY_DAYS = 30


@dataclass(frozen=True)
class ReminderWindow:
    kind: str
    sequence: int  # the overdue round; 0 for the others
    first: dt.date  # the first day it may go out
    last: dt.date  # the last day: a day the cron job missed is caught up until then


def reminder_windows(*, due_on: dt.date, since: dt.date) -> Iterator[ReminderWindow]:
    """The reminders of one due date whose window is still open on `since` or later, in order (endless: one
    overdue round every OVERDUE_EVERY_DAYS). The one rule for both sending and the list of upcoming reminders.

    Windows rather than exact days, so that a day the cron job missed is caught up the next day; the unique
    key (member, due date, kind, round) makes sure each one goes out once.
    """
    late = (since - due_on).days  # days past the due date (negative before it)
    (early, early_kind), (close, close_kind) = REMIND_BEFORE
    for kind, first, last in ((early_kind, -early, -close - 1), (close_kind, -close, -1), (ReminderKind.DUE, 0, OVERDUE_EVERY_DAYS - 1)):
        if late <= last:
            yield ReminderWindow(kind, 0, add_days(due_on, first), add_days(due_on, last))
    sequence = max(1, late // OVERDUE_EVERY_DAYS)
    while True:
        first = sequence * OVERDUE_EVERY_DAYS
        yield ReminderWindow(ReminderKind.OVERDUE, sequence, add_days(due_on, first), add_days(due_on, first + OVERDUE_EVERY_DAYS - 1))
        sequence += 1


def reminder_due(*, deadline: Deadline) -> tuple[str, int] | None:
    """The reminder (kind, overdue round) that applies today, if any."""
    if deadline.days_left is None:
        return None
    today = add_days(deadline.due_on, -deadline.days_left)
    window = next(reminder_windows(due_on=deadline.due_on, since=today))
    return (window.kind, window.sequence) if window.first <= today else None


@dataclass
class ReminderRun:
    sent: list
    failed: list  # (member, error): the row was rolled back, the next run retries
    unreached: list = field(default_factory=list)  # reminders that reached nobody: the secretariat was told


def reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """Send every reminder due today that was not sent before.

    A member without an active coordinator is reminded through its contacts published with consent; a member
    with neither is named in one e-mail to the secretariat. Each of these is recorded under the same unique key
    as a reminder, so a rerun sends nothing twice, the secretariat's notice included.
    """
    from reports import notifications

    today = today or timezone.localdate()
    members = (
        Member.objects.filter(status=MemberStatus.MEMBER)
        .prefetch_related("reports", *REACH_PREFETCH)
        .order_by("pk")
    )
    run = ReminderRun(sent=[], failed=[])
    nobody = []
    for member in members:
        reports = list(member.reports.all())
        if any(r.status == ReportStatus.SUBMITTED for r in reports):
            continue  # the report is with the secretariat: nothing for the coordinators to do
        deadline = report_deadline(member=member, reports=reports, today=today)
        due = reminder_due(deadline=deadline)
        if due is None:
            continue
        kind, sequence = due
        reach = member_reach(member)
        if reach.nobody:
            nobody.append((member, deadline, kind, sequence))
            continue
        channel = ReminderChannel.COORDINATORS if reach.coordinators else ReminderChannel.CONTACT
        addresses = [u.email for u in reach.coordinators] or [c.email for c in reach.contacts]
        try:
            # The row is written first, in the same transaction as the sending: a concurrent run blocks on the
            # unique key and then skips; a failed send rolls the row back so that the next run retries.
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    member=member, due_on=deadline.due_on, kind=kind, sequence=sequence,
                    recipients=", ".join(addresses), channel=channel,
                )
                notifications.report_reminder(
                    member=member, deadline=deadline, kind=kind, users=reach.coordinators, contacts=reach.contacts
                )
        except IntegrityError:
            continue
        except (OSError, smtplib.SMTPException) as error:
            # One member's failed mail must not keep the others from theirs.
            run.failed.append((member, error))
            continue
        run.sent.append(reminder)
    if nobody:
        _secretariat_told(nobody, run)
    return run


def _secretariat_told(nobody: list, run: ReminderRun) -> None:
    """One notice for all members that no reminder of this run could reach, recorded like their reminders: the
    rows and the notice commit together (a failed notice is retried by the next run, a sent one never again)."""
    try:
        with transaction.atomic():
            recorded = []
            for member, deadline, kind, sequence in nobody:
                try:
                    with transaction.atomic():
                        recorded.append(ReportReminder.objects.create(
                            member=member, due_on=deadline.due_on, kind=kind, sequence=sequence,
                            recipients=settings.SECRETARIAT_EMAIL, channel=ReminderChannel.SECRETARIAT,
                        ))
                except IntegrityError:
                    continue  # told before, or by a concurrent run
            if recorded:
                secretariat_told_unreached(mailing=_("Report reminder"), members=[(r.member, r.due_on) for r in recorded])
    except (OSError, smtplib.SMTPException) as error:
        run.failed.extend((member, error) for member, *_rest in nobody)
        return
    run.unreached.extend(recorded)


# --- Kept drafts of the report editor ------------------------------------------------------------------


def report_draft_keep(
    *, report: ImplementationReport, user, base_version: int, title: str, summary: str, narratives: dict[int, str]
) -> ReportDraft:
    """Keep what `user` typed into the editor, replacing their earlier kept draft; the report is not touched."""
    draft, _created = ReportDraft.objects.update_or_create(
        report=report,
        user=user,
        defaults={
            "base_version": base_version,
            "title": title,
            "summary": summary,
            "narratives": {str(number): text for number, text in narratives.items()},
        },
    )
    return draft


def report_draft_discard(*, report: ImplementationReport, user) -> int:
    """Delete the user's kept draft of the report (after a save, or when they discard it)."""
    return ReportDraft.objects.filter(report=report, user=user).delete()[0]


def report_drafts_prune(*, now: dt.datetime | None = None) -> int:
    """Delete kept drafts older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=REPORT_DRAFT_RETENTION_DAYS)
    return ReportDraft.objects.filter(updated_at__lt=cutoff).delete()[0]
