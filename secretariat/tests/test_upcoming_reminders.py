"""The upcoming report reminders: the list predicts, day by day, what `send_report_reminders` then sends."""

import datetime as dt
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.text import slugify

from core.dates import add_days, add_months
from members.models import MemberStatus
from members.tests.factories import AssignmentFactory, MemberFactory, UserFactory
from reports.models import ReminderKind, ReportReminder, ReportStatus
from reports.services import Deadline, reminder_due, reminder_windows, report_due_date
from reports.tests.factories import ReportFactory
from secretariat.tests.bulk import bulk_members
from secretariat.upcoming import upcoming_reminders

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
BERLIN = ZoneInfo("Europe/Berlin")
URL = "/admin/queue/reminders/"


def _member(name: str, due_in: int, *, coordinators: int = 1, **kwargs):
    due = add_days(TODAY, due_in)
    member = MemberFactory(name=name, slug=slugify(name), admitted_on=add_months(due, -settings.REPORT_INTERVAL_MONTHS), **kwargs)
    assert report_due_date(member=member) == due
    for i in range(coordinators):
        AssignmentFactory(member=member, user=UserFactory(username=f"{member.slug}-{i}", email=f"{i}@{member.slug}.example"))
    return member


@pytest.fixture
def members():
    _member("Stadt Bald", 30)  # 60 days before: now; 14 days before: in 16 days; due date: in 30
    late = _member("Stadt Spät", -25, coordinators=2)  # the due-date reminder went out: overdue rounds in 5 and 35 days
    ReportReminder.objects.create(member=late, due_on=add_days(TODAY, -25), kind=ReminderKind.DUE, sequence=0,
                                  sent_at=dt.datetime(2027, 2, 4, 7, tzinfo=BERLIN))
    _member("Stadt Später", 100)  # 60 days before: in 40 days
    _member("Stadt Fern", 200)  # nothing within 60 days
    _member("Stadt Allein", 10, coordinators=0)  # due soon, nobody to tell
    inactive = _member("Stadt Verwaist", 20, coordinators=0)
    AssignmentFactory(member=inactive, user=UserFactory(username="gone", is_active=False))
    waiting = _member("Stadt Eingereicht", 5)  # its report is with the secretariat: no reminders
    ReportFactory(member=waiting, status=ReportStatus.SUBMITTED)
    _member("Stadt Ruhend", 5, status=MemberStatus.ON_HOLD)  # the sender reminds full members only


def _predicted(today=TODAY):
    return [(r.on, r.member.name, str(r.kind), r.sequence, ", ".join(u.email for u in r.recipients)) for r in upcoming_reminders(today=today)]


def test_it_lists_each_reminder_with_its_day_and_its_recipients(members):
    assert _predicted() == [
        (TODAY, "Stadt Allein", "14", 0, ""),
        (TODAY, "Stadt Bald", "60", 0, "0@stadt-bald.example"),
        (TODAY, "Stadt Verwaist", "60", 0, ""),
        (add_days(TODAY, 5), "Stadt Spät", "overdue", 1, "0@stadt-spat.example, 1@stadt-spat.example"),
        (add_days(TODAY, 6), "Stadt Verwaist", "14", 0, ""),
        (add_days(TODAY, 10), "Stadt Allein", "due", 0, ""),
        (add_days(TODAY, 16), "Stadt Bald", "14", 0, "0@stadt-bald.example"),
        (add_days(TODAY, 20), "Stadt Verwaist", "due", 0, ""),
        (add_days(TODAY, 30), "Stadt Bald", "due", 0, "0@stadt-bald.example"),
        (add_days(TODAY, 35), "Stadt Spät", "overdue", 2, "0@stadt-spat.example, 1@stadt-spat.example"),
        (add_days(TODAY, 40), "Stadt Allein", "overdue", 1, ""),
        (add_days(TODAY, 40), "Stadt Später", "60", 0, "0@stadt-spater.example"),
        (add_days(TODAY, 50), "Stadt Verwaist", "overdue", 1, ""),
    ]


