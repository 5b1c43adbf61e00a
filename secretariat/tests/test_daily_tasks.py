"""`manage.py daily_tasks`: the daily jobs in one command, safe to run again, saying what each did."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from members.models import MemberStatus

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
