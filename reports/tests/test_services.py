"""Deadlines: due date, days left, the overdue query used by the admin."""

import datetime as dt

import pytest
import time_machine

from members.models import Member, MemberStatus
from members.tests.factories import MemberFactory
from reports.models import ReportStatus
from reports.services import add_months, members_overdue, members_proposed_for_on_hold, report_deadline, report_due_date
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_it_adds_months_and_clamps_the_day():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 15), 24) == dt.date(2025, 11, 15)
    assert add_months(dt.date(2025, 3, 31), -24) == dt.date(2023, 3, 31)


def test_it_counts_from_admission_then_from_the_last_delivered_report(settings):
    member = MemberFactory(admitted_on=dt.date(2020, 5, 1))
    assert report_due_date(member=member) == dt.date(2022, 5, 1)
    ReportFactory(member=member, status=ReportStatus.SUBMITTED, period_end=dt.date(2023, 12, 31))
    assert report_due_date(member=member) == dt.date(2022, 5, 1)
    ReportFactory(member=member, status=ReportStatus.ACCEPTED, period_start=dt.date(2020, 5, 1), period_end=dt.date(2022, 4, 30))
    assert report_due_date(member=member) == dt.date(2024, 4, 30)
    settings.REPORT_INTERVAL_MONTHS = 12
    assert report_due_date(member=member) == dt.date(2023, 4, 30)


def test_it_knows_no_due_date_without_admission_or_report():
    assert report_due_date(member=MemberFactory(admitted_on=None)) is None


@time_machine.travel(dt.datetime(2024, 4, 20, 12, 0), tick=False)
def test_it_reports_days_left_and_overdue():
    deadline = report_deadline(member=MemberFactory(admitted_on=dt.date(2022, 4, 30)))
    assert deadline.days_left == 10 and not deadline.is_overdue
    deadline = report_deadline(member=MemberFactory(admitted_on=dt.date(2022, 4, 10)))
    assert deadline.is_overdue and deadline.days_overdue == 10
    overdue = set(members_overdue(Member.objects.all()).values_list("admitted_on", flat=True))
    assert overdue == {dt.date(2022, 4, 10)}


def test_it_proposes_for_on_hold_only_members_overdue_by_more_than_the_grace_months(settings):
    settings.REPORT_INTERVAL_MONTHS, settings.ON_HOLD_AFTER_MONTHS = 24, 6
    today = dt.date(2027, 3, 15)
    # due 2026-09-14: overdue by 6 months and a day
    late = MemberFactory(admitted_on=dt.date(2024, 9, 14))
    # due 2026-09-15: overdue by exactly 6 months, not more
    MemberFactory(admitted_on=dt.date(2024, 9, 15))
    # overdue long ago, but already on hold: nothing to propose
    MemberFactory(admitted_on=dt.date(2020, 1, 1), status=MemberStatus.ON_HOLD)
    # overdue long ago, but a delivered report moved the deadline on
    delivered = MemberFactory(admitted_on=dt.date(2020, 1, 1))
    ReportFactory(member=delivered, status=ReportStatus.ACCEPTED, period_start=dt.date(2023, 1, 1), period_end=dt.date(2025, 6, 30))
    assert list(members_proposed_for_on_hold(today=today)) == [late]
