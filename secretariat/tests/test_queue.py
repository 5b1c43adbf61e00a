import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from members.models import ApplicationStatus, MemberStatus, SitePage
from members.services import application_accept_for_processing, invitation_send
from members.tests.factories import ApplicationFactory, AssignmentFactory, MemberFactory, UserFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory
from secretariat.queue import work_queue
from secretariat.tests.bulk import bulk_members

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 15)


def _counts(**kwargs) -> dict:
    return {line.key: line.count for line in work_queue(today=TODAY, **kwargs)}


def _line(key: str, today: dt.date = TODAY):
    return next(line for line in work_queue(today=today) if line.key == key)


@pytest.fixture
def world(dresden, staff):
    ApplicationFactory()  # confirmed: waiting
    ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, member=None)  # not yet the secretariat's business
    old = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(days=12))
    ReportFactory(status=ReportStatus.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(days=2))
    ReportFactory(status=ReportStatus.RETURNED)
    MemberFactory(admitted_on=dt.date(2024, 9, 1))  # due 2026-09-01: overdue, and by more than six months
    MemberFactory(admitted_on=dt.date(2025, 1, 1))  # due 2027-01-01: overdue, not yet proposed
    MemberFactory(admitted_on=dt.date(2010, 1, 1), status=MemberStatus.FORMER)  # nobody's work
    invitation_send(member=dresden, email="neu@dresden.de", role="editor", language="de", by=staff)
    AssignmentFactory(user=UserFactory(last_login=None), member=dresden)
    return {"old": old}


def test_it_counts_what_waits_for_the_secretariat(world):
    counts = _counts()
    assert counts["applications"] == 1
    assert (counts["submitted"], counts["returned"]) == (2, 1)
    assert (counts["overdue"], counts["on_hold"]) == (2, 1)
    assert (counts["invitations_pending"], counts["invitations_expired"]) == (1, 0)
    assert counts["never_logged_in"] >= 1
    assert counts["legal_pages"] == SitePage.objects.count() == 3  # the migration's placeholder texts


def test_it_lists_submitted_reports_oldest_first_with_the_days_waiting(world):
    line = next(line for line in work_queue(today=TODAY) if line.key == "submitted")
    assert line.items[0].url == reverse("admin:reports_implementationreport_change", args=[world["old"].pk])
    assert "12" in str(line.items[0].note)


def test_it_stops_counting_a_legal_page_once_the_secretariat_has_written_it():
    page = SitePage.objects.get(key="imprint")
    page.body_de = "ECCAR-Sekretariat, Heidelberg"
    page.save()
    assert _counts()["legal_pages"] == 2


def test_it_counts_expired_invitations_apart(dresden, staff):
    invitation = invitation_send(member=dresden, email="alt@dresden.de", role="editor", language="de", by=staff)
    type(invitation).objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert (_counts()["invitations_pending"], _counts()["invitations_expired"]) == (0, 1)


def test_it_links_every_line_to_an_admin_list_that_loads(client, staff, world):
    client.force_login(staff)
    for line in work_queue(today=TODAY):
        response = client.get(line.url)
        assert response.status_code == 200, line.url
        for item in line.items:
            assert client.get(item.url).status_code == 200, item.url


def test_it_keeps_an_application_accepted_for_processing_until_the_town_is_admitted(staff):
    application = ApplicationFactory()
    application_accept_for_processing(application=application, by=staff)
    type(application).objects.filter(pk=application.pk).update(accepted_at=timezone.now() - dt.timedelta(days=9))
    line = _line("in_process")
    assert (line.count, _counts()["applications"]) == (1, 0)
    assert line.items[0].url == reverse("admin:members_membershipapplication_change", args=[application.pk])
    assert "9" in line.items[0].note
    application.refresh_from_db()
    application.admit(by=staff, on=dt.date(2027, 3, 1))
    assert _line("in_process").count == 0


