"""Where a login ends: the secretariat at its work queue, other staff at the admin, coordinators at their
dashboard; an explicit, safe `next` still wins. Through the second factor as well."""

import datetime as dt

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
QUEUE = "/admin/queue/"


def _login(client, username: str, url: str = "/de/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": PASSWORD, **extra})


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def with_app(staff):
    TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    return staff


def test_it_lands_the_secretariat_on_the_queue_after_the_second_factor(client, with_app):
    response = _login(client, "secretariat")
    assert response.status_code == 302 and response.url == QUEUE
    gate = client.get(QUEUE)
    assert gate.url == "/de/accounts/two-factor/verify/?next=%2Fadmin%2Fqueue%2F"
    done = client.post("/de/accounts/two-factor/verify/", {"code": _code(with_app), "next": QUEUE})
    assert done.url == QUEUE
    assert "Arbeitsliste des Sekretariats" in client.get(QUEUE).content.decode()


def test_it_lands_on_the_queue_from_the_admins_own_login_too(client, with_app):
    # /admin/ sends anyone not logged in to /admin/login/?next=/admin/: nobody chose the model list.
    assert client.get("/admin/").url == "/admin/login/?next=/admin/"
    assert _login(client, "secretariat", url="/admin/login/?next=/admin/", next="/admin/").url == "/admin/"
    assert client.get("/admin/").url == "/de/accounts/two-factor/verify/?next=%2Fadmin%2F"
    assert client.post("/de/accounts/two-factor/verify/", {"code": _code(with_app), "next": "/admin/"}).url == QUEUE


def test_it_keeps_an_explicit_safe_next(client, with_app):
    target = "/admin/members/member/?status__exact=member"
    assert _login(client, "secretariat", url=f"/de/accounts/login/?next={target}", next=target).url == target
    assert client.post("/de/accounts/two-factor/verify/", {"code": _code(with_app), "next": target}).url == target


def test_it_lands_on_the_queue_instead_of_a_foreign_next(client, with_app):
    assert _login(client, "secretariat", next="https://evil.example/").url == QUEUE
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        response = client.post("/de/accounts/two-factor/verify/", {"code": _code(with_app), "next": "https://evil.example/"})
    assert response.url == QUEUE


def test_it_offers_the_queue_after_the_first_setup_of_the_second_factor(client, staff):
    _login(client, "secretariat")
    assert client.get(QUEUE).url.startswith("/de/accounts/two-factor/setup/?next=")
    client.get("/de/accounts/two-factor/setup/", {"next": "/admin/"})
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    page = client.post("/de/accounts/two-factor/setup/", {"code": f"{totp(device.bin_key):06d}", "next": "/admin/"})
    assert page.status_code == 200 and f'href="{QUEUE}"' in page.content.decode()


def test_it_lands_staff_without_the_queue_on_the_admin(client, bare_staff):
    TOTPDevice.objects.create(user=bare_staff, name="App", confirmed=True)
    assert _login(client, bare_staff.username).url == "/admin/"
    assert client.post("/de/accounts/two-factor/verify/", {"code": _code(bare_staff)}).url == "/admin/"


def test_it_lands_a_superuser_on_the_queue(client, superuser):
    TOTPDevice.objects.create(user=superuser, name="App", confirmed=True)
    assert _login(client, "operator").url == QUEUE


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_keeps_coordinators_on_their_dashboard(client, dresden_lead, lang):
    assert _login(client, "dresden-lead", url=f"/{lang}/accounts/login/").url == f"/{lang}/dashboard/"


def test_it_keeps_a_coordinator_with_a_second_factor_on_the_dashboard(client, dresden_lead):
    TOTPDevice.objects.create(user=dresden_lead, name="App", confirmed=True)
    assert _login(client, "dresden-lead").url == "/de/dashboard/"
    gate = client.get("/de/dashboard/")
    assert gate.url == "/de/accounts/two-factor/verify/?next=%2Fde%2Fdashboard%2F"
    assert client.post("/de/accounts/two-factor/verify/", {"code": _code(dresden_lead), "next": "/de/dashboard/"}).url == "/de/dashboard/"
