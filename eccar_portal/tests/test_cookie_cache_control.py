"""An answer that sets a cookie (the join form's and the login's CSRF token, a session) is never kept by a
shared cache, which would hand the cookie to the next visitor."""

import pytest

pytestmark = pytest.mark.django_db


def assert_private(response, url: str) -> None:
    assert response.cookies, url
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "private" in cache_control and cache_control & {"no-store", "no-cache", "max-age=0"}, (url, response["Cache-Control"])
    assert "public" not in cache_control, url


@pytest.mark.parametrize("url", ["/de/join/", "/en/join/", "/de/accounts/login/", "/de/accounts/password/reset/", "/admin/login/"])
def test_it_keeps_pages_that_set_a_csrf_cookie_out_of_shared_caches(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "csrftoken" in response.cookies
    assert_private(response, url)


def test_it_keeps_the_join_page_out_of_every_cache(client, db):
    for response in (client.get("/de/join/"), client.post("/de/join/", {"name": ""})):
        assert response.status_code in (200, 400)
        assert response["Cache-Control"] == "private, no-store"


def test_it_makes_a_public_answer_that_sets_a_cookie_private(rf):
    from django.http import HttpResponse

    from eccar_portal.middleware import security_headers

    def view(request):
        response = HttpResponse("x", headers={"Cache-Control": "public, max-age=60"})
        response.set_cookie("language", "en")
        return response

    response = security_headers(view)(rf.get("/de/"))
    assert response["Cache-Control"] == "max-age=60, private"


def test_it_leaves_public_pages_without_cookies_shareable(client, db, settings):
    settings.PUBLIC_PAGE_CACHE = True
    response = client.get("/de/members/")
    assert not response.cookies and "no-store" not in response.get("Cache-Control", "")
