"""The portal's icon: linked from every page and the admin, and /favicon.ico answers instead of a 404."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_it_moves_favicon_ico_for_good_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert client.head("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405


def test_it_draws_the_icon_itself(client):
    icon = open(finders.find("img/favicon.svg"), encoding="utf-8").read()
    assert icon.startswith("<svg") and "href" not in icon  # drawn here, nothing fetched


def test_it_links_the_icon_from_the_pages_and_the_admin(client, dresden):
    for url in ["/de/", "/en/members/dresden/", "/admin/login/"]:
        body = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/img/favicon' in body and 'type="image/svg+xml"' in body, url
