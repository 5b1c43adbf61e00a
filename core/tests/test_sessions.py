"""Session lifetimes: staff 2 h idle and 12 h at most; coordinators 7 days idle."""

import datetime as dt

import pytest
import time_machine

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def at(hours: float = 0, days: float = 0):
    return time_machine.travel(START + dt.timedelta(hours=hours, days=days), tick=False)


def test_it_logs_staff_out_after_two_idle_hours(client, staff):
    with at():
        client.force_login(staff)
        assert client.get("/admin/").status_code == 200
    with at(hours=1.9):
        assert client.get("/admin/").status_code == 200
    with at(hours=4.0):
        response = client.get("/admin/")
        assert response.status_code == 302 and "login/" in response.url
        assert "_auth_user_id" not in client.session


def test_it_logs_staff_out_after_twelve_hours_however_active(client, staff):
    with at():
        client.force_login(staff)
    for hour in range(1, 12):
        with at(hours=hour):
            assert client.get("/admin/").status_code == 200, hour
    with at(hours=12.2):
        assert client.get("/admin/").status_code == 302


def test_it_keeps_coordinators_logged_in_while_they_come_back_within_a_week(client, dresden_lead):
    with at():
        client.force_login(dresden_lead)
    for day in (3, 9, 15):
        with at(days=day):
            assert client.get("/de/dashboard/").status_code == 200, day
    with at(days=23):
        response = client.get("/de/dashboard/")
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_ends_a_staff_session_whose_login_time_is_unknown(client, staff):
    from core.sessions import LOGIN_AT

    client.force_login(staff)
    session = client.session
    del session[LOGIN_AT]
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response.url
