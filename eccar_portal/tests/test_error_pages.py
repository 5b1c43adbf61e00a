from django.test import RequestFactory

from eccar_portal.views import server_error


def test_it_renders_a_bilingual_500_page_without_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/de/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in body and "Something went wrong" in body
    assert '<html lang="de">' in body
