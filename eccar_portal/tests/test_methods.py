"""Public pages are read-only: GET and HEAD; every other method gets 405, never 200."""

import pytest
from django.test import Client

from eccar_portal.tests.test_fuzz_inputs import PUBLIC_URLS

pytestmark = pytest.mark.django_db

MORE_PUBLIC_URLS = [
    "/de/members/dresden/plan.pdf",
    "/de/imprint/",
    "/de/accessibility/",
    "/de/networks/",
    "/de/join/sent/",
    "/feeds/de/members/dresden/",
    "/robots.txt",
    "/healthz",
]


@pytest.fixture
def urls(seeded):
    return [u for u in PUBLIC_URLS + MORE_PUBLIC_URLS if not u.startswith("/de/accounts/")]


def test_it_refuses_every_method_but_get_and_head_on_public_pages(urls):
    client = Client()
    for url in urls:
        assert client.get(url).status_code in (200, 302), url
        assert client.head(url).status_code in (200, 302), url
        for method in ("post", "put", "patch", "delete", "options", "trace"):
            response = getattr(client, method)(url)
            assert response.status_code == 405, (method, url, response.status_code)


def test_it_refuses_put_and_delete_before_the_csrf_check(seeded):
    # A real client without a CSRF token: the method is refused first, so the answer says what is wrong.
    client = Client(enforce_csrf_checks=True)
    for method in ("put", "delete", "trace"):
        response = getattr(client, method)("/de/members/dresden/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, POST"
