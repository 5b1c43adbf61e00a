"""Wrong passwords: the portal's and the admin's login pause after a few, per account and per IP address; the pause
lifts by itself and at once with a password reset. Password-reset mails are limited per address and per IP."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from core.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def guess(client: Client, username: str, times: int, url: str = "/de/accounts/login/") -> list[int]:
    return [client.post(url, {"username": username, "password": f"falsch-{i}"}).status_code for i in range(times)]


def test_it_pauses_the_portal_login_after_five_wrong_passwords_even_for_the_right_one(client, dresden_lead):
    assert guess(client, "dresden-lead", 4) == [200] * 4
    assert guess(client, "dresden-lead", 1) == [429]
    response = client.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Anmeldung pausiert" in body and "15 Minuten" in body
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT, username="dresden-lead").exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, username="dresden-lead").count() >= 5


def test_it_pauses_the_admin_login_too(client, staff):
    guess(client, "secretariat", 5, url="/admin/login/")
    response = client.post("/admin/login/", {"username": "secretariat", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_pauses_an_ip_address_that_tries_many_accounts(dresden_lead, dresden_editor):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    # A town hall's staff share one address: a few failures across accounts do not stop them.
    for i in range(19):
        attacker.post("/de/accounts/login/", {"username": f"guess-{i}", "password": "x"})
    colleague = Client(REMOTE_ADDR="203.0.113.9")
    assert colleague.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302
    attacker.post("/de/accounts/login/", {"username": "guess-19", "password": "x"})
    assert attacker.post("/de/accounts/login/", {"username": "dresden-editor", "password": PASSWORD}).status_code == 429
    assert attacker.post("/admin/login/", {"username": "dresden-editor", "password": PASSWORD}).status_code == 429
    # Someone else, elsewhere, logs in to another account as usual.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302


def test_it_lifts_the_pause_by_itself_after_the_delay(client, dresden_lead):
    guess(client, "dresden-lead", 5)
    # More guessing during the pause does not extend it.
    guess(client, "dresden-lead", 5)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        response = client.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD})
    assert response.status_code == 302


def test_it_lifts_the_pause_at_once_with_a_password_reset(client, dresden_lead):
    guess(client, "dresden-lead", 5)
    client.post("/de/accounts/password/reset/", {"email": dresden_lead.email})
    link = re.search(r"http://[^\s]+/accounts/password/reset/[^\s]+/", mail.outbox[-1].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1" in link else "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    new = "ein-neues-langes-Passwort-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_RESET_DONE, user=dresden_lead).exists()
    response = client.post("/de/accounts/login/", {"username": "dresden-lead", "password": new})
    assert response.status_code == 302


def test_it_limits_password_reset_mails_per_address(client, dresden_lead):
    for _ in range(10):
        response = client.post("/de/accounts/password/reset/", {"email": dresden_lead.email})
        # Always the same answer: the page never tells whether an address has an account or was limited.
        assert response.status_code == 302 and response.url == "/de/accounts/password/reset/done/"
    assert len(mail.outbox) == 3
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_RESET_REFUSED).count() == 7


def test_it_limits_password_reset_mails_per_ip_address(dresden):
    from members.tests.factories import UserFactory

    users = [UserFactory(username=f"person{i}") for i in range(12)]
    client = Client(REMOTE_ADDR="203.0.113.10")
    for user in users:
        client.post("/de/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 10
    # Another network is not affected.
    Client(REMOTE_ADDR="198.51.100.8").post("/de/accounts/password/reset/", {"email": users[-1].email})
    assert len(mail.outbox) == 11


def test_it_tells_visitors_apart_behind_the_reverse_proxy(settings, dresden_lead):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The attacker also claims an address of its own; only the proxy's entry (the rightmost) counts.
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.50")
    for i in range(20):
        attacker.post("/de/accounts/login/", {"username": f"guess-{i}", "password": "x"})
    assert attacker.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 429
    assert set(SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).values_list("ip_address", flat=True)) == {"203.0.113.50"}
    # Everyone else reaches the same app server through the same proxy, and logs in as usual.
    visitor = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert visitor.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}).status_code == 302


def test_it_ignores_a_forwarded_address_without_a_trusted_proxy(dresden_lead):
    client = Client(REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="not-an-address")
    client.post("/de/accounts/login/", {"username": "dresden-lead", "password": "x"})
    assert SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED).ip_address == "198.51.100.5"
