"""Thousands of members in a few statements, for the query-count tests of the queue and the member list."""

import datetime as dt

from members.models import CoordinatorAssignment, Member, MemberStatus
from members.tests.factories import UserFactory
from reports.models import ImplementationReport, ReportStatus


def bulk_members(count: int, *, offset: int = 0) -> None:
    """Members numbered offset … offset + count − 1. By number: three in four overdue (admitted 2020), every
    second one without a coordinator, every tenth with an accepted report waiting for publication."""
    numbers = range(offset, offset + count)
    members = Member.objects.bulk_create(
        [
            Member(name=f"Stadt {n:05d}", slug=f"stadt-{n:05d}", kind="city", country=("DE", "AT", "FR")[n % 3],
                   status=MemberStatus.MEMBER, admitted_on=dt.date(2026, 6, 1) if n % 4 == 3 else dt.date(2020, 1, 1))
            for n in numbers
        ],
        batch_size=2000,
    )
    coordinator = UserFactory(username="bulk-coordinator")
    CoordinatorAssignment.objects.bulk_create(
        [CoordinatorAssignment(user=coordinator, member=m) for n, m in zip(numbers, members) if n % 2 == 0], batch_size=2000
    )
    ImplementationReport.objects.bulk_create(
        [
            ImplementationReport(member=m, period_start=dt.date(2023, 1, 1), period_end=dt.date(2024, 12, 31), status=ReportStatus.ACCEPTED)
            for n, m in zip(numbers, members)
            if n % 10 == 0
        ],
        batch_size=2000,
    )
