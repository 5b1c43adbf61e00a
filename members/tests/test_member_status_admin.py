import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import Member, MemberStatus, MembershipTransition
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"


def _status_url(member) -> str:
    return reverse("admin:members_member_status", args=[member.pk])


def test_it_changes_one_members_status_with_date_and_reason_and_tells_the_coordinators(
    client, staff, dresden, dresden_lead, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = client.get(_status_url(dresden)).content.decode()
    assert 'value="on_hold"' in page and 'value="declined"' not in page and 'value="applicant"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_status_url(dresden), {"to_status": "on_hold", "on": "2025-03-01", "reason": "Bericht überfällig"})
    assert response.status_code == 302
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.ON_HOLD and dresden.status_since == dt.date(2025, 3, 1)
    assert MembershipTransition.objects.get(member=dresden).reason == "Bericht überfällig"
    assert mail.outbox[-1].to == [dresden_lead.email] and "Bericht überfällig" in mail.outbox[-1].body
    # The history shows on the member's page.
    assert "Bericht überfällig" in client.get(reverse("admin:members_member_change", args=[dresden.pk])).content.decode()


def test_it_refuses_a_missing_reason_and_keeps_the_status(client, staff, dresden):
    client.force_login(staff)
    response = client.post(_status_url(dresden), {"to_status": "suspended", "on": "2025-03-01", "reason": ""})
    assert response.status_code == 400 and "zwingend erforderlich" in response.content.decode()
    dresden.refresh_from_db()
    assert dresden.status == MemberStatus.MEMBER and not MembershipTransition.objects.exists()


def test_it_keeps_the_status_out_of_the_members_edit_form(client, staff, dresden):
    client.force_login(staff)
    body = client.get(reverse("admin:members_member_change", args=[dresden.pk])).content.decode()
    assert 'name="status"' not in body and _status_url(dresden) in body


def test_it_changes_many_members_with_one_reason_and_lists_the_skipped(client, staff, dresden, duesseldorf):
    former = MemberFactory(status=MemberStatus.FORMER, name="Altstadt")
    client.force_login(staff)
    pks = [str(dresden.pk), str(duesseldorf.pk), str(former.pk)]
    page = client.post(CHANGELIST, {"action": "change_status", ACTION_CHECKBOX_NAME: pks})
    assert page.status_code == 200 and "Altstadt" in page.content.decode()
    response = client.post(
        CHANGELIST,
        {"action": "change_status", ACTION_CHECKBOX_NAME: pks, "apply": "1", "to_status": "suspended", "on": "2025-03-01", "reason": "Beitrag"},
        follow=True,
    )
    body = response.content.decode()
    assert set(Member.objects.filter(pk__in=pks).values_list("status", flat=True)) == {MemberStatus.SUSPENDED, MemberStatus.FORMER}
    assert "Altstadt" in body and "übersprungen" in body.lower()
    assert MembershipTransition.objects.filter(reason="Beitrag").count() == 2


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_secretariat_change_a_status(client, request, dresden, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(_status_url(dresden), {"to_status": "on_hold", "on": "2025-03-01", "reason": "Grund"})
    assert_outcome(response, EXPECTED[persona], (persona,))
    dresden.refresh_from_db()
    assert (dresden.status == MemberStatus.ON_HOLD) == (persona == "staff")


def test_it_proposes_long_overdue_members_for_on_hold_in_the_member_list(client, staff, settings):
    late = MemberFactory(name="Spätstadt", admitted_on=dt.date(2015, 1, 1))
    MemberFactory(name="Pünktlichstadt", admitted_on=dt.date.today())
    client.force_login(staff)
    body = client.get(CHANGELIST + "?on_hold_proposed=yes").content.decode()
    assert "Spätstadt" in body and "Pünktlichstadt" not in body
    assert late.status == MemberStatus.MEMBER  # a proposal only


def test_it_sends_a_report_reminder_now(client, staff, dresden, dresden_lead):
    Member.objects.filter(pk=dresden.pk).update(admitted_on=dt.date(2020, 1, 1))
    client.force_login(staff)
    data = {"action": "send_report_reminder", ACTION_CHECKBOX_NAME: [str(dresden.pk)]}
    preview = client.post(CHANGELIST, data)
    assert preview.status_code == 200 and dresden_lead.email in preview.content.decode() and not mail.outbox
    response = client.post(CHANGELIST, {**data, "apply": "1"}, follow=True)
    assert response.status_code == 200
    assert mail.outbox[-1].to == [dresden_lead.email]
