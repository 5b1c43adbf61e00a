import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import ApplicationStatus, Member, MemberStatus, SitePage
from members.services import invitation_send
from members.tests.factories import ApplicationFactory, AssignmentFactory, MemberFactory, UserFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory
from secretariat.queue import work_queue

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 15)


def _counts(**kwargs) -> dict:
    return {line.key: line.count for line in work_queue(today=TODAY, **kwargs)}


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


def test_it_needs_the_same_queries_at_ten_thousand_members_as_at_ten(django_assert_max_num_queries):
    def members(n: int, offset: int) -> None:
        Member.objects.bulk_create(
            Member(name=f"Stadt {offset + i}", slug=f"stadt-{offset + i}", kind="city", country="DE",
                   status=MemberStatus.MEMBER, admitted_on=dt.date(2020, 1, 1))
            for i in range(n)
        )

    members(10, 0)
    with django_assert_max_num_queries(12) as few:
        work_queue(today=TODAY)
    members(9990, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        lines = work_queue(today=TODAY)
    assert next(line.count for line in lines if line.key == "overdue") == 10000
