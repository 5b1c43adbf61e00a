"""Nobody skipped silently: a member without an active coordinator is reminded through its published contact,
and a member with neither is named to the secretariat, once, by `send_report_reminders` and in the member
admin's "send a report reminder now" (which previews whom it reaches first)."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.management import CommandError, call_command

from core.tests.mail import assert_mail_complete
from members.models import ContactConsent, CoordinatorRole
from members.tests.factories import AssignmentFactory, ContactFactory, MemberFactory, UserFactory
from reports.models import ReminderChannel, ReportReminder

pytestmark = pytest.mark.django_db

ADMITTED = dt.date(2023, 3, 15)
DUE = dt.date(2025, 3, 15)
CHANGELIST = "/admin/members/member/"


@pytest.fixture
def members(db):
    coordinated = MemberFactory(name="Aachen", slug="aachen", admitted_on=ADMITTED)
    AssignmentFactory(member=coordinated, user=UserFactory(username="aachen-lead"), role=CoordinatorRole.LEAD)
    by_contact = MemberFactory(name="Bamberg", slug="bamberg", admitted_on=ADMITTED)
    ContactFactory(member=by_contact, name="Paula Probst", email="probst@bamberg.de", publish=True, consent=ContactConsent.GIVEN)
    ContactFactory(member=by_contact, name="Intern", email="intern@bamberg.de", publish=False)  # not published: never used
    # A coordinator whose account is switched off does not count; its contact is not published: nobody is reached.
    nobody = MemberFactory(name="Celle", slug="celle", admitted_on=ADMITTED)
    AssignmentFactory(member=nobody, user=UserFactory(username="celle-former", is_active=False))
    ContactFactory(member=nobody, email="celle@example.org", publish=False, consent=ContactConsent.GIVEN)
    also_nobody = MemberFactory(name="Dessau", slug="dessau", admitted_on=ADMITTED)
    return {"coordinated": coordinated, "by_contact": by_contact, "nobody": nobody, "also_nobody": also_nobody}


def run_on(day: dt.date) -> str:
    out = io.StringIO()
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0)), tick=False):
        call_command("send_report_reminders", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_reminds_through_the_contact_and_tells_the_secretariat_of_the_rest_once(members, settings):
    output = run_on(DUE)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"aachen-lead@example.org", "probst@bamberg.de", settings.SECRETARIAT_EMAIL}
    assert "Paula Probst" in by_address["probst@bamberg.de"].body
    notice = by_address[settings.SECRETARIAT_EMAIL]
    assert_mail_complete(notice, language="de")
    assert "Celle" in notice.body and "Dessau" in notice.body and "Bamberg" not in notice.body and "Aachen" not in notice.body
    channels = dict(ReportReminder.objects.values_list("member__slug", "channel"))
    assert channels == {"aachen": ReminderChannel.COORDINATORS, "bamberg": ReminderChannel.CONTACT,
                        "celle": ReminderChannel.SECRETARIAT, "dessau": ReminderChannel.SECRETARIAT}
    assert ReportReminder.objects.get(member=members["by_contact"]).recipients == "probst@bamberg.de"
    assert "celle, dessau" in output
    # Rerunning the same day, and the next day in the same window, sends nothing twice: the notice included.
    mail.outbox.clear()
    run_on(DUE)
    run_on(DUE + dt.timedelta(days=1))
    assert mail.outbox == [] and ReportReminder.objects.count() == 4


def test_it_names_in_the_next_notice_only_the_members_not_told_before(members, settings):
    run_on(DUE)
    AssignmentFactory(member=members["also_nobody"], user=UserFactory(username="dessau-lead"))
    mail.outbox.clear()
    run_on(DUE + dt.timedelta(days=30))  # the first overdue round
    notice = [m for m in mail.outbox if m.to == [settings.SECRETARIAT_EMAIL]]
    assert len(notice) == 1 and "Celle" in notice[0].body and "Dessau" not in notice[0].body
    assert "dessau-lead@example.org" in {m.to[0] for m in mail.outbox}


def test_it_retries_the_notice_when_the_mail_server_was_down(members, settings):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_the_notice(self, messages):
        if messages[0].to == [settings.SECRETARIAT_EMAIL]:
            raise OSError("421 try again later")
        return original(self, messages)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse_the_notice)
        with pytest.raises(CommandError):
            run_on(DUE)
    assert not ReportReminder.objects.filter(channel=ReminderChannel.SECRETARIAT).exists()
    run_on(DUE)
    assert ReportReminder.objects.filter(channel=ReminderChannel.SECRETARIAT).count() == 2
    assert [m for m in mail.outbox if m.to == [settings.SECRETARIAT_EMAIL]]


def _action(client, members_, **extra):
    data = {"action": "send_report_reminder", ACTION_CHECKBOX_NAME: [str(m.pk) for m in members_], **extra}
    return client.post(CHANGELIST, data)


def test_it_previews_whom_a_reminder_now_reaches_then_sends_it(client, staff, members):
    undated = MemberFactory(name="Erfurt", slug="erfurt", admitted_on=None)
    client.force_login(staff)
    preview = _action(client, [*members.values(), undated])
    body = preview.content.decode()
    assert preview.status_code == 200 and not mail.outbox
    section = lambda name: body.split(f'class="reach-{name}"')[1].split("</ul>")[0]  # noqa: E731
    assert "Aachen" in section("coordinators") and "aachen-lead@example.org" in section("coordinators")
    assert "Bamberg" in section("contact") and "probst@bamberg.de" in section("contact") and "intern@" not in body
    assert "Celle" in section("nobody") and "Dessau" in section("nobody") and "Bamberg" not in section("nobody")
    assert "Erfurt" in section("undated")
    response = _action(client, [*members.values(), undated], apply="1")
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["aachen-lead@example.org", "probst@bamberg.de"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Celle" in m and "Dessau" in m for m in messages) and any("Erfurt" in m for m in messages)


def test_it_previews_a_reminder_in_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    def make(n: int, start: int) -> list:
        created = []
        for i in range(start, start + n):
            member = MemberFactory(name=f"Stadt {i:03d}", slug=f"stadt-{i}", admitted_on=ADMITTED)
            if i % 3 == 0:
                AssignmentFactory(member=member, user=UserFactory(username=f"lead-{i}"))
            elif i % 3 == 1:
                ContactFactory(member=member, email=f"c{i}@example.org", publish=True, consent=ContactConsent.GIVEN)
            created.append(member)
        return created

    client.force_login(staff)
    few = make(3, 0)
    with django_assert_max_num_queries(30) as few_queries:
        assert _action(client, few).status_code == 200
    many = few + make(45, 3)
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        body = _action(client, many).content.decode()
    assert "Stadt 047" in body
