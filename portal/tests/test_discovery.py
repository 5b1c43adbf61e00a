import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from members.models import MemberStatus
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml", "a": "http://www.w3.org/2005/Atom"}


def test_it_lists_every_public_page_in_both_languages_in_the_sitemap(client, seeded, django_assert_max_num_queries):
    MemberFactory(slug="bewerber", status=MemberStatus.APPLICANT)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert "http://testserver/sitemap-members.xml" in sections
    locations: list[str] = []
    for section in sections:
        with django_assert_max_num_queries(4):
            response = client.get(section.removeprefix("http://testserver"))
        locations += [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", NS)]
    for path in ["/members/dresden/", "/commitments/3/", "/members/", "/statistics/", "/open-data/", "/privacy/", "/imprint/", "/accessibility/"]:
        assert f"http://testserver/de{path}" in locations and f"http://testserver/en{path}" in locations, path
    assert not any("bewerber" in loc for loc in locations)


def test_it_links_the_language_versions_in_the_sitemap(client, seeded):
    root = ET.fromstring(client.get("/sitemap-members.xml").content)
    url = next(u for u in root.findall("s:url", NS) if u.find("s:loc", NS).text.endswith("/de/members/dresden/"))
    alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
    assert alternates["de"] == "http://testserver/de/members/dresden/"
    assert alternates["en"] == "http://testserver/en/members/dresden/"


def test_it_serves_robots_txt_pointing_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ["/admin/", "/de/dashboard/", "/en/dashboard/", "/de/accounts/", "/en/accounts/"]:
        assert f"Disallow: {path}\n" in text
    assert client.post("/robots.txt").status_code == 405


def test_it_has_an_atom_feed_of_members_joining_newest_first(client, db):
    MemberFactory(name="Früh", admitted_on=dt.date(2010, 1, 1))
    MemberFactory(name="Spät", admitted_on=dt.date(2024, 5, 1), admitted_precision="month")
    MemberFactory(name="Ohne Datum")
    MemberFactory(name="Bewerber", admitted_on=dt.date(2025, 1, 1), status=MemberStatus.APPLICANT)
    response = client.get("/feeds/en/members/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert [e.find("a:title", NS).text for e in feed.findall("a:entry", NS)] == ["Spät", "Früh"]
    entry = feed.find("a:entry", NS)
    assert entry.find("a:link", NS).get("href").startswith("http://testserver/en/members/")
    assert "May 2024" in entry.find("a:summary", NS).text


def test_it_puts_absolute_hreflang_links_on_every_page(client, seeded):
    body = client.get("/de/members/dresden/?x=1").content.decode()
    assert '<link rel="alternate" hreflang="de" href="http://testserver/de/members/dresden/?x=1">' in body
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/members/dresden/?x=1">' in body


@pytest.mark.parametrize("path", ["/en/members/ratzeburg-amt-lauenburgische-seen/", "/en/commitments/3/"])
def test_it_describes_member_and_commitment_pages_for_sharing(client, seeded, path):
    body = client.get(path).content.decode()
    for tag in ['<meta name="description" content="', '<meta property="og:title" content="', '<meta property="og:description"',
                f'<meta property="og:url" content="http://testserver{path}">', '<meta property="og:locale" content="en_GB">']:
        assert tag in body, tag
    assert '<link rel="alternate" type="application/atom+xml"' in body