def test_it_keeps_an_accepted_report_until_it_is_published(dresden, staff):
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    report.accept(by=staff)
    report.transitions.filter(to_status=ReportStatus.ACCEPTED).update(at=timezone.now() - dt.timedelta(days=6))
    line = _line("accepted")
    assert (line.count, _counts()["submitted"]) == (1, 0)
    assert line.items[0].url == reverse("admin:reports_implementationreport_change", args=[report.pk])
    assert "6" in line.items[0].note
    report.refresh_from_db()
    report.publish(by=staff)
    assert _line("accepted").count == 0


def test_it_names_the_most_overdue_members_with_their_days_overdue():
    worst = MemberFactory(name="Stadt Alt", admitted_on=dt.date(2024, 9, 1))  # due 2026-09-01
    MemberFactory(name="Stadt Neu", admitted_on=dt.date(2025, 1, 1))  # due 2027-01-01
    overdue = _line("overdue")
    assert [item.label for item in overdue.items] == ["Stadt Alt", "Stadt Neu"]
    assert str((TODAY - dt.date(2026, 9, 1)).days) in overdue.items[0].note
    on_hold = _line("on_hold")
    assert [item.label for item in on_hold.items] == ["Stadt Alt"]
    assert on_hold.items[0].url == reverse("admin:members_member_change", args=[worst.pk])


def test_it_counts_members_that_no_active_account_coordinates(dresden):
    AssignmentFactory(member=dresden)
    gone = MemberFactory(name="Stadt Verlassen")
    AssignmentFactory(member=gone, user=UserFactory(is_active=False))
    MemberFactory(name="Stadt Ruhend", status=MemberStatus.ON_HOLD)
    MemberFactory(name="Stadt Ehemals", status=MemberStatus.FORMER)  # nobody's work any more
    ApplicationFactory()  # confirmed: on the applications line, not yet anyone's to coordinate
    drafting = ApplicationFactory(status=ApplicationStatus.IN_PROCESS, name="Gemeinde Entwurf",
                                  member=MemberFactory(status=MemberStatus.APPLICANT, name="Gemeinde Entwurf"))
    line = _line("without_coordinator")
    assert [item.label for item in line.items] == ["Gemeinde Entwurf", "Stadt Ruhend", "Stadt Verlassen"]
    assert line.count == 3
    AssignmentFactory(member=drafting.member)
    assert _line("without_coordinator").count == 2


@time_machine.travel(dt.datetime(2027, 3, 15, 12, tzinfo=dt.UTC), tick=False)  # the filters count from today
def test_it_links_every_line_to_a_list_of_exactly_what_it_counts(client, staff, world):
    ApplicationFactory(status=ApplicationStatus.IN_PROCESS, name="Gemeinde B", member=MemberFactory(status=MemberStatus.APPLICANT))
    ReportFactory(status=ReportStatus.ACCEPTED)
    client.force_login(staff)
    assert {line.key for line in work_queue()} >= {"in_process", "accepted", "without_coordinator", "overdue", "on_hold"}
    SitePage.objects.filter(key="imprint").update(body_de="ECCAR-Sekretariat, Heidelberg")  # written: off the line
    lines = work_queue()
    for line in lines:
        response = client.get(line.url)
        shown = response.context_data["cl"].result_count
        # One of the list's own filter choices, shown as chosen: not a raw lookup such as status__in.
        assert "__in" not in line.url, line.url
        assert (line.key, shown) == (line.key, line.count)
        assert line.count > 0 or line.key.startswith("invitations"), line.key  # the invitation expired meanwhile


def test_it_needs_the_same_queries_at_ten_thousand_members_as_at_ten(django_assert_max_num_queries):
    bulk_members(10)
    with django_assert_max_num_queries(16) as few:
        work_queue(today=TODAY)
    bulk_members(9990, offset=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        lines = {line.key: line for line in work_queue(today=TODAY)}
    assert lines["overdue"].count == 10000 * 3 // 4 and len(lines["overdue"].items) == 5
    assert lines["without_coordinator"].count == 10000 // 2
    assert lines["accepted"].count == 10000 // 10
