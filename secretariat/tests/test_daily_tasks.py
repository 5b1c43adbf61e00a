"""`manage.py daily_tasks`: the daily jobs in one command, safe to run again, saying what each did."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from core.models import SecurityEvent, SecurityEventKind
from members.models import ApplicationStatus, Member, MemberStatus, MembershipApplication
from members.tests.factories import ApplicationFactory
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("daily_tasks", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False)
def test_it_applies_the_changes_due_on_the_given_day_once(dresden, duesseldorf, staff):
    dresden.put_on_hold(by=staff, on=dt.date(2027, 1, 15), reason="Bericht überfällig")
    duesseldorf.suspend(by=staff, on=dt.date(2027, 2, 1), reason="Beitrag")
    assert "applied: 0" in _run()
    out = _run("--today", "2027-01-15")
    assert "dresden:" in out and "duesseldorf" not in out and "applied: 1" in out
    assert "applied: 0" in _run("--today", "2027-01-15")
    dresden.refresh_from_db()
    duesseldorf.refresh_from_db()
    assert (dresden.status, duesseldorf.status) == (MemberStatus.ON_HOLD, MemberStatus.MEMBER)


SENT = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_it_deletes_applications_past_their_period_and_says_how_many(settings, staff):
    settings.APPLICATION_RETENTION_DAYS, settings.APPLICATION_IP_RETENTION_DAYS = 180, 30
    with time_machine.travel(SENT, tick=False):
        ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, name="Unbestätigt", member=None, submitted_from="198.51.100.4")
        declined = ApplicationFactory(
            status=ApplicationStatus.DECLINED, name="Abgelehnt", decided_at=SENT, decided_by=staff,
            member__status=MemberStatus.DECLINED, member__slug="abgelehnt",
        )
        # A report refers to this declined member: nothing of it is deleted, a person decides.
        referenced = ApplicationFactory(
            status=ApplicationStatus.DECLINED, name="Mit Bericht", decided_at=SENT, decided_by=staff,
            member__status=MemberStatus.DECLINED, member__slug="mit-bericht",
        )
        ReportFactory(member=referenced.member)
    with time_machine.travel(dt.datetime(2027, 7, 2, 4, tzinfo=dt.UTC), tick=False):
        first = _run()
        second = _run()
    assert "Applications: 2 declined or unconfirmed deleted (older than 180 days), 1 kept" in first
    assert "1 IP addresses cleared" in first
    assert "Applications: 0 declined or unconfirmed deleted (older than 180 days), 1 kept" in second
    assert list(MembershipApplication.objects.values_list("name", flat=True)) == ["Mit Bericht"]
    assert not Member.objects.filter(pk=declined.member_id).exists() and Member.objects.filter(slug="mit-bericht").exists()
    details = list(SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_DELETED).values_list("detail", flat=True))
    assert details == ["applications: 2 deleted, 1 IP addresses cleared, 1 kept (referenced)"]


def test_it_deletes_expired_sessions_and_keeps_live_ones(client, dresden_lead):
    from django.contrib.sessions.models import Session

    client.force_login(dresden_lead)
    live = client.session.session_key
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert "Sessions: expired ones deleted." in _run()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_it_deletes_kept_report_drafts_older_than_30_days():
    from reports.models import ReportDraft
    from reports.tests.factories import ReportDraftFactory

    with time_machine.travel(dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC), tick=False):
        ReportDraftFactory()
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        kept = ReportDraftFactory()
    with time_machine.travel(dt.datetime(2027, 2, 5, 4, tzinfo=dt.UTC), tick=False):
        assert "Report drafts: 1 kept drafts deleted (older than 30 days)." in _run()
        assert "Report drafts: 0 kept drafts deleted" in _run()
    assert list(ReportDraft.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "Report drafts: 1 kept drafts deleted" in _run("--today", "2027-03-01")
