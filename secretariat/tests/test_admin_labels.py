"""German admin pages show labels, never the codes behind them (statuses, transitions, filters)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members.models import MemberStatus
from members.tests.factories import MemberFactory
from reports.models import ReportStatus, ReportTransition
from reports.tests.factories import ReportFactory
from secretariat.models import Announcement
from secretariat.queue import work_queue

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(on_hold|suspended|submitted|draft|applicant)\b|\[&#x27;|\[&quot;|\[\"|\[\'|%5B|\bNone\b")


def visible_text(body: str) -> str:
    """What the page says (tags, scripts and hidden inputs left out)."""
    body = re.sub(r"<script.*?</script>|<svg.*?</svg>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_it_links_the_overdue_line_to_a_list_of_exactly_those_members_without_raw_codes(client, staff):
    late = MemberFactory(name="Spätstadt", admitted_on=dt.date(2020, 1, 1), status=MemberStatus.ON_HOLD)
    MemberFactory(name="Altstadt", admitted_on=dt.date(2010, 1, 1), status=MemberStatus.FORMER)  # nobody's work
    line = next(line for line in work_queue() if line.key == "overdue")
    assert "status__in" not in line.url
    client.force_login(staff)
    response = client.get(line.url, HTTP_ACCEPT_LANGUAGE="de")
    assert [m.name for m in response.context["cl"].result_list] == [late.name] and line.count == 1
    body = response.content.decode()
    assert not CODES.search(visible_text(body)), CODES.search(visible_text(body))
    # Django's "clear all filters" link once carried the status list as a Python list: ?status__in=['member', …].
    assert "%5B" not in body and "status__in" not in body


def test_it_names_a_report_transition_by_its_labels(dresden):
    report = ReportFactory(member=dresden)
    transition = ReportTransition.objects.create(report=report, from_status=ReportStatus.DRAFT, to_status=ReportStatus.SUBMITTED)
    with translation.override("de"):
        assert str(transition).endswith("Entwurf → Eingereicht")
    with translation.override("en"):
        assert str(transition).endswith("Draft → Submitted")


def test_it_shows_a_sent_announcements_filters_by_their_labels(client, staff):
    announcement = Announcement.objects.create(
        subject_de="Treffen", body_de="Text", statuses=[MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED],
        countries=["DE", "AT"], sent_at=timezone.now(),
    )
    client.force_login(staff)
    body = client.get(reverse("admin:secretariat_announcement_change", args=[announcement.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Mitglied, Ruhend, Ausgesetzt" in body
    assert "Deutschland, Österreich" in body
    assert not CODES.search(visible_text(body)), CODES.search(visible_text(body))
