"""`manage.py send_report_reminders`: timing, idempotency, language, record of what was sent."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from members.models import CoordinatorRole, MemberStatus
from members.tests.factories import AssignmentFactory, MemberFactory, UserFactory
from reports.models import ReminderKind, ReportReminder, ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

ADMITTED = dt.date(2023, 3, 15)
DUE = dt.date(2025, 3, 15)  # 24 months later


@pytest.fixture
def member(db):
    member = MemberFactory(slug="teststadt", admitted_on=ADMITTED)
    AssignmentFactory(member=member, user=UserFactory(username="lead", email="lead@example.org"), role=CoordinatorRole.LEAD)
    AssignmentFactory(member=member, user=UserFactory(username="editor", email="editor@example.org", language="en"))
    return member


def run_on(day: dt.date) -> int:
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0)), tick=False):
        before = ReportReminder.objects.count()
        call_command("send_report_reminders", stdout=io.StringIO(), stderr=io.StringIO())
        return ReportReminder.objects.count() - before


@pytest.mark.parametrize(
    ("day", "kind", "sequence"),
    [
        (DUE - dt.timedelta(days=60), ReminderKind.DAYS_60, 0),
        (DUE - dt.timedelta(days=14), ReminderKind.DAYS_14, 0),
        (DUE, ReminderKind.DUE, 0),
        (DUE + dt.timedelta(days=30), ReminderKind.OVERDUE, 1),
        (DUE + dt.timedelta(days=60), ReminderKind.OVERDUE, 2),
    ],
)
def test_it_reminds_on_each_milestone(member, mailoutbox, day, kind, sequence):
    assert run_on(day) == 1
    reminder = ReportReminder.objects.get()
    assert (reminder.kind, reminder.sequence, reminder.due_on) == (kind, sequence, DUE)
    assert sorted(m.to[0] for m in mailoutbox) == ["editor@example.org", "lead@example.org"]
    assert reminder.recipients == "lead@example.org, editor@example.org" or "lead@example.org" in reminder.recipients


def test_it_sends_nothing_before_the_first_milestone_or_between_rounds(member, mailoutbox):
    assert run_on(DUE - dt.timedelta(days=61)) == 0
    assert run_on(DUE + dt.timedelta(days=29)) == 1  # the missed due-date reminder, caught up once
    assert run_on(DUE + dt.timedelta(days=29)) == 0
    assert len(mailoutbox) == 2


def test_it_is_idempotent_within_a_day_and_across_a_window(member, mailoutbox):
    day = DUE - dt.timedelta(days=60)
    assert run_on(day) == 1
    assert run_on(day) == 0
    assert run_on(day + dt.timedelta(days=1)) == 0  # still the 60-day window: already sent
    assert run_on(DUE - dt.timedelta(days=14)) == 1
    assert len(mailoutbox) == 4


def test_it_follows_a_whole_cycle_once(member, mailoutbox):
    sent = sum(run_on(DUE - dt.timedelta(days=70) + dt.timedelta(days=n)) for n in range(0, 70 + 95))
    kinds = list(ReportReminder.objects.order_by("sent_at").values_list("kind", "sequence"))
    assert kinds == [("60", 0), ("14", 0), ("due", 0), ("overdue", 1), ("overdue", 2), ("overdue", 3)]
    assert sent == 6 and len(mailoutbox) == 12


def test_it_writes_in_the_coordinators_language(member, mailoutbox):
    run_on(DUE - dt.timedelta(days=14))
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert "due on" in by_recipient["editor@example.org"].subject
    assert "in 14 days" in by_recipient["editor@example.org"].body


def test_it_counts_from_the_last_accepted_report(member, mailoutbox):
    ReportFactory(member=member, status=ReportStatus.PUBLISHED, period_start=dt.date(2023, 1, 1), period_end=dt.date(2024, 6, 30))
    assert run_on(DUE) == 0
    assert run_on(dt.date(2026, 6, 30)) == 1
    assert ReportReminder.objects.get().due_on == dt.date(2026, 6, 30)


def test_it_skips_members_without_dates_or_membership(db, mailoutbox):
    lonely = MemberFactory(admitted_on=None)
    AssignmentFactory(member=lonely)
    former = MemberFactory(admitted_on=ADMITTED, status=MemberStatus.FORMER)
    AssignmentFactory(member=former)
    assert run_on(DUE) == 0
    assert mailoutbox == []


def test_it_does_not_remind_while_a_report_is_with_the_secretariat(member, mailoutbox):
    report = ReportFactory(member=member, status=ReportStatus.SUBMITTED)
    assert run_on(DUE) == 0
    report.status = ReportStatus.RETURNED
    report.save()
    assert run_on(DUE) == 1


def test_it_records_the_reminder_only_when_the_mail_went_out(member, settings):
    # A real SMTP backend pointed at a closed port: the mail server is down.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with pytest.raises(CommandError):
        run_on(DUE)
    assert not ReportReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_on(DUE) == 1



def test_it_links_to_the_members_reports_page_in_the_readers_language(member, mailoutbox, settings):
    settings.PORTAL_URL = "https://portal.example.org"
    run_on(DUE - dt.timedelta(days=14))
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert "https://portal.example.org/en/dashboard/teststadt/reports/" in by_recipient["editor@example.org"].body
    assert "https://portal.example.org/de/dashboard/teststadt/reports/" in by_recipient["lead@example.org"].body
