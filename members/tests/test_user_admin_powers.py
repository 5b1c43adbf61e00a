"""Powers cannot spread: only superusers grant staff status, superuser status, groups and permissions, or change a
staff account. The secretariat manages coordinator accounts only; a forged POST of a power field changes nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from core.tests.admin_forms import admin_form_data
from members.models import CoordinatorAssignment, CoordinatorRole, Invitation, User
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def change_url(user: User) -> str:
    return f"/admin/members/user/{user.pk}/change/"


def powers(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_staff, user.is_superuser, user.is_active,
        sorted(user.groups.values_list("pk", flat=True)), sorted(user.user_permissions.values_list("pk", flat=True)),
    )


@pytest.fixture
def coordinator(dresden_lead) -> User:
    return dresden_lead


def forged(field: str) -> dict:
    secretariat = Group.objects.get(name="Secretariat")
    every = Permission.objects.get(codename="delete_member")
    return {
        "is_staff": {"is_staff": "on"},
        "is_superuser": {"is_superuser": "on", "is_staff": "on"},
        "groups": {"groups": [secretariat.pk]},
        "user_permissions": {"user_permissions": [every.pk]},
    }[field]


@pytest.mark.parametrize("field", ["is_staff", "is_superuser", "groups", "user_permissions"])
def test_it_ignores_a_power_field_the_secretariat_posts_for_a_coordinator(client, staff, coordinator, field):
    client.force_login(staff)
    page = client.get(change_url(coordinator))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not set(form.fields) & {"is_staff", "is_superuser", "groups", "user_permissions"}
    before = powers(coordinator)
    data = {**admin_form_data(page), "first_name": "Ada", **forged(field)}
    response = client.post(change_url(coordinator), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert User.objects.get(pk=coordinator.pk).first_name == "Ada"  # the rest of the form was saved
    assert powers(coordinator) == before


def test_it_lets_the_secretariat_edit_a_coordinators_name_mail_language_and_active(client, staff, coordinator):
    client.force_login(staff)
    page = client.get(change_url(coordinator))
    body = page.content.decode()
    assert "Administrator-Status" in body  # shown, read-only
    data = {**admin_form_data(page), "first_name": "Anna", "last_name": "Schönfelder", "email": "anna@dresden.example",
            "language": "en"}
    data.pop("is_active")
    assert client.post(change_url(coordinator), data).status_code == 302
    changed = User.objects.get(pk=coordinator.pk)
    assert (changed.first_name, changed.last_name, changed.email, changed.language, changed.is_active) == (
        "Anna", "Schönfelder", "anna@dresden.example", "en", False)


@pytest.mark.parametrize("target_name", ["other_staff", "superuser", "own"])
def test_it_refuses_the_secretariat_any_change_to_a_staff_account(client, staff, bare_staff, superuser, target_name):
    target = {"other_staff": bare_staff, "superuser": superuser, "own": staff}[target_name]
    client.force_login(staff)
    page = client.get(change_url(target))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    before = powers(target)
    password = User.objects.get(pk=target.pk).password
    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        data = {"username": target.username, "first_name": "Changed", "is_active": "on", **forged(field)}
        assert client.post(change_url(target), data).status_code == 403
    # Switching the account off is refused too (it is on: the unchecked box would switch it off).
    assert client.post(change_url(target), {"username": target.username}).status_code == 403
    password_url = f"/admin/members/user/{target.pk}/password/"
    assert client.get(password_url).status_code == 403
    assert client.post(password_url, {"password1": "Neu-und-lang-2026!", "password2": "Neu-und-lang-2026!"}).status_code == 403
    after = User.objects.get(pk=target.pk)
    assert powers(target) == before and after.first_name != "Changed" and after.password == password


def test_it_refuses_staff_without_permissions_every_account_page(client, bare_staff, coordinator, staff):
    client.force_login(bare_staff)
    for target in (coordinator, staff, bare_staff):
        before = powers(target)
        assert client.get(change_url(target)).status_code == 403
        for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
            assert client.post(change_url(target), {"username": target.username, **forged(field)}).status_code == 403
        assert client.post(f"/admin/members/user/{target.pk}/password/", {"password1": "x", "password2": "x"}).status_code == 403
        assert powers(target) == before
    assert client.post("/admin/members/user/add/", {"username": "new", "is_superuser": "on"}).status_code == 403
    assert not User.objects.filter(username="new").exists()


def test_it_never_makes_a_staff_account_through_the_add_form(client, staff):
    client.force_login(staff)
    data = {"username": "neu", "password1": "Neu-und-lang-2026!", "password2": "Neu-und-lang-2026!", "usable_password": "true",
            "is_staff": "on", "is_superuser": "on", "groups": [Group.objects.get(name="Secretariat").pk],
            "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"}
    # The secretariat has no add permission; an officer who is given it still makes coordinator accounts only.
    assert client.post("/admin/members/user/add/", data).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_user"))
    staff = User.objects.get(pk=staff.pk)
    client.force_login(staff)
    response = client.post("/admin/members/user/add/", data)
    assert response.status_code == 302
    assert powers(User.objects.get(username="neu"))[:2] == (False, False)
    assert not User.objects.get(username="neu").groups.exists()


def test_it_offers_the_secretariat_no_bulk_action_on_accounts(client, staff, bare_staff, superuser):
    client.force_login(staff)
    page = client.get("/admin/members/user/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    staff.user_permissions.add(Permission.objects.get(codename="delete_user"))
    client.force_login(User.objects.get(pk=staff.pk))
    client.post("/admin/members/user/", {"action": "delete_selected", "_selected_action": [bare_staff.pk, superuser.pk], "post": "yes"})
    assert User.objects.filter(pk__in=[bare_staff.pk, superuser.pk]).count() == 2


def test_it_lets_a_superuser_grant_and_take_away_powers(client, superuser, coordinator, bare_staff):
    client.force_login(superuser)
    page = client.get(change_url(coordinator))
    secretariat = Group.objects.get(name="Secretariat")
    data = {**admin_form_data(page), "is_staff": "on", "groups": [secretariat.pk]}
    assert client.post(change_url(coordinator), data).status_code == 302
    assert powers(coordinator)[0] is True and powers(coordinator)[3] == [secretariat.pk]
    page = client.get(change_url(bare_staff))
    data = {**admin_form_data(page), "first_name": "Operator"}
    data.pop("is_staff")
    assert client.post(change_url(bare_staff), data).status_code == 302
    assert User.objects.get(pk=bare_staff.pk).is_staff is False


def test_it_lets_the_secretariat_give_access_to_members_to_coordinator_accounts_only(client, staff, bare_staff, dresden, superuser):
    newcomer = UserFactory(username="neu-koordinator")
    client.force_login(staff)
    url = "/admin/members/coordinatorassignment/add/"
    refused = client.post(url, {"user": bare_staff.pk, "member": dresden.pk, "role": "lead"})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert not CoordinatorAssignment.objects.filter(user=bare_staff).exists()
    assert client.post(url, {"user": newcomer.pk, "member": dresden.pk, "role": "editor"}).status_code == 302
    assert CoordinatorAssignment.objects.filter(user=newcomer, member=dresden).exists()
    found = client.get("/admin/autocomplete/", {"app_label": "members", "model_name": "coordinatorassignment", "field_name": "user", "term": "staff"})
    assert found.status_code == 200 and found.json()["results"] == []
    client.force_login(superuser)
    assert client.post(url, {"user": bare_staff.pk, "member": dresden.pk, "role": "editor"}).status_code == 302


def test_it_refuses_the_secretariat_groups_and_permissions(client, staff):
    secretariat = Group.objects.get(name="Secretariat")
    before = set(secretariat.permissions.values_list("pk", flat=True))
    every = list(Permission.objects.values_list("pk", flat=True))
    client.force_login(staff)
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.post(f"/admin/auth/group/{secretariat.pk}/change/", {"name": "Secretariat", "permissions": every}).status_code == 403
    assert client.post("/admin/auth/group/add/", {"name": "Allmacht", "permissions": every}).status_code == 403
    assert set(secretariat.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Allmacht").exists()


def test_it_never_gives_a_staff_account_access_through_an_invitation(dresden, bare_staff, staff):
    _, token = Invitation.issue(member=dresden, email=bare_staff.email, role=CoordinatorRole.LEAD, language="de", by=staff)
    client = Client()
    client.force_login(bare_staff)
    response = client.post(f"/de/accounts/invitation/{token}/")
    assert response.status_code == 410
    assert "Mitarbeiterkonto" in response.content.decode()
    assert not CoordinatorAssignment.objects.filter(user=bare_staff).exists()
    assert User.objects.get(pk=bare_staff.pk).is_superuser is False


def test_it_finds_coordinators_by_first_and_last_name_login_and_mail(client, staff):
    UserFactory(username="a.schoen", first_name="Anna", last_name="Schönfelder", email="anna@bamberg.example")
    UserFactory(username="other", first_name="Otto", last_name="Meier", email="otto@example.org")
    client.force_login(staff)
    for term in ("schönfelder", "SCHÖNFELDER", "anna", "a.schoen", "bamberg.example"):
        page = client.get("/admin/members/user/", {"q": term})
        names = [user.username for user in page.context["cl"].result_list]
        assert names == ["a.schoen"], term


def test_it_refuses_a_staff_account_forged_into_a_members_coordinator_rows(client, staff, bare_staff, dresden):
    client.force_login(staff)
    url = f"/admin/members/member/{dresden.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update({"assignments-TOTAL_FORMS": 1, "assignments-0-user": bare_staff.pk, "assignments-0-role": "lead"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not CoordinatorAssignment.objects.filter(user=bare_staff).exists()
    newcomer = UserFactory(username="neu-koordinatorin")
    data["assignments-0-user"] = newcomer.pk
    assert client.post(url, data).status_code == 302
    assert CoordinatorAssignment.objects.filter(user=newcomer, member=dresden).exists()
