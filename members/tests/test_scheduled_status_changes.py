"""A status change or an admission dated later is scheduled: nothing changes, nothing public, until its day."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import ApplicationStatus, MemberStatus, MembershipTransition
from members.tests.factories import ApplicationFactory, MemberFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
THE_DAY = dt.datetime(2027, 1, 15, 0, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _daily(day=THE_DAY) -> str:
    out = io.StringIO()
    with time_machine.travel(day, tick=False):
        call_command("daily_tasks", stdout=out)
    return out.getvalue()


def _status_url(member) -> str:
    return reverse("admin:members_member_status", args=[member.pk])


def test_it_schedules_a_suspension_and_applies_it_on_its_day_once(client, staff, dresden, dresden_lead, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_status_url(dresden), {"to_status": "suspended", "on": "2027-01-15", "reason": "Beitrag offen"}, follow=True)
    assert "Geplant: Ausgesetzt ab 15. Januar 2027." in response.content.decode()
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER and dresden.status_since is None
    transition = MembershipTransition.objects.get(member=dresden)
    assert transition.is_scheduled and transition.applied_at is None
    # The coordinators are told it is scheduled, not done.
    assert "geplant" in mail.outbox[-1].body and "15. Januar 2027" in mail.outbox[-1].body
    # Nothing public changes before the day.
    assert "ausgesetzt" not in client.get(dresden.get_absolute_url()).content.decode().lower()
    # The member page and the status page say what is scheduled.
    page = client.get(reverse("admin:members_member_change", args=[dresden.pk])).content.decode()
    assert "Geplant: Ausgesetzt ab 15. Januar 2027." in page
    assert reverse("admin:members_member_status_cancel", args=[dresden.pk, transition.pk]) in client.get(_status_url(dresden)).content.decode()

    assert "applied: 0" in _daily(dt.datetime(2027, 1, 14, 0, 15, tzinfo=dt.UTC))
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = _daily()
    assert "dresden: Mitglied → Ausgesetzt (2027-01-15)" in out and "applied: 1" in out
    dresden.refresh_from_db()
    assert (dresden.status, dresden.status_since) == (MemberStatus.SUSPENDED, dt.date(2027, 1, 15))
    assert dresden.history.first().history_user == staff
    assert mail.outbox[-1].to == [dresden_lead.email] and "geplant" not in mail.outbox[-1].body
    # Safe to run again: nothing applies twice.
    assert "applied: 0" in _daily()
    assert MembershipTransition.objects.filter(member=dresden).count() == 1


def test_it_refuses_another_change_while_one_is_scheduled(client, staff, dresden):
    client.force_login(staff)
    client.post(_status_url(dresden), {"to_status": "suspended", "on": "2027-01-15", "reason": "Beitrag offen"})
    assert 'name="to_status"' not in client.get(_status_url(dresden)).content.decode()
    response = client.post(
        "/admin/members/member/",
        {"action": "change_status", "_selected_action": [str(dresden.pk)], "apply": "1", "to_status": "on_hold", "on": "2026-12-01", "reason": "x"},
        follow=True,
    )
    assert "Es ist bereits eine Änderung geplant: Ausgesetzt ab 15. Januar 2027." in response.content.decode()
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER and MembershipTransition.objects.filter(member=dresden).count() == 1


def test_it_cancels_a_scheduled_change_with_a_reason_and_keeps_it_in_the_history(client, staff, dresden):
    client.force_login(staff)
    client.post(_status_url(dresden), {"to_status": "suspended", "on": "2027-01-15", "reason": "Beitrag offen"})
    transition = MembershipTransition.objects.get(member=dresden)
    url = reverse("admin:members_member_status_cancel", args=[dresden.pk, transition.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert client.post(url, {"reason": "Beitrag ist eingegangen"}).status_code == 302
    transition.refresh_from_db()
    assert (transition.cancelled_by, transition.cancel_reason, transition.state_display) == (staff, "Beitrag ist eingegangen", "abgesagt")
    assert "Beitrag ist eingegangen" in client.get(_status_url(dresden)).content.decode()
    assert "applied: 0" in _daily()
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER
    # A new change can be recorded again.
    assert client.post(_status_url(dresden), {"to_status": "on_hold", "on": "2026-12-07", "reason": "Bericht"}).status_code == 302


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_secretariat_cancel_a_scheduled_change(client, request, dresden, staff, persona):
    transition = dresden.suspend(by=staff, on=dt.date(2027, 1, 15), reason="Beitrag offen")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("admin:members_member_status_cancel", args=[dresden.pk, transition.pk]), {"reason": "Grund"})
    assert_outcome(response, EXPECTED[persona], (persona,))
    transition.refresh_from_db()
    assert (transition.cancelled_at is not None) == (persona == "staff")


@pytest.fixture
def application(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(name="Stadt Bamberg", member__name="Stadt Bamberg", member__slug="bamberg")
    application.resolution.save("x.pdf", ContentFile(make_pdf("Ratsbeschluss")))
    return application


PUBLIC = ["/de/members/", "/de/statistics/", "/open-data/members.csv"]


def test_it_admits_a_town_on_a_future_date_and_shows_nothing_public_until_that_day(
    client, staff, application, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:members_membershipapplication_admit", args=[application.pk]), {"on": "2027-01-15"}, follow=True)
    assert "wird am 15. Januar 2027 aufgenommen" in response.content.decode()
    member = application.member
    member.refresh_from_db()
    assert (member.status, member.admitted_on) == (MemberStatus.APPLICANT, None)
    transition = MembershipTransition.objects.get(member=member)
    assert transition.is_scheduled and transition.effective_on == dt.date(2027, 1, 15)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED

    client.logout()
    assert client.get("/de/members/bamberg/").status_code == 404
    for url in PUBLIC:
        body = b"".join(client.get(url).streaming_content) if url.endswith(".csv") else client.get(url).content
        assert "Bamberg" not in body.decode("utf-8"), url

    _daily()
    member.refresh_from_db()
    assert (member.status, member.admitted_on) == (MemberStatus.MEMBER, dt.date(2027, 1, 15))
    with time_machine.travel(THE_DAY, tick=False):
        assert "Stadt Bamberg" in client.get("/de/members/bamberg/").content.decode()
        assert "Bamberg" in client.get("/de/members/").content.decode()
        assert "Bamberg" in b"".join(client.get("/open-data/members.csv").streaming_content).decode("utf-8")
        assert "2027" in client.get("/de/statistics/").content.decode()


def test_it_cancels_a_scheduled_change_that_is_no_longer_possible_on_its_day(staff):
    member = MemberFactory(slug="altstadt")
    transition = member.suspend(by=staff, on=dt.date(2027, 1, 15), reason="Beitrag offen")
    # Written straight into the database, as no admin path allows a change while one is scheduled.
    type(member).objects.filter(pk=member.pk).update(status=MemberStatus.FORMER)
    assert "applied: 0" in _daily()
    transition.refresh_from_db()
    assert transition.cancelled_at is not None and "Ehemaliges Mitglied" in transition.cancel_reason
