"""ReportDraft: what it compares with the saved report, and the pruning after 30 days."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from reports.models import ReportDraft
from reports.services import report_draft_discard, report_draft_keep, report_drafts_prune
from reports.tests.factories import ReportDraftFactory, ReportFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)


def test_it_keeps_one_draft_per_report_and_user(dresden_editor):
    report = ReportFactory(title="Gespeichert")
    first = report_draft_keep(report=report, user=dresden_editor, base_version=1, title="A", summary="", narratives={1: "eins"})
    second = report_draft_keep(report=report, user=dresden_editor, base_version=1, title="B", summary="", narratives={1: "zwei"})
    assert first.pk == second.pk and ReportDraft.objects.get().narratives == {"1": "zwei"}
    with pytest.raises(IntegrityError):
        ReportDraftFactory(report=report, user=dresden_editor)


def test_it_knows_whether_it_differs_from_the_saved_report():
    report = ReportFactory(title="Titel", summary="Kurz")
    same = ReportDraftFactory.build(report=report, title="Titel", summary="Kurz", narratives={"2": "Text", "3": ""})
    assert not same.differs_from(report, {2: "Text"})
    assert same.differs_from(report, {2: "Anders"})
    assert ReportDraftFactory.build(report=report, title="Neu", summary="Kurz").differs_from(report, {})


def test_it_discards_only_the_users_draft(dresden_editor, dresden_lead):
    report = ReportFactory()
    ReportDraftFactory(report=report, user=dresden_editor)
    ReportDraftFactory(report=report, user=dresden_lead)
    assert report_draft_discard(report=report, user=dresden_editor) == 1
    assert list(ReportDraft.objects.values_list("user", flat=True)) == [dresden_lead.pk]


def test_it_prunes_drafts_older_than_30_days_only():
    with time_machine.travel(NOW - dt.timedelta(days=30, seconds=1), tick=False):
        old = ReportDraftFactory()
    with time_machine.travel(NOW - dt.timedelta(days=29, hours=23), tick=False):
        recent = ReportDraftFactory()
    assert report_drafts_prune(now=NOW) == 1
    assert list(ReportDraft.objects.values_list("pk", flat=True)) == [recent.pk]
    assert report_drafts_prune(now=NOW) == 0
    assert not ReportDraft.objects.filter(pk=old.pk).exists()
