from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import CoordinatorAssignment, CoordinatorRole, User

pytestmark = pytest.mark.django_db


def test_it_creates_a_lead_coordinator(dresden):
    out = StringIO()
    call_command("add_coordinator", "anna", member="dresden", lead=True, email="anna@example.org", password="s3cret-pass!", stdout=out)
    user = User.objects.get(username="anna")
    assert user.check_password("s3cret-pass!")
    assert user.email == "anna@example.org"
    assert CoordinatorAssignment.objects.get(user=user, member=dresden).role == CoordinatorRole.LEAD
    assert "Created anna" in out.getvalue()


def test_it_updates_on_rerun_without_duplicates(dresden):
    call_command("add_coordinator", "anna", member="dresden", lead=True, stdout=StringIO())
    call_command("add_coordinator", "anna", member="dresden", stdout=StringIO())
    assert User.objects.filter(username="anna").count() == 1
    assert CoordinatorAssignment.objects.get(user__username="anna").role == CoordinatorRole.EDITOR


def test_it_assigns_one_user_to_several_members(dresden, duesseldorf):
    call_command("add_coordinator", "anna", member="dresden", stdout=StringIO())
    call_command("add_coordinator", "anna", member="duesseldorf", stdout=StringIO())
    assert CoordinatorAssignment.objects.filter(user__username="anna").count() == 2


def test_it_refuses_an_unknown_member(db):
    with pytest.raises(CommandError, match="No member with the slug 'atlantis'"):
        call_command("add_coordinator", "anna", member="atlantis", stdout=StringIO())
    assert not User.objects.filter(username="anna").exists()
