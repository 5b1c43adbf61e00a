from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import CoordinatorAssignment, CoordinatorRole, User

pytestmark = pytest.mark.django_db


def test_it_creates_a_lead_coordinator(dresden):
    out = StringIO()
    call_command(
        "add_coordinator", "anna", member="dresden", lead=True, email="anna@example.org", password_stdin=True,
        stdin=StringIO("Elbflorenz-Koordination-26\n"), stdout=out,
    )
    user = User.objects.get(username="anna")
    assert user.check_password("Elbflorenz-Koordination-26")
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


@pytest.mark.parametrize("password", ["12345678", "anna", "password"])
def test_it_applies_the_password_validators_and_creates_nothing(dresden, password):
    with pytest.raises(CommandError, match="The password was refused"):
        call_command("add_coordinator", "anna", member="dresden", password_stdin=True, stdin=StringIO(password + "\n"), stdout=StringIO())
    assert not User.objects.filter(username="anna").exists()


def test_it_takes_no_password_on_the_command_line(dresden):
    with pytest.raises(CommandError):
        call_command("add_coordinator", "anna", "--member", "dresden", "--password", "Elbflorenz-Koordination-26", stdout=StringIO())
    assert not User.objects.filter(username="anna").exists()


def test_it_leaves_a_new_user_without_a_usable_password_when_none_is_given(dresden):
    call_command("add_coordinator", "anna", member="dresden", stdout=StringIO())
    assert not User.objects.get(username="anna").has_usable_password()
