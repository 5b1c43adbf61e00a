"""Cross-Origin-Resource-Policy: what exists to be used by other sites (the embed, feeds, open data, robots and
sitemaps, static files) is cross-origin; pages, the admin and everything else same-origin."""

import pytest

pytestmark = pytest.mark.django_db

CROSS_ORIGIN = [
    "/de/members/dresden/embed/",
    "/de/members/dresden/embed/size.json",
    "/feeds/de/members/",
    "/feeds/en/reports/",
    "/feeds/de/members/dresden/",
    "/feeds/members/",
    "/open-data/",
    "/open-data/members.csv",
    "/open-data/datapackage.json",
    "/open-data/catalog.ttl",
    "/open-data/members/dresden/measures.csv",
    "/de/measures.csv",
    "/de/measures.excel.csv",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-members.xml",
    "/favicon.ico",
]
SAME_ORIGIN = [
    "/de/",
    "/de/members/",
    "/de/members/dresden/",
    "/de/members/dresden/plan.pdf",
    "/de/open-data/",  # the page about the open data, not the data
    "/de/join/",
    "/de/accounts/login/",
    "/admin/login/",
    "/de/dashboard/",
    "/de/members/nowhere/",  # a 404
]


def test_it_lets_other_sites_use_what_is_made_for_them(client, seeded):
    for url in CROSS_ORIGIN:
        response = client.get(url)
        assert response.status_code in (200, 301, 302), url
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin", url


def test_it_keeps_everything_else_to_the_portal(client, seeded):
    for url in SAME_ORIGIN:
        assert client.get(url)["Cross-Origin-Resource-Policy"] == "same-origin", url


def test_it_keeps_the_policy_on_a_page_from_the_page_cache(client, seeded, settings):
    settings.PUBLIC_PAGE_CACHE = True
    for _ in range(2):  # rendered and stored, then served from the cache
        assert client.get("/feeds/de/members/")["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert client.get("/de/members/")["Cross-Origin-Resource-Policy"] == "same-origin"
