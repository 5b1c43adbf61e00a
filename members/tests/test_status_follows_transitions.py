"""Every admin path that could change a member's status leaves it equal to its last applied transition."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from core.tests.admin_forms import admin_form_data
from members.models import Member, MemberStatus, MembershipTransition

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"


def assert_status_follows_the_history(member: Member) -> MembershipTransition:
    member.refresh_from_db()
    last = member.transitions.filter(applied_at__isnull=False).order_by("-applied_at", "-pk").first()
    assert last is not None, "the status history is empty"
    assert member.status == last.to_status, (member.status, list(member.transitions.values_list("from_status", "to_status")))
    return last


def _restore_data(response) -> dict:
    form = response.context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}


@time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False)
def test_it_keeps_the_status_equal_to_the_last_transition_on_every_admin_path(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)

    # The add form: a member entered directly starts its status history with the status it was entered in.
    add_url = reverse("admin:members_member_add")
    data = admin_form_data(client.get(add_url))
    data.update(name="Stadt Bamberg", slug="bamberg", kind="city", country="DE", status="on_hold", content_language="de",
                admitted_on="2016-11-01", admitted_precision="month", description="Erster Stand")
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(slug="bamberg")
    first = assert_status_follows_the_history(member)
    assert (first.from_status, first.to_status, first.by) == ("", MemberStatus.ON_HOLD, staff)
    assert first.reason == "Im Admin erfasst"

    # The status page: back to full membership.
    status_url = reverse("admin:members_member_status", args=[member.pk])
    assert client.post(status_url, {"to_status": "member", "on": "2026-01-10", "reason": "Bericht eingegangen"}).status_code == 302
    assert assert_status_follows_the_history(member).to_status == MemberStatus.MEMBER
    member.refresh_from_db()
    member_state = member.history.order_by("-history_id").first()
    assert member_state.status == MemberStatus.MEMBER
    assert client.post(status_url, {"to_status": "on_hold", "on": "2026-06-01", "reason": "Bericht überfällig"}).status_code == 302
    assert_status_follows_the_history(member)

    # The history's restore of the state when it was "member": the description comes back, the status stays.
    Member.objects.filter(pk=member.pk).update(description="Zweiter Stand")
    restore_url = reverse("admin:members_member_simple_history", args=[member.pk, member_state.history_id])
    page = client.get(restore_url)
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    response = client.post(restore_url, _restore_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.description == "Erster Stand"
    assert (member.status, member.status_since) == (MemberStatus.ON_HOLD, dt.date(2026, 6, 1))
    assert_status_follows_the_history(member)

    # The change form with a forged status, status date and end date.
    change_url = reverse("admin:members_member_change", args=[member.pk])
    data = admin_form_data(client.get(change_url))
    data.update(status="member", status_since="2026-07-01", left_on="2026-07-01")
    assert client.post(change_url, data).status_code == 302
    member.refresh_from_db()
    assert (member.status, member.status_since, member.left_on) == (MemberStatus.ON_HOLD, dt.date(2026, 6, 1), None)
    assert_status_follows_the_history(member)

    # The bulk status action.
    response = client.post(CHANGELIST, {"action": "change_status", ACTION_CHECKBOX_NAME: [str(member.pk)], "apply": "1",
                                        "to_status": "suspended", "on": "2026-08-01", "reason": "Beitrag"})
    assert response.status_code == 302
    assert assert_status_follows_the_history(member).to_status == MemberStatus.SUSPENDED

    # Every other action of the member list, as far as it goes without a confirmation page.
    request = RequestFactory().get(CHANGELIST)
    request.user = staff
    for name in admin.site._registry[Member].get_actions(request):
        if name != "change_status":
            client.post(CHANGELIST, {"action": name, ACTION_CHECKBOX_NAME: [str(member.pk)]})
            assert_status_follows_the_history(member)

    # A change scheduled for later changes nothing until the daily command applies it on its day.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url, {"to_status": "former", "on": "2027-01-15", "reason": "Austritt zum Jahresbeginn"})
    assert assert_status_follows_the_history(member).to_status == MemberStatus.SUSPENDED
    with time_machine.travel(dt.datetime(2027, 1, 15, 0, 15, tzinfo=dt.UTC), tick=False):
        call_command("daily_tasks", stdout=io.StringIO())
    assert assert_status_follows_the_history(member).to_status == MemberStatus.FORMER
    member.refresh_from_db()
    assert member.left_on == dt.date(2027, 1, 15)
