"""The report workflow: every valid and invalid transition, the record of who and when, the e-mails."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from members.tests.factories import UserFactory
from reports.models import ImplementationReport, ReportStatus, ReportTransitionError
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

ALL = set(ReportStatus.values)


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def reload(report):
    return ImplementationReport.objects.get(pk=report.pk)


def test_it_runs_the_whole_workflow_and_records_every_step(draft, dresden_lead, staff, mailoutbox, settings):
    settings.REPORTS_NOTIFY_EMAILS = ["sekretariat@example.org"]
    draft.submit(by=dresden_lead)
    assert draft.status == ReportStatus.SUBMITTED and draft.submitted_at is not None
    assert mailoutbox[-1].to == ["sekretariat@example.org"]
    draft.return_to_member(by=staff, feedback="Bitte Verpflichtung 3 ergänzen.")
    assert draft.status == ReportStatus.RETURNED and draft.is_editable
    assert "Bitte Verpflichtung 3 ergänzen." in mailoutbox[-1].body
    assert mailoutbox[-1].to == [dresden_lead.email]
    draft.submit(by=dresden_lead)
    draft.accept(by=staff)
    assert mailoutbox[-1].to == [dresden_lead.email]
    draft.publish(by=staff)
    report = reload(draft)
    assert report.status == ReportStatus.PUBLISHED and report.published_at is not None
    steps = [(t.from_status, t.to_status, t.by) for t in report.transitions.all()]
    assert steps == [
        ("draft", "submitted", dresden_lead),
        ("submitted", "returned", staff),
        ("returned", "submitted", dresden_lead),
        ("submitted", "accepted", staff),
        ("accepted", "published", staff),
    ]
    assert all(t.at is not None for t in report.transitions.all())
    assert report.version == 6


def test_it_is_a_validation_error_with_a_translated_message(draft, dresden_editor):
    from django.utils import translation

    with pytest.raises(ValidationError) as info:
        draft.submit(by=dresden_editor)
    # The message is lazy: it speaks the language of whoever displays it.
    with translation.override("en"):
        assert info.value.messages[0] == "Only the lead coordinator can submit a report."
    with translation.override("de"):
        assert "federführende Koordination" in info.value.messages[0]


@pytest.mark.parametrize("status", sorted(ALL - {"draft", "returned"}))
def test_it_refuses_to_submit_a_report_that_is_not_a_draft(dresden, dresden_lead, status):
    report = ReportFactory(member=dresden, status=status)
    with pytest.raises(ReportTransitionError):
        report.submit(by=dresden_lead)
    assert reload(report).status == status and not report.transitions.exists()


@pytest.mark.parametrize("status", sorted(ALL - {"submitted"}))
def test_it_refuses_to_accept_or_return_a_report_that_is_not_submitted(dresden, staff, status):
    report = ReportFactory(member=dresden, status=status)
    with pytest.raises(ReportTransitionError):
        report.accept(by=staff)
    with pytest.raises(ReportTransitionError):
        report.return_to_member(by=staff, feedback="Feedback")
    assert reload(report).status == status and not report.transitions.exists()


@pytest.mark.parametrize("status", sorted(ALL - {"accepted"}))
def test_it_refuses_to_publish_a_report_that_is_not_accepted(dresden, staff, status):
    report = ReportFactory(member=dresden, status=status)
    with pytest.raises(ReportTransitionError):
        report.publish(by=staff)
    assert reload(report).status == status and reload(report).published_at is None


def test_it_refuses_submission_by_an_editor_or_an_outsider(draft, dresden_editor, outsider, mailoutbox):
    for user in (dresden_editor, outsider):
        with pytest.raises(ReportTransitionError):
            draft.submit(by=user)
    report = reload(draft)
    assert report.status == ReportStatus.DRAFT and report.snapshot is None and report.version == 1
    assert mailoutbox == []


def test_it_lets_staff_submit_on_behalf_of_the_member(draft, staff):
    draft.submit(by=staff)
    assert reload(draft).status == ReportStatus.SUBMITTED


def test_it_refuses_review_steps_by_coordinators(draft, dresden_lead):
    draft.submit(by=dresden_lead)
    for step in (lambda: draft.accept(by=dresden_lead), lambda: draft.return_to_member(by=dresden_lead, feedback="x")):
        with pytest.raises(ReportTransitionError):
            step()
    assert reload(draft).status == ReportStatus.SUBMITTED


def test_it_refuses_to_return_without_feedback(draft, dresden_lead, staff):
    draft.submit(by=dresden_lead)
    with pytest.raises(ReportTransitionError) as info:
        draft.return_to_member(by=staff, feedback="   ")
    assert info.value.code == "no_feedback"
    assert reload(draft).status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("status", [ReportStatus.ACCEPTED, ReportStatus.PUBLISHED])
def test_it_refuses_a_period_overlapping_an_accepted_report(draft, dresden, dresden_lead, staff, status):
    ReportFactory(member=dresden, status=status, period_start=dt.date(2021, 1, 1), period_end=dt.date(2023, 3, 31))
    with pytest.raises(ReportTransitionError) as info:
        draft.submit(by=dresden_lead)
    assert info.value.code == "overlap"
    assert reload(draft).status == ReportStatus.DRAFT


def test_it_allows_overlap_with_another_members_or_an_unaccepted_report(draft, dresden, duesseldorf, dresden_lead):
    ReportFactory(member=duesseldorf, status=ReportStatus.PUBLISHED)
    ReportFactory(member=dresden, status=ReportStatus.DRAFT)
    draft.submit(by=dresden_lead)
    assert reload(draft).status == ReportStatus.SUBMITTED


def test_it_freezes_the_plan_at_submission(draft, dresden, dresden_lead, commitments, staff):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", progress=40)
    MeasureUpdateFactory(measure=measure, date=dt.date(2023, 6, 1), text="Eröffnet")
    MeasureUpdateFactory(measure=measure, date=dt.date(2022, 6, 1), text="Vor dem Zeitraum")
    MeasureFactory(plan=plan, commitment=commitments[0], title="Intern", is_public=False)
    draft.submit(by=dresden_lead)
    frozen = reload(draft).snapshot

    measure.title = "Umbenannt"
    measure.progress = 90
    measure.save()
    MeasureUpdateFactory(measure=measure, date=dt.date(2023, 7, 1), text="Nachträglich")
    draft.accept(by=staff)
    draft.publish(by=staff)

    report = reload(draft)
    assert report.snapshot == frozen
    third = report.snapshot["commitments"][2]
    assert third["number"] == 3
    assert third["measures"] == [
        {
            "id": measure.pk,
            "title": "Beratungsstelle",
            "status": "in_progress",
            "progress": 40,
            "responsible_unit": "",
            "updates": [{"date": "2023-06-01", "text": "Eröffnet", "status_change": ""}],
        }
    ]
    assert report.snapshot["commitments"][0]["measures"] == []


def test_it_tells_the_coordinators_in_their_language(draft, dresden, dresden_lead, staff, mailoutbox):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory

    english = UserFactory(username="dresden-en", language="en")
    AssignmentFactory(user=english, member=dresden, role=CoordinatorRole.EDITOR)
    draft.submit(by=dresden_lead)
    mailoutbox.clear()
    draft.return_to_member(by=staff, feedback="Please add figures.")
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert "zurückgegeben" in by_recipient[dresden_lead.email].subject
    assert "returned" in by_recipient[english.email].subject
    assert "Please add figures." in by_recipient[english.email].body


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_reviews_win(dresden, dresden_lead, staff, commitments):
    """Two staff members click at the same moment: the row lock makes the second see the first's result."""
    import threading

    from django.db import connection

    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    barrier = threading.Barrier(2)
    outcomes = []

    def review(step):
        try:
            copy = ImplementationReport.objects.get(pk=report.pk)
            barrier.wait()
            step(copy)
            outcomes.append("ok")
        except ReportTransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=review, args=(lambda r: r.accept(by=staff),)),
        threading.Thread(target=review, args=(lambda r: r.return_to_member(by=staff, feedback="Nein"),)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert reload(report).transitions.count() == 2  # submit + exactly one review


def test_it_links_every_report_email_to_the_page_where_the_reader_acts(draft, dresden, dresden_lead, staff, mailoutbox, settings):
    settings.REPORTS_NOTIFY_EMAILS = ["sekretariat@example.org"]
    settings.PORTAL_URL = "https://portal.example.org"
    draft.submit(by=dresden_lead)
    assert f"https://portal.example.org/admin/reports/implementationreport/{draft.pk}/change/" in mailoutbox[-1].body
    draft.return_to_member(by=staff, feedback="Bitte ergänzen.")
    assert f"https://portal.example.org/de/dashboard/dresden/reports/{draft.pk}/" in mailoutbox[-1].body


def test_it_refuses_to_delete_a_document_of_a_report_submitted_meanwhile(draft, dresden_lead):
    from reports.tests.factories import ReportDocumentFactory

    document = ReportDocumentFactory(report=draft)
    # The editor page was loaded while the report was a draft; the lead submits before the delete arrives.
    stale = ImplementationReport.objects.get(pk=draft.pk)
    ImplementationReport.objects.get(pk=draft.pk).submit(by=dresden_lead)
    with pytest.raises(ReportTransitionError):
        stale.remove_document(document=document, by=dresden_lead)
    assert reload(draft).documents.filter(pk=document.pk).exists()
