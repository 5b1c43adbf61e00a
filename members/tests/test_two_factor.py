"""Two-factor login: required for staff before any staff power, optional for coordinators; recovery codes."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
# The account pages of the second factor; each is the logged-in person's own (no member, no other account).
ACCOUNT_URL_NAMES = {
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_recovery_codes",
    "accounts:two_factor_remove",
}


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed__in=[True, False])
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client: Client, username: str, url: str = "/de/accounts/login/"):
    return client.post(url, {"username": username, "password": PASSWORD})


def test_it_sends_staff_to_set_up_a_second_factor_before_anything_else(client, staff):
    password_login(client, "secretariat")
    for path in ("/admin/", "/admin/queue/", "/de/dashboard/", "/de/members/dresden/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/de/accounts/two-factor/setup/?next=")
    page = client.get("/de/accounts/two-factor/setup/?next=/admin/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()


def test_it_switches_the_second_factor_on_with_a_correct_code_and_shows_recovery_codes(client, staff):
    password_login(client, "secretariat")
    client.get("/de/accounts/two-factor/setup/")
    wrong = client.post("/de/accounts/two-factor/setup/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "Dieser Code ist nicht richtig" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        response = client.post("/de/accounts/two-factor/setup/", {"code": code_for(staff), "next": "/admin/"})
        assert response.status_code == 200
        codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
        assert len(codes) == 10
        assert client.get("/admin/").status_code == 200
    kinds = set(SecurityEvent.objects.filter(user=staff).values_list("kind", flat=True))
    assert {SecurityEventKind.TWO_FACTOR_ADDED, SecurityEventKind.RECOVERY_CODES, SecurityEventKind.TWO_FACTOR_FAILED} <= kinds


@pytest.fixture
def staff_with_app(staff):
    return TOTPDevice.objects.create(user=staff, name="App", confirmed=True)


def test_it_asks_staff_for_the_code_at_every_login(client, staff, staff_with_app):
    response = password_login(client, "secretariat", url="/admin/login/?next=/admin/")
    assert client.get("/admin/").url.startswith("/de/accounts/two-factor/verify/")
    bad = client.post("/de/accounts/two-factor/verify/", {"code": "123456", "next": "/admin/"})
    assert bad.status_code == 400
    # django-otp pauses a device briefly after a wrong code (doubling with each failure).
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        good = client.post("/de/accounts/two-factor/verify/", {"code": f"{totp(staff_with_app.bin_key):06d}", "next": "/admin/"})
        assert good.status_code == 302 and good.url == "/admin/queue/"  # the admin index is no chosen page
        assert client.get("/admin/").status_code == 200
    assert response.status_code == 302


def test_it_refuses_a_code_used_twice(client, staff, staff_with_app):
    password_login(client, "secretariat")
    code = f"{totp(staff_with_app.bin_key):06d}"
    client.post("/de/accounts/two-factor/verify/", {"code": code})
    client.post("/de/accounts/logout/")
    password_login(client, "secretariat")
    assert client.post("/de/accounts/two-factor/verify/", {"code": code}).status_code == 400


def test_it_accepts_each_recovery_code_once(client, staff, staff_with_app):
    from members.services import recovery_codes_create

    codes = recovery_codes_create(user=staff)
    password_login(client, "secretariat")
    response = client.post("/de/accounts/two-factor/verify/", {"code": codes[0].upper(), "next": "/admin/"})
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.RECOVERY_CODE_USED, user=staff).exists()
    client.post("/de/accounts/logout/")
    password_login(client, "secretariat")
    assert client.post("/de/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 400
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        assert client.post("/de/accounts/two-factor/verify/", {"code": codes[1]}).status_code == 302


def test_it_leaves_the_second_factor_optional_for_coordinators(client, dresden_lead):
    password_login(client, "dresden-lead")
    assert client.get("/de/dashboard/").status_code == 200
    page = client.get("/de/accounts/two-factor/").content.decode()
    assert "Zwei-Faktor-Anmeldung einrichten" in page


def test_it_asks_a_coordinator_who_set_it_up_and_lets_them_switch_it_off(client, dresden_lead):
    device = TOTPDevice.objects.create(user=dresden_lead, name="App", confirmed=True)
    password_login(client, "dresden-lead")
    assert client.get("/de/dashboard/").url.startswith("/de/accounts/two-factor/verify/")
    client.post("/de/accounts/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
    assert client.get("/de/dashboard/").status_code == 200
    assert client.post("/de/accounts/two-factor/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=dresden_lead).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TWO_FACTOR_REMOVED, user=dresden_lead).exists()


def test_it_does_not_let_staff_switch_it_off(client, staff):
    client.force_login(staff)
    assert client.post("/de/accounts/two-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.parametrize("persona", ["dresden_lead", "dresden_editor", "outsider", "staff", "bare_staff"])
def test_it_shows_each_person_only_their_own_second_factor(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get("/de/accounts/two-factor/")
    assert page.status_code == 200
    new_codes = client.post("/de/accounts/two-factor/recovery-codes/")
    from django_otp.plugins.otp_static.models import StaticToken

    if user.is_staff:
        assert new_codes.status_code == 200
        assert {t.device.user_id for t in StaticToken.objects.all()} == {user.pk}
    else:
        # No second factor yet: recovery codes would stand for nothing.
        assert new_codes.status_code == 403
        assert not StaticToken.objects.exists()


@pytest.mark.parametrize("name", sorted(ACCOUNT_URL_NAMES))
def test_it_sends_anonymous_visitors_to_the_login(client, name):
    from django.urls import reverse

    url = reverse(name)
    response = client.post(url) if name.endswith(("remove", "codes")) else client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_follows_a_relative_next_address_without_a_server_error(client, staff, staff_with_app):
    password_login(client, "secretariat")
    response = client.post("/de/accounts/two-factor/verify/", {"code": f"{totp(staff_with_app.bin_key):06d}", "next": "foo"})
    assert response.status_code == 302 and response.url == "foo"
    assert client.post("/de/accounts/two-factor/verify/", {"next": "https://evil.example/"}).url == "/admin/queue/"
