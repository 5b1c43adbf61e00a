from django.db import OperationalError
from django.test import RequestFactory

from eccar_portal.views import server_error


def test_it_renders_a_bilingual_500_page_without_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/de/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in body and "Something went wrong" in body
    assert '<html lang="de">' in body


def test_it_answers_a_database_outage_with_a_designed_503(db, client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def unreachable(*args, **kwargs):
        raise OperationalError("couldn't get a connection after 2.00 sec")

    # The session lookup is the first database access of a logged-in visitor's request.
    monkeypatch.setattr(SessionStore, "load", unreachable)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/de/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Das Portal ist gleich wieder da" in body and "The portal will be back shortly" in body
    assert "nicht gespeichert" not in body

    response = client.post("/de/dashboard/dresden/reports/create/", {"period_start": "2026-01-01"})
    assert response.status_code == 503
    assert "Ihre Eingaben wurden nicht gespeichert" in response.content.decode()
    assert "Nothing you entered was saved" in response.content.decode()


def test_it_promises_nothing_after_a_post_to_a_view_that_commits_step_by_step(db, client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def unreachable(*args, **kwargs):
        raise OperationalError("couldn't get a connection after 2.00 sec")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    # The report editor saves the text first and the document after it.
    response = client.post("/de/dashboard/dresden/reports/1/save/", {"title": "Bericht"})
    assert response.status_code == 503
    assert "nicht gespeichert" not in response.content.decode()
