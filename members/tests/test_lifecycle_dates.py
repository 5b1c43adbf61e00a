"""Plausible lifecycle dates (2004 to a year ahead, recorded facts to today), in order, and corrected on record."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.base import ContentFile
from django.urls import reverse

from core.tests.admin_forms import admin_form_data
from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import Member, MemberStatus, MembershipTransition, MembershipTransitionCorrection
from members.tests.factories import ApplicationFactory, MemberFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

IMPLAUSIBLE = ["9999-12-31", "2003-12-31", "2028-01-01"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False):
        yield


def _status_url(member) -> str:
    return reverse("admin:members_member_status", args=[member.pk])


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_it_refuses_an_implausible_effective_date_on_the_status_page_and_keeps_what_was_typed(client, staff, dresden, day):
    client.force_login(staff)
    response = client.post(_status_url(dresden), {"to_status": "on_hold", "on": day, "reason": "Bericht überfällig"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "zwischen dem 01.01.2004 (ECCAR wurde 2004 gegründet) und dem 07.12.2027" in body
    assert f'value="{day}"' in body and "Bericht überfällig" in body
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER and not MembershipTransition.objects.exists()


def test_it_says_the_bounds_in_english_too(client, staff, dresden):
    client.force_login(staff)
    body = client.post(_status_url(dresden), {"to_status": "on_hold", "on": "9999-12-31", "reason": "x"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(ECCAR was founded in 2004)" in body and "a change can be scheduled at most a year ahead" in body


def test_it_refuses_a_date_before_the_previous_change(client, staff, dresden):
    dresden.put_on_hold(by=staff, on=dt.date(2026, 6, 1), reason="Bericht")
    client.force_login(staff)
    response = client.post(_status_url(dresden), {"to_status": "member", "on": "2026-05-31", "reason": "Bericht da"})
    assert response.status_code == 400
    assert "nicht vor der vorigen Statusänderung liegen (Ruhend am 1. Juni 2026)" in response.content.decode()
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.ON_HOLD


def test_it_refuses_an_implausible_date_in_the_bulk_action(client, staff, dresden):
    client.force_login(staff)
    response = client.post("/admin/members/member/", {"action": "change_status", ACTION_CHECKBOX_NAME: [str(dresden.pk)], "apply": "1",
                                                      "to_status": "suspended", "on": "9999-12-31", "reason": "Beitrag"})
    assert response.status_code == 400 and "ECCAR wurde 2004 gegründet" in response.content.decode()
    assert not MembershipTransition.objects.exists()


@pytest.fixture
def application(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    application.resolution.save("x.pdf", ContentFile(make_pdf("Ratsbeschluss")))
    return application


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_it_refuses_an_admission_on_31_12_9999(client, staff, application, day):
    client.force_login(staff)
    response = client.post(reverse("admin:members_membershipapplication_admit", args=[application.pk]), {"on": day})
    assert response.status_code == 400 and "ECCAR wurde 2004 gegründet" in response.content.decode()
    assert f'value="{day}"' in response.content.decode()
    application.member.refresh_from_db()
    assert application.member.status == MemberStatus.APPLICANT and application.member.admitted_on is None


def test_it_refuses_a_decline_dated_later(client, staff, application):
    client.force_login(staff)
    response = client.post(reverse("admin:members_membershipapplication_decline", args=[application.pk]), {"on": "2027-01-15", "reason": "Nein"})
    assert response.status_code == 400 and "und heute, dem 07.12.2026" in response.content.decode()


@pytest.mark.parametrize("field", ["admitted_on", "council_resolution_on"])
def test_it_refuses_an_implausible_date_on_the_member_form_and_keeps_the_rest(client, staff, dresden, field):
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    data = admin_form_data(client.get(url))
    data.update({field: "9999-12-31", "region": "Sachsen neu"})
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "ECCAR wurde 2004 gegründet" in body
    assert 'value="9999-12-31"' in body and 'value="Sachsen neu"' in body
    dresden.refresh_from_db()
    assert getattr(dresden, field) is None and dresden.region != "Sachsen neu"


def test_it_leaves_a_stored_implausible_date_alone_when_another_field_is_edited(client, staff, dresden):
    Member.objects.filter(pk=dresden.pk).update(admitted_on=dt.date(9999, 12, 31))
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    data = admin_form_data(client.get(url))
    data["region"] = "Sachsen"
    assert client.post(url, data).status_code == 302


def test_it_refuses_an_implausible_date_on_the_add_form(client, staff):
    client.force_login(staff)
    url = reverse("admin:members_member_add")
    data = admin_form_data(client.get(url))
    data.update(name="Stadt Bamberg", slug="bamberg", kind="city", country="DE", status="member", content_language="de",
                admitted_on="9999-12-31", admitted_precision="day")
    response = client.post(url, data)
    assert response.status_code == 200 and "ECCAR wurde 2004 gegründet" in response.content.decode()
    assert not Member.objects.filter(slug="bamberg").exists()


def test_it_corrects_a_wrong_date_on_record_and_the_members_dates_follow(client, staff, django_assert_max_num_queries):
    applicant = MemberFactory(status=MemberStatus.APPLICANT, slug="bamberg")
    admission = applicant.admit(by=staff, on=dt.date(2026, 11, 2))
    ending = applicant.end_membership(by=staff, on=dt.date(2026, 11, 30), reason="Austritt")
    client.force_login(staff)
    url = reverse("admin:members_member_status_correct", args=[applicant.pk, admission.pk])
    assert client.post(url, {"on": "2026-12-01", "reason": "Tippfehler"}).status_code == 400  # after the next change
    assert client.post(url, {"on": "2026-10-01", "reason": ""}).status_code == 400
    assert client.post(url, {"on": "9999-12-31", "reason": "Tippfehler"}).status_code == 400
    assert client.post(url, {"on": "2026-10-01", "reason": "Beschluss der Versammlung war am 1. Oktober"}).status_code == 302
    applicant.refresh_from_db()
    assert (applicant.admitted_on, applicant.left_on, applicant.status_since) == (dt.date(2026, 10, 1), dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    correction = MembershipTransitionCorrection.objects.get()
    assert (correction.original_on, correction.corrected_on, correction.by) == (dt.date(2026, 11, 2), dt.date(2026, 10, 1), staff)
    assert applicant.history.first().history_user == staff

    client.post(reverse("admin:members_member_status_correct", args=[applicant.pk, ending.pk]), {"on": "2026-11-20", "reason": "Austritt früher"})
    applicant.refresh_from_db()
    assert (applicant.left_on, applicant.status_since) == (dt.date(2026, 11, 20), dt.date(2026, 11, 20))
    # The status page shows the original dates beside the corrected ones.
    with django_assert_max_num_queries(15):
        body = client.get(_status_url(applicant)).content.decode()
    assert "Datum korrigiert von 02.11.2026 durch secretariat: Beschluss der Versammlung war am 1. Oktober" in body
    assert "Datum korrigiert von 30.11.2026" in body


def test_it_refuses_to_correct_a_date_before_founding_or_a_scheduled_change(client, staff, dresden):
    scheduled = dresden.suspend(by=staff, on=dt.date(2027, 1, 15), reason="Beitrag")
    client.force_login(staff)
    response = client.post(reverse("admin:members_member_status_correct", args=[dresden.pk, scheduled.pk]), {"on": "2026-12-01", "reason": "x"})
    assert response.status_code == 400 and "Nur eine wirksame Änderung kann korrigiert werden" in response.content.decode()


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_secretariat_correct_a_date(client, request, dresden, staff, persona):
    transition = dresden.put_on_hold(by=staff, on=dt.date(2026, 6, 1), reason="Bericht")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse("admin:members_member_status_correct", args=[dresden.pk, transition.pk])
    assert_outcome(client.post(url, {"on": "2026-05-01", "reason": "Tippfehler"}), EXPECTED[persona], (persona,))
    assert MembershipTransitionCorrection.objects.exists() == (persona == "staff")


def test_it_reads_the_status_page_in_the_same_queries_for_a_long_history(client, staff, dresden):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    client.get(_status_url(dresden))
    counts = []
    for _ in range(2):
        for month in range(1, 7):
            day = dt.date(2025 if not counts else 2026, month, 1)
            change = dresden.put_on_hold(by=staff, on=day, reason="Bericht") if dresden.status == MemberStatus.MEMBER else dresden.reinstate(by=staff, on=day, reason="Bericht da")
            MembershipTransitionCorrection.objects.create(transition=change, original_on=day, corrected_on=day, reason="x", by=staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_status_url(dresden)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
