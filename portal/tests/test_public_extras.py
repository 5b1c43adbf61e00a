"""Networks, statistics, the legal pages and cookies."""

import datetime as dt
import re

import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import MeasureFactory
from members.models import Member, MemberStatus, SitePage
from members.tests.factories import MemberFactory, NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/{lang}/", "/{lang}/members/", "/{lang}/members/?q=Schule&kind=city", "/{lang}/members/dresden/", "/{lang}/commitments/",
    "/{lang}/commitments/3/", "/{lang}/commitments/3/?q=Beratung", "/{lang}/working-groups/", "/{lang}/networks/",
    "/{lang}/statistics/", "/{lang}/open-data/", "/{lang}/privacy/", "/{lang}/imprint/", "/{lang}/accessibility/",
    "/{lang}/reports/",
]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_sets_no_cookie_on_any_public_page(client, seeded, lang, django_assert_max_num_queries):
    for url in PUBLIC:
        with django_assert_max_num_queries(14):
            response = client.get(url.format(lang=lang))
        assert response.status_code == 200, url
        assert not response.cookies, url
    for url in ["/open-data/members.csv", "/sitemap.xml", "/robots.txt", "/feeds/de/members/"]:
        response = client.get(url)
        assert not response.cookies, url
    # The login form needs CSRF protection, so it (and only it) sets the CSRF cookie.
    assert "csrftoken" in client.get(f"/{lang}/accounts/login/").cookies


def test_it_lists_the_other_networks_with_their_members(client, db):
    network = NetworkFactory(name="EUROCITIES")
    NetworkMembershipFactory(network=network, member=MemberFactory(name="Düsseldorf"), since_year=2018)
    NetworkMembershipFactory(network=network, member=MemberFactory(name="Bewerberstadt", status=MemberStatus.APPLICANT))
    NetworkFactory(name="Nur Bewerber")
    body = client.get("/en/networks/").content.decode()
    assert "EUROCITIES" in body and "Düsseldorf" in body and "member since 2018" in body
    assert "Bewerberstadt" not in body and "Nur Bewerber" not in body


def test_it_shows_the_seeded_networks(client, seeded):
    body = client.get("/de/networks/").content.decode()
    assert "Covenant of Mayors" in body and "Landeshauptstadt Düsseldorf" in body


def test_it_counts_members_and_measures_in_sql_for_the_statistics(client, db, django_assert_max_num_queries):
    for year, country in [(2010, "DE"), (2010, "DE"), (2020, "AT")]:
        member = MemberFactory(country=country, admitted_on=dt.date(year, 1, 1))
    MemberFactory(status=MemberStatus.APPLICANT, country="FR")
    MeasureFactory(plan__member=member, status=MeasureStatus.PLANNED, commitment__number=3)
    MeasureFactory(plan__member=member, status=MeasureStatus.PLANNED, commitment__number=3, is_public=False)
    with django_assert_max_num_queries(8):
        response = client.get("/en/statistics/")
    charts = {c.slug: {b.full_label: b.value for b in c.bars} for c in response.context["charts"]}
    assert charts["members-by-country"] == {"Germany": 2, "Austria": 1}  # names, never codes
    assert charts["members-by-year"] == {"2010": 2, "2020": 1}
    assert charts["measures-by-status"]["Planned"] == 1 and charts["measures-by-status"]["Implemented"] == 0
    assert charts["measures-by-commitment"]["3. Commitment 3"] == 1
    body = response.content.decode()
    # Each chart is an SVG image with a title and a description, and a data table.
    assert body.count('role="img"') == 4 and body.count("<desc") == 4 and body.count("<table") == 4
    assert "Germany: 2; Austria: 1" in body
    # The commitment chart names each commitment on its bar, not just "Commitment 3".
    chart = body[body.index('id="measures-by-commitment-caption"'):]
    chart = chart[: chart.index("</svg>")]
    assert '<text class="bar-label" x="0"' in chart and "3. Commitment 3</text>" in chart


def test_it_writes_long_commitment_names_on_two_lines_of_the_chart(client, seeded):
    body = client.get("/de/statistics/").content.decode()
    chart = body[body.index('id="measures-by-commitment-caption"'):]
    chart = chart[: chart.index("</svg>")]
    # 82 characters do not fit one line of the chart: the name wraps, nothing is cut off.
    lines = re.findall(r'<text class="bar-label" x="0" y="\d+">([^<]*)</text>', chart)
    assert " ".join(lines).count("Bessere Beteiligungs- und Informationsmöglichkeiten für die Bürgerinnen und Bürger") == 1
    assert max(len(line) for line in lines) <= 44
    assert "…" not in chart


