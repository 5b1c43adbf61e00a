"""members.permissions: who reaches a member's coordinator pages, and with which role."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from members.models import CoordinatorRole
from members.permissions import get_member_for_user, member_role

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_it_has_no_write_switch_because_no_role_is_read_only():
    # DESIGN.md: the editor edits, the lead also submits; a "write" flag that every caller set and nothing
    # checked suggested a read-only role that does not exist.
    assert list(inspect.signature(get_member_for_user).parameters) == ["request", "slug", "lead"]


def test_it_gives_every_assigned_role_the_member_with_its_role(dresden, dresden_editor, dresden_lead):
    editor = get_member_for_user(request_for(dresden_editor), "dresden")
    assert (editor.member, editor.role, editor.is_lead) == (dresden, CoordinatorRole.EDITOR, False)
    lead = get_member_for_user(request_for(dresden_lead), "dresden", lead=True)
    assert (lead.member, lead.role, lead.is_lead) == (dresden, CoordinatorRole.LEAD, True)


def test_it_refuses_lead_only_acts_to_an_editor_with_403(dresden, dresden_editor):
    with pytest.raises(PermissionDenied):
        get_member_for_user(request_for(dresden_editor), "dresden", lead=True)


def test_it_hides_other_members_and_unknown_slugs_behind_404(dresden, outsider):
    for slug in ["dresden", "no-such-member"]:
        with pytest.raises(Http404):
            get_member_for_user(request_for(outsider), slug)
    # The outsider's own member still works: the check is per member, not per user.
    assert get_member_for_user(request_for(outsider), "duesseldorf", lead=True).member.slug == "duesseldorf"


def test_it_treats_staff_as_lead_of_every_member(dresden, staff):
    assert get_member_for_user(request_for(staff), "dresden", lead=True).role == CoordinatorRole.LEAD


def test_it_answers_the_report_workflow_with_the_same_role_check(dresden, dresden_editor, dresden_lead, outsider, staff):
    from django.contrib.auth.models import AnonymousUser

    roles = {user: member_role(user, dresden) for user in (dresden_editor, dresden_lead, outsider, staff)}
    assert roles == {dresden_editor: CoordinatorRole.EDITOR, dresden_lead: CoordinatorRole.LEAD, outsider: None, staff: CoordinatorRole.LEAD}
    assert member_role(AnonymousUser(), dresden) is None
