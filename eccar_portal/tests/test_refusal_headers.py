"""A 405 carries the same security headers as every other answer, whoever refuses: the door (PUT, DELETE, …),
a read-only view hit with POST, a POST-only view hit with GET; and Permissions-Policy names only known features."""

import pytest

from eccar_portal.middleware import POLICY

pytestmark = pytest.mark.django_db

REFUSALS = [
    ("put", "/de/members/"),  # refused at the door, before any view
    ("delete", "/admin/"),
    ("post", "/de/members/"),  # a read-only public page
    ("post", "/feeds/de/members/"),
    ("post", "/feeds/members/"),  # an old feed address
    ("get", "/de/accounts/logout/"),  # a POST-only view
]


@pytest.mark.parametrize(("method", "url"), REFUSALS)
def test_it_sends_the_security_headers_with_a_405(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405, (method, url)
    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin" or url.startswith("/feeds/")


def test_it_keeps_the_embeds_policy_on_its_405(client, dresden):
    response = client.post("/de/members/dresden/embed/")
    assert response.status_code == 405
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response  # the page any site may frame: a refusal there says the same


def test_it_names_no_withdrawn_feature_in_the_permissions_policy(client, db):
    for url in ["/de/", "/admin/login/", "/robots.txt"]:
        assert "interest-cohort" not in client.get(url)["Permissions-Policy"], url