@pytest.mark.parametrize(("path", "key", "de", "en"), [
    ("privacy", "privacy", "Datenschutzerklärung", "Privacy policy"),
    ("imprint", "imprint", "Impressum", "Imprint"),
    ("accessibility", "accessibility", "Erklärung zur Barrierefreiheit", "Accessibility statement"),
])
def test_it_shows_the_legal_pages_as_staff_edited_them(client, db, path, key, de, en):
    assert f"<h1>{de}</h1>" in client.get(f"/de/{path}/").content.decode()
    assert f"<h1>{en}</h1>" in client.get(f"/en/{path}/").content.decode()
    SitePage.objects.filter(key=key).update(body_en="Edited by the secretariat: https://example.org")
    body = client.get(f"/en/{path}/").content.decode()
    assert "Edited by the secretariat" in body and '<a href="https://example.org"' in body
    # The footer links to all three.
    for link in ["/en/privacy/", "/en/imprint/", "/en/accessibility/"]:
        assert f'href="{link}"' in body


def test_it_lets_staff_edit_the_legal_pages_in_the_admin(client, staff):
    client.force_login(staff)
    page = SitePage.objects.get(key="imprint")
    response = client.get(f"/admin/members/sitepage/{page.pk}/change/")
    assert response.status_code == 200
    data = {"key": "imprint", "title_de": "Impressum", "title_en": "Imprint", "body_de": "Neu", "body_en": "New"}
    assert client.post(f"/admin/members/sitepage/{page.pk}/change/", data).status_code == 302
    page.refresh_from_db()
    assert page.body_en == "New"


def test_it_restores_the_default_text_when_a_legal_page_is_missing(client, db):
    SitePage.objects.filter(key="imprint").delete()
    assert "<h1>Impressum</h1>" in client.get("/de/imprint/").content.decode()
    assert SitePage.objects.filter(key="imprint").exists()


def test_it_keeps_every_public_page_bounded_with_many_members_and_measures(client, seeded, django_assert_max_num_queries):
    from django.core.management import call_command

    from reports.tests.factories import ReportFactory

    call_command("generate_demo", members=150, measures_per_member=6)
    for member in list(Member.objects.filter(slug__startswith="demo-stadt-")[:30]):
        ReportFactory(member=member, status="published")
        NetworkMembershipFactory(member=member, network=NetworkFactory())
    for lang in ["de", "en"]:
        for url in PUBLIC + ["/{lang}/members/demo-stadt-0001/", "/{lang}/members/?page=3", "/{lang}/commitments/3/?page=2"]:
            with django_assert_max_num_queries(16):  # the member page: + indicators, their values, similar members
                assert client.get(url.format(lang=lang)).status_code == 200, url
    for url in ["/sitemap.xml", "/sitemap-members.xml", "/sitemap-measures.xml", "/feeds/de/members/"]:
        # Two queries per sitemap section (five of them in the index), however many pages it has.
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url


def test_it_caps_long_network_lists_and_links_to_the_filtered_directory(client, db, django_assert_max_num_queries):
    big = NetworkFactory(name="Covenant of Mayors")
    for i in range(60):
        NetworkMembershipFactory(network=big, member=MemberFactory(name=f"Ort {i:02d}"))
    NetworkMembershipFactory(network=NetworkFactory(name="Klein"), member=MemberFactory(name="Einzelort"))
    for i in range(25):
        NetworkMembershipFactory(network=NetworkFactory(name=f"Zusatznetz {i:02d}"), member=MemberFactory())
    with django_assert_max_num_queries(8):
        response = client.get("/en/networks/")
    body = response.content.decode()
    assert "Ort 49" in body and "Ort 50" not in body
    assert f'href="/en/members/?network={big.pk}"' in body and "All 60 members of this network" in body
    assert "Page 1 of 2" in body
    directory = client.get("/en/members/", {"network": big.pk, "q": "Ort"})
    assert directory.context["paginator"].count == 60
    assert client.get("/en/members/", {"network": "999999"}).status_code == 200


def test_it_escapes_typed_text_in_the_svg_charts_and_on_public_pages(client, db):
    from actionplan.tests.factories import CommitmentFactory

    evil = '<script>alert(1)</script><svg onload="alert(2)">'
    CommitmentFactory(number=1, title_de=evil, title_en=evil)
    member = MemberFactory(slug="xss", name=evil, region=evil)
    MeasureFactory(plan__member=member, commitment__number=1, title=evil, description=evil)
    NetworkMembershipFactory(member=member, network__name=evil)
    for url in ["/en/statistics/", "/en/members/xss/", "/en/members/", "/en/commitments/1/", "/en/networks/", "/feeds/de/members/"]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and '<svg onload="alert' not in body, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/en/statistics/").content.decode()
