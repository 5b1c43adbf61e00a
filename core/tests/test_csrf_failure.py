"""A form sent with a stale security token gets the portal's own page: what happened, how to keep the text."""

import pytest
from django.test import Client

from core.models import SecurityEvent, SecurityEventKind
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def stale_client(db) -> Client:
    """Logged in with the token of an older login: as after a login in another tab."""
    client = Client(enforce_csrf_checks=True)
    user = UserFactory(username="dresden-editor")
    client.force_login(user)
    client.get("/de/accounts/password/change/")
    client.cookies["csrftoken"] = "a" * 32
    return client


def post(client: Client, path: str, **headers):
    return client.post(path, {"csrfmiddlewaretoken": "b" * 32, "old_password": "x"}, **headers)


def test_it_says_in_german_what_happened_and_how_to_keep_the_text(stale_client):
    response = post(stale_client, "/de/accounts/password/change/", HTTP_REFERER="http://testserver/de/accounts/password/change/")
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="de">' in body
    assert "Dieses Formular konnte nicht gesendet werden" in body
    assert "in einem anderen Tab" in body
    assert "Zurück-Taste" in body
    assert 'href="http://testserver/de/accounts/password/change/"' in body
    assert "Zurück zur Seite, von der Sie kamen" in body
    for debug in ("DEBUG", "CSRF-Verifizierung", "Verboten", "CSRF_FAILURE_VIEW", "Referer"):
        assert debug not in body
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERMISSION_DENIED, detail__startswith="CSRF").exists()


def test_it_says_it_in_english(stale_client):
    response = post(stale_client, "/en/accounts/password/change/")
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "This form could not be sent" in body and "another tab" in body
    assert "DEBUG" not in body and "CSRF verification failed" not in body


def test_it_leads_to_the_dashboard_when_the_form_came_from_elsewhere(stale_client):
    response = post(stale_client, "/de/accounts/password/change/", HTTP_REFERER="https://elsewhere.example/form")
    body = response.content.decode()
    assert "elsewhere.example" not in body
    assert '<a class="btn btn-primary" href="/de/dashboard/">Zurück zur Übersicht</a>' in body


def test_it_leads_anonymous_visitors_to_the_home_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/de/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert '<a class="btn btn-primary" href="/de/">Zur Startseite</a>' in response.content.decode()
