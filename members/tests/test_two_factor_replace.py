"""A stolen session alone cannot replace the second factor (the password and a current code come first), and
switching the second factor on ends the account's other sessions, on whichever app server they are."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SecurityEvent, SecurityEventKind
from members.services import recovery_codes_create

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SETUP = "/de/accounts/two-factor/setup/"


def now_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def logged_in(username: str) -> Client:
    client = Client()
    assert client.post("/de/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def verified(username: str, device: TOTPDevice) -> Client:
    client = logged_in(username)
    assert client.post("/de/accounts/two-factor/verify/", {"code": now_code(device), "next": "/de/"}).status_code == 302
    return client


def later(seconds: int):
    # A TOTP code is accepted once: the next step of the app's clock gives a fresh one.
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds))


@pytest.fixture
def old_app(dresden_lead) -> TOTPDevice:
    return TOTPDevice.objects.create(user=dresden_lead, name="Altes Telefon", confirmed=True)


def pending(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_it_asks_for_the_password_and_a_current_code_before_replacing_the_app(dresden_lead, old_app):
    client = verified("dresden-lead", old_app)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert {"password", "current", "code"} <= set(page.context["form"].fields)
    assert "Authenticator-App ersetzen" in page.content.decode()
    new = pending(dresden_lead)
    with later(31):
        # What a stolen session could send: only a code of the thief's new app.
        assert client.post(SETUP, {"code": now_code(new)}).status_code == 400
        wrong_password = client.post(SETUP, {"password": "geraten", "current": now_code(old_app), "code": now_code(new)})
        assert wrong_password.status_code == 400 and "Dieses Passwort stimmt nicht" in wrong_password.content.decode()
        wrong_current = client.post(SETUP, {"password": PASSWORD, "current": "123456", "code": now_code(new)})
        assert wrong_current.status_code == 400
    assert TOTPDevice.objects.get(pk=old_app.pk).confirmed
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TWO_FACTOR_FAILED, detail="replace").count() == 3  # each try, also one without the password


def test_it_replaces_the_app_with_the_password_and_a_current_code(dresden_lead, old_app):
    client = verified("dresden-lead", old_app)
    client.get(SETUP)
    new = pending(dresden_lead)
    with later(61):
        response = client.post(SETUP, {"password": PASSWORD, "current": now_code(old_app), "code": now_code(new)})
    assert response.status_code == 200 and "recovery" in response.templates[0].name
    assert list(TOTPDevice.objects.filter(user=dresden_lead).values_list("pk", "confirmed")) == [(new.pk, True)]


def test_it_takes_a_recovery_code_in_place_of_the_current_app(dresden_lead, old_app):
    codes = recovery_codes_create(user=dresden_lead)
    client = verified("dresden-lead", old_app)
    client.get(SETUP)
    new = pending(dresden_lead)
    with later(61):
        response = client.post(SETUP, {"password": PASSWORD, "current": codes[0], "code": now_code(new)})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(pk=new.pk).confirmed


def test_it_stops_guessing_the_password_on_the_replace_page(dresden_lead, old_app, settings):
    client = verified("dresden-lead", old_app)
    client.get(SETUP)
    new = pending(dresden_lead)
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(SETUP, {"password": f"geraten-{i}", "current": "000000", "code": "000000"})
    with later(61):
        refused = client.post(SETUP, {"password": PASSWORD, "current": now_code(old_app), "code": now_code(new)})
    assert refused.status_code == 400 and "Zu viele falsche Versuche" in refused.content.decode()
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed


def test_it_ends_the_other_sessions_when_the_second_factor_is_switched_on(dresden_lead):
    laptop, phone = logged_in("dresden-lead"), logged_in("dresden-lead")
    assert phone.get("/de/dashboard/").status_code == 200
    laptop.get(SETUP)
    response = laptop.post(SETUP, {"code": now_code(pending(dresden_lead))})
    assert response.status_code == 200
    # The other session, without the second factor, is logged out; this one goes on.
    assert phone.get("/de/dashboard/").status_code == 302
    assert "_auth_user_id" not in phone.session
    assert laptop.get("/de/dashboard/").status_code == 200
    again = logged_in("dresden-lead")
    assert again.get("/de/dashboard/").url.startswith("/de/accounts/two-factor/verify/")


def test_it_ends_the_other_sessions_when_staff_replace_their_app(staff):
    app = TOTPDevice.objects.create(user=staff, name="Altes Telefon", confirmed=True)
    office = verified("secretariat", app)
    with later(31):
        home = verified("secretariat", app)
        assert home.get("/admin/").status_code == 200
    office.get(SETUP)
    with later(91):
        office.post(SETUP, {"password": PASSWORD, "current": now_code(app), "code": now_code(pending(staff))})
        assert home.get("/admin/").status_code == 302
        assert office.get("/admin/").status_code == 200