def test_it_predicts_what_the_daily_run_then_sends(members):
    # A member nobody reaches is still reminded: the secretariat is told, and that is recorded like a reminder.
    predicted = {(on, name, kind, sequence, to or settings.SECRETARIAT_EMAIL) for on, name, kind, sequence, to in _predicted()}
    sent = set()
    for day in range(60):
        on = add_days(TODAY, day)
        with time_machine.travel(dt.datetime(on.year, on.month, on.day, 7, tzinfo=BERLIN), tick=False):
            call_command("send_report_reminders", stdout=open("/dev/null", "w"))
            sent |= {
                (r.sent_at.astimezone(BERLIN).date(), r.member.name, str(r.kind), r.sequence, r.recipients)
                for r in ReportReminder.objects.filter(sent_at__date__gte=TODAY).select_related("member")
            }
    assert sent == predicted
    assert len(sent) == 13


def test_it_leaves_out_a_reminder_already_sent_today(members):
    with time_machine.travel(dt.datetime(2027, 3, 1, 7, tzinfo=BERLIN), tick=False):
        call_command("send_report_reminders", stdout=open("/dev/null", "w"))
        names = [(name, kind) for on, name, kind, _, _ in _predicted() if on == TODAY]
    # Sent today, also to the secretariat for the two members nobody reaches: none of today's is still to come.
    assert names == []


@pytest.fixture
def secretariat_client(client, staff):
    client.force_login(staff)
    return client


def test_it_shows_the_list_in_both_languages_and_marks_who_no_one_reaches(client, staff, members):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=BERLIN), tick=False):
        client.force_login(staff)  # now: a session from before the journey would have expired
        german = client.get(URL).content.decode()
        english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Anstehende Berichtserinnerungen" in german and "13 Erinnerungen" in german
    assert "Niemand: keine Koordination" in german and "0@stadt-bald.example" in german
    assert "01.03.2027" in german
    assert "Upcoming report reminders" in english and "No one: no coordinator and no published contact; the secretariat is told" in english
    assert german.count('class="upcoming-nobody"') == 7  # Stadt Allein thrice, Stadt Verwaist four times


def test_it_is_linked_from_the_queue(secretariat_client):
    assert reverse("secretariat_upcoming_reminders") in secretariat_client.get("/admin/queue/").content.decode()


@pytest.mark.parametrize("page", ["abc", "999", "-1", "1"])
def test_it_shows_a_page_for_any_page_number(secretariat_client, members, page):
    response = secretariat_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert "Stadt Bald" in response.content.decode()


def test_it_needs_the_same_queries_at_ten_thousand_members_as_at_ten(secretariat_client, django_assert_max_num_queries):
    bulk_members(10)
    with django_assert_max_num_queries(12) as few:
        assert secretariat_client.get(URL).status_code == 200
    bulk_members(9990, offset=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretariat_client.get(URL)
    assert response.context_data["total"] > 10000 and response.context_data["page"].paginator.num_pages > 100



@pytest.mark.parametrize("days_left, expected", [
    (61, None), (60, ("60", 0)), (15, ("60", 0)), (14, ("14", 0)), (1, ("14", 0)), (0, ("due", 0)), (-29, ("due", 0)),
    (-30, ("overdue", 1)), (-59, ("overdue", 1)), (-60, ("overdue", 2)), (-3650, ("overdue", 121)),
])
def test_it_keeps_the_senders_schedule_at_every_boundary(days_left, expected):
    due = reminder_due(deadline=Deadline(due_on=TODAY, days_left=days_left))
    assert (due and (str(due[0]), due[1])) == expected


def test_it_leaves_no_gap_between_the_windows():
    windows = list(islice(reminder_windows(due_on=TODAY, since=add_days(TODAY, -60)), 8))
    assert windows[0].first == add_days(TODAY, -60)
    assert all(later.first == add_days(earlier.last, 1) for earlier, later in zip(windows, windows[1:]))
