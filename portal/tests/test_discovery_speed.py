"""The fast sitemap paths give exactly what Django's own sitemap code and template give."""

from __future__ import annotations

import pytest
from django.contrib.sitemaps import Sitemap
from django.template.loader import render_to_string

from members.tests.factories import MemberFactory
from portal.discovery import MemberSitemap


@pytest.fixture
def members(seeded):
    # Enough for three sitemap pages at a small page size.
    return [MemberFactory() for _ in range(7)]


@pytest.mark.parametrize("section", ["members", "pages", "commitments", "reports"])
def test_it_renders_the_same_bytes_as_djangos_template(client, members, section):
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    assert response.content.decode() == render_to_string("sitemap.xml", {"urlset": response.context_data["urlset"]})


def test_it_builds_the_same_member_entries_as_django(members, monkeypatch):
    monkeypatch.setattr(MemberSitemap, "limit", 4)
    fast, default = MemberSitemap(), MemberSitemap()
    assert fast.paginator.num_pages == default.paginator.num_pages > 2
    for page in range(1, fast.paginator.num_pages + 1):
        ours = fast._urls(page, "https", "eccar.example")
        djangos = Sitemap._urls(default, page, "https", "eccar.example")
        assert [{k: v for k, v in url.items() if k != "item"} for url in ours] == [
            {k: v for k, v in url.items() if k != "item"} for url in djangos
        ]
        assert fast.latest_lastmod == default.latest_lastmod


def test_it_pages_members_without_loading_them_all(client, members, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(MemberSitemap, "limit", 4)
    with django_assert_max_num_queries(6):
        assert client.get("/sitemap-members.xml?p=2").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/sitemap-members.xml?p=99").status_code == 404
