"""Refused two-factor codes say why: a wrong code, the pause after a wrong try, a used or expired code, the clock."""

import datetime as dt

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

SETUP = "/de/accounts/two-factor/setup/"
VERIFY = "/de/accounts/two-factor/verify/"


def code(device: TOTPDevice, steps: int = 0) -> str:
    """The app's code `steps` times 30 seconds from now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps):06d}"


def pending_device(client, user) -> TOTPDevice:
    client.force_login(user)
    assert client.get(SETUP).status_code == 200
    return TOTPDevice.objects.get(user=user, confirmed=False)


def errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors["code"])


def test_it_says_a_wrong_code_is_wrong_and_how_long_to_wait(client, dresden_lead):
    pending_device(client, dresden_lead)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 400
    message = errors(response)
    assert "Dieser Code ist nicht richtig." in message
    assert "Nach einem falschen Versuch warten Sie bitte 1 Sekunde, bevor Sie es erneut versuchen." in message
    assert "Uhr" not in message


def test_it_says_a_right_code_right_after_a_wrong_one_was_not_checked_and_accepts_it_after_the_pause(client, dresden_lead):
    device = pending_device(client, dresden_lead)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        client.post(SETUP, {"code": "000000"})
        traveller.shift(1.1)
        client.post(SETUP, {"code": "111111"})  # the second wrong try doubles the pause: 2 seconds
        traveller.shift(0.5)
        refused = client.post(SETUP, {"code": code(device)})
        assert refused.status_code == 400
        message = errors(refused)
        assert "Dieser Code wurde noch nicht geprüft." in message
        assert "warten Sie bitte 2 Sekunden" in message
        assert "Uhr" not in message and "nicht richtig" not in message
        assert 'value="' + code(device) + '"' in refused.content.decode()  # what was typed stays in the field
        traveller.shift(2)
        accepted = client.post(SETUP, {"code": code(device)})
    assert accepted.status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_it_says_an_expired_code_expired(client, dresden_lead):
    device = pending_device(client, dresden_lead)
    message = errors(client.post(SETUP, {"code": code(device, steps=-3)}))
    assert "Dieser Code ist abgelaufen" in message
    assert "Uhr" not in message


@pytest.mark.parametrize("steps, minutes", [(12, 6), (-16, 8)])
def test_it_blames_the_phone_clock_only_for_a_code_of_another_time(client, dresden_lead, steps, minutes):
    device = pending_device(client, dresden_lead)
    message = errors(client.post(SETUP, {"code": code(device, steps=steps)}))
    assert f"etwa {minutes} Minuten" in message
    assert "Uhr Ihres Telefons geht falsch" in message


def test_it_says_a_code_was_already_used_at_the_login(client, dresden_lead):
    device = TOTPDevice.objects.create(user=dresden_lead, name="App", confirmed=True)
    client.force_login(dresden_lead)
    first = client.post(VERIFY, {"code": code(device), "next": "/de/dashboard/"})
    assert first.status_code == 302 and first.url == "/de/dashboard/"
    client.logout()
    client.force_login(dresden_lead)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        again = client.post(VERIFY, {"code": code(device), "next": "/de/dashboard/"})
    assert again.status_code == 400
    assert "Dieser Code wurde bereits verwendet." in errors(again)


def test_it_says_at_the_login_too_that_a_right_code_waits_for_the_pause(client, dresden_lead):
    device = TOTPDevice.objects.create(user=dresden_lead, name="App", confirmed=True)
    client.force_login(dresden_lead)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False):
        client.post(VERIFY, {"code": "000000"})
        response = client.post("/en" + VERIFY[3:], {"code": code(device)})
    assert response.status_code == 400
    assert "This code was not checked yet. After a wrong try, please wait 1 second before you try again." in errors(response)


def test_it_offers_coordinators_the_way_back_to_the_dashboard(client, dresden_lead):
    client.force_login(dresden_lead)
    body = client.get(SETUP).content.decode()
    assert 'href="/de/dashboard/"' in body
    assert "Nicht jetzt: zurück zur Übersicht" in body


def test_it_leaves_staff_only_the_log_out(client, staff):
    client.force_login(staff)
    body = client.get(SETUP).content.decode()
    assert "/dashboard/" not in body.split('id="main"')[1]
    assert "Abmelden" in body


def test_it_says_when_replacing_the_app_that_the_current_code_waits_for_the_pause(client, dresden_lead):
    old = TOTPDevice.objects.create(user=dresden_lead, name="Altes Telefon", confirmed=True)
    client.force_login(dresden_lead)
    assert client.post(VERIFY, {"code": code(old), "next": "/de/"}).status_code == 302
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=dresden_lead, confirmed=False)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=False):
        data = {"password": "correct-horse-battery", "code": code(new)}
        client.post(SETUP, {**data, "current": "000000"})
        response = client.post(SETUP, {**data, "current": code(old)})
    assert response.status_code == 400
    assert "Dieser Code wurde noch nicht geprüft." in " ".join(response.context["form"].errors["current"])
