"""Help for locked-out people in the account admin: reset a coordinator's second factor, lift a login pause, send an
invitation again; each its own permission and a line in the security log. The secretariat reads the security log of
coordinator accounts; superusers read all of it."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SecurityEvent, SecurityEventKind
from core.security import security_record
from members.models import CoordinatorRole, Invitation, User
from members.services import invitation_send, recovery_codes_create
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def reset_url(user: User) -> str:
    return f"/admin/members/user/{user.pk}/reset-second-factor/"


def lift_url(user: User) -> str:
    return f"/admin/members/user/{user.pk}/lift-login-pause/"


def with_second_factor(user: User) -> User:
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    recovery_codes_create(user=user)
    return user


def devices(user: User) -> int:
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


def test_it_resets_a_coordinators_second_factor_after_a_confirmation_with_a_reason(client, staff, dresden_lead):
    with_second_factor(dresden_lead)
    theirs = Client()
    theirs.force_login(dresden_lead)
    client.force_login(staff)
    page = client.get(f"/admin/members/user/{dresden_lead.pk}/change/")
    assert reset_url(dresden_lead) in page.content.decode()
    assert "Authenticator-App eingerichtet" in page.content.decode()
    confirm = client.get(reset_url(dresden_lead))
    assert confirm.status_code == 200 and "dresden-lead" in confirm.content.decode()
    empty = client.post(reset_url(dresden_lead), {"reason": ""})
    assert empty.status_code == 400 and "Dieses Feld ist zwingend erforderlich" in empty.content.decode()
    assert devices(dresden_lead) == 2
    done = client.post(reset_url(dresden_lead), {"reason": "Anruf, Rückruf über die Zentrale der Stadt"})
    assert done.status_code == 302 and done.url == f"/admin/members/user/{dresden_lead.pk}/change/"
    assert devices(dresden_lead) == 0
    event = SecurityEvent.objects.get(kind=SecurityEventKind.TWO_FACTOR_RESET)
    assert event.user == dresden_lead and "secretariat" in event.detail and "Rückruf" in event.detail
    # Any session left over (on a lost phone's browser) ends with it.
    assert "_auth_user_id" not in theirs.get("/de/dashboard/").wsgi_request.session


def test_it_keeps_staff_second_factors_for_superusers_to_reset(client, staff, bare_staff, superuser):
    for target in (bare_staff, staff, superuser):
        with_second_factor(target)
    client.force_login(staff)
    for target in (bare_staff, staff, superuser):
        assert reset_url(target) not in client.get(f"/admin/members/user/{target.pk}/change/").content.decode()
        assert client.get(reset_url(target)).status_code == 403
        assert client.post(reset_url(target), {"reason": "forged"}).status_code == 403
    assert devices(bare_staff) >= 2
    client.force_login(superuser)
    assert client.post(reset_url(bare_staff), {"reason": "neues Telefon"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=bare_staff, name="App").exists()


@pytest.mark.parametrize("persona", ["anonymous", "dresden_lead", "dresden_editor", "outsider", "bare_staff"])
def test_it_refuses_the_help_pages_to_everyone_else(client, persona, request, dresden_lead):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    with_second_factor(dresden_lead)
    for url in (reset_url(dresden_lead), lift_url(dresden_lead)):
        response = client.post(url, {"reason": "forged"})
        if persona == "bare_staff":
            assert response.status_code == 403
        else:
            assert response.status_code == 302 and "/admin/login/" in response.url
    assert devices(dresden_lead) == 2
    assert not SecurityEvent.objects.filter(kind__in=[SecurityEventKind.TWO_FACTOR_RESET, SecurityEventKind.LOGIN_PAUSE_LIFTED]).exists()


def guess(client: Client, username: str, times: int) -> None:
    for i in range(times):
        client.post("/de/accounts/login/", {"username": username, "password": f"falsch-{i}"})


def test_it_lifts_a_coordinators_login_pause(client, staff, dresden_lead):
    office = Client(REMOTE_ADDR="203.0.113.20")
    guess(office, "dresden-lead", 5)
    assert office.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 429
    client.force_login(staff)
    assert "Nach zu vielen falschen Passwörtern pausiert" in client.get(f"/admin/members/user/{dresden_lead.pk}/change/").content.decode()
    assert client.get(lift_url(dresden_lead)).status_code == 200
    assert client.post(lift_url(dresden_lead), {"reason": "Anruf der Koordinatorin"}).status_code == 302
    assert office.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_PAUSE_LIFTED)
    assert event.user == dresden_lead and "Anruf" in event.detail


def test_it_lifts_the_pause_of_the_coordinators_own_address_but_not_of_an_attackers(client, staff, dresden_lead, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    office, attacker = Client(REMOTE_ADDR="203.0.113.20"), Client(REMOTE_ADDR="198.51.100.66")
    assert office.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302
    office.logout()
    # Colleagues in the same town hall mistype their own names until the address pauses.
    for name in ("kollege-1", "kollege-2", "kollege-3"):
        guess(office, name, 2)
    for name in ("a", "b", "c"):
        guess(attacker, name, 2)
    assert office.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 429
    client.force_login(staff)
    client.post(lift_url(dresden_lead), {"reason": "Anruf"})
    assert office.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302
    assert attacker.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 429
    assert SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_PAUSE_LIFTED).ip_address == "203.0.113.20"


def test_it_keeps_staff_login_pauses_for_superusers_to_lift(client, staff, bare_staff, superuser):
    guess(Client(), bare_staff.username, 5)
    client.force_login(staff)
    assert client.post(lift_url(bare_staff), {"reason": "forged"}).status_code == 403
    assert client.post(lift_url(staff), {"reason": "forged"}).status_code == 403
    client.force_login(superuser)
    assert client.post(lift_url(bare_staff), {"reason": "Anruf"}).status_code == 302
    assert Client().post("/de/accounts/login/", {"username": bare_staff.username, "password": PASSWORD}).status_code == 302


@pytest.fixture
def invitation(dresden, staff) -> Invitation:
    return invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.EDITOR, language="de", by=staff)


def test_it_sends_an_invitation_again_with_its_own_permission_and_logs_it(client, staff, invitation):
    # An officer who may manage invitations but not send them again (the permission taken away).
    limited = UserFactory(username="limited", is_staff=True)
    limited.user_permissions.add(*Permission.objects.filter(codename__in=["view_invitation", "change_invitation"]))
    url = f"/admin/members/invitation/{invitation.pk}/resend/"
    client.force_login(limited)
    page = client.get(f"/admin/members/invitation/{invitation.pk}/change/")
    assert url not in page.content.decode()
    assert client.post(url).status_code == 403
    client.post("/admin/members/invitation/", {"action": "resend", "_selected_action": [invitation.pk]})
    assert Invitation.objects.get(pk=invitation.pk).send_count == 1
    client.force_login(staff)
    assert url in client.get(f"/admin/members/invitation/{invitation.pk}/change/").content.decode()
    assert client.post(url).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).send_count == 2
    event = SecurityEvent.objects.get(kind=SecurityEventKind.INVITATION_RESENT)
    assert event.username == "neu@dresden.de" and "secretariat" in event.detail


def test_it_shows_the_secretariat_the_security_events_of_coordinator_accounts_only(client, staff, bare_staff, superuser, dresden_lead):
    security_record(SecurityEventKind.LOGIN, user=dresden_lead, detail="coordinator")
    security_record(SecurityEventKind.LOGIN_FAILED, username="jemand-unbekanntes", detail="unknown")
    security_record(SecurityEventKind.LOGIN, user=superuser, detail="superuser")
    staffs = security_record(SecurityEventKind.LOGIN, user=bare_staff, detail="staff")
    security_record(SecurityEventKind.LOGIN_FAILED, username=superuser.username.upper(), detail="typed-staff-name")
    client.force_login(staff)
    listed = {event.detail for event in client.get("/admin/core/securityevent/").context["cl"].result_list}
    assert listed == {"coordinator", "unknown"}
    assert client.get(f"/admin/core/securityevent/{staffs.pk}/change/").status_code == 302  # "does not exist"
    client.force_login(superuser)
    listed = {event.detail for event in client.get("/admin/core/securityevent/").context["cl"].result_list}
    assert {"coordinator", "unknown", "superuser", "staff", "typed-staff-name"} <= listed


def test_it_lists_the_security_log_in_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    for many in (3, 60):
        for i in range(many):
            user = UserFactory(username=f"k-{many}-{i}")
            security_record(SecurityEventKind.LOGIN, user=user)
        with django_assert_max_num_queries(13):
            assert client.get("/admin/core/securityevent/").status_code == 200


def test_it_tells_a_locked_out_person_whom_to_ask(client, dresden_lead, staff):
    for user, expected in ((dresden_lead, "Bitten Sie das Sekretariat"), (staff, "Administrator")):
        with_second_factor(user)
        person = Client()
        person.post("/de/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert expected in person.get("/de/accounts/two-factor/verify/").content.decode()
