"""Similar members (members/similar.py), the similar-members page and the public comparison of two to four members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from members.models import MemberKind, MemberStatus
from members.similar import population_band, similar_members
from members.tests.factories import MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def city(slug: str, population: int | None, *, country: str = "DE", kind: str = MemberKind.CITY, **kwargs):
    return MemberFactory(slug=slug, name=slug.title(), population=population, country=country, kind=kind, **kwargs)


def test_it_puts_members_into_fixed_population_bands():
    assert population_band(None) is None
    assert (population_band(0).low, population_band(19_999).high) == (0, 20_000)
    assert (population_band(20_000).low, population_band(20_000).high) == (20_000, 100_000)
    assert (population_band(499_999).low, population_band(500_000).low, population_band(500_000).high) == (100_000, 500_000, None)


def test_it_finds_the_same_kind_in_the_same_band_same_country_first():
    me = city("me", 550_000)
    near_abroad = city("near-abroad", 560_000, country="NL")
    far_at_home = city("far-at-home", 900_000)
    near_at_home = city("near-at-home", 600_000)
    city("small", 450_000)  # another band
    city("district", 550_000, kind=MemberKind.DISTRICT)
    city("unstated", None)
    city("applicant", 550_000, status=MemberStatus.APPLICANT)
    city("declined", 550_000, status=MemberStatus.DECLINED)
    former = city("former", 1_500_000, country="AT", status=MemberStatus.FORMER)

    assert similar_members(member=me) == [near_at_home, far_at_home, near_abroad, former]
    assert similar_members(member=me, limit=2) == [near_at_home, far_at_home]


def test_it_orders_ties_by_name_and_never_lists_the_member_itself():
    me = city("me", 50_000)
    b = MemberFactory(slug="b", name="Bstadt", population=40_000, country="DE")
    a = MemberFactory(slug="a", name="Astadt", population=60_000, country="DE")
    assert similar_members(member=me) == [a, b]
    assert similar_members(member=a) == [me, b]


def test_it_falls_back_to_kind_and_country_without_a_population():
    me = city("me", None)
    big = city("big", 900_000)
    small = city("small", 5_000)
    city("abroad", 5_000, country="FR")
    city("district", 5_000, kind=MemberKind.DISTRICT)
    assert similar_members(member=me) == [big, small]  # by name: "Big", "Small"


def test_it_runs_one_query(django_assert_num_queries):
    me = city("me", 150_000)
    for n in range(30):
        city(f"other-{n}", 120_000 + n * 1000, country="DE" if n % 2 else "FR")
    with django_assert_num_queries(1):
        assert len(similar_members(member=me)) == 5


def setup_plans(commitments, members, measures_per_commitment: int = 4):
    for member in members:
        plan = ActionPlanFactory(member=member)
        for commitment in commitments[:3]:
            for i in range(measures_per_commitment):
                MeasureFactory(plan=plan, commitment=commitment, title=f"{member.slug} {commitment.number} {i}",
                               status=MeasureStatus.IMPLEMENTED if i % 2 else MeasureStatus.PLANNED)
        MeasureFactory(plan=plan, commitment=commitments[0], title=f"{member.slug} intern", is_public=False)


def test_it_shows_similar_members_on_the_member_page(client, commitments):
    me = city("dresden", 560_000)
    other = city("leipzig", 600_000)
    city("ratzeburg", 14_000)
    response = client.get("/en/members/dresden/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="similar-heading"' in body
    assert 'href="/en/members/leipzig/"' in body and "/en/members/ratzeburg/" not in body
    assert "500,000 inhabitants or more" in body
    assert "/en/members/dresden/similar/" in body
    assert "/en/compare/?members=dresden&amp;members=leipzig" in body
    assert other.name in body and me.name in body


def test_it_lists_what_similar_members_do_under_each_commitment(client, commitments):
    me = city("dresden", 560_000)
    others = [city(f"other-{n}", 600_000 + n) for n in range(2)]
    setup_plans(commitments, others)
    body = client.get("/en/members/dresden/similar/").content.decode()
    # Three of four measures under each commitment, and a link to all of them; internal measures stay hidden.
    assert "other-0 1 0" in body and "other-0 1 2" in body and "other-0 1 3" not in body
    assert "All 4 measures of Other-0 under this commitment" in body
    assert "intern" not in body
    assert "badge-status-implemented" in body
    assert "None of these members has a public measure yet under the commitments" in body  # 4 to 10
    assert 'id="similar-commitment-3"' in body and 'id="similar-commitment-4"' not in body
    assert me.name in body


def test_it_keeps_the_similar_page_and_the_member_page_bounded(client, commitments, django_assert_max_num_queries):
    city("dresden", 560_000)
    others = [city(f"other-{n}", 600_000 + n) for n in range(5)]
    setup_plans(commitments, others[:1], measures_per_commitment=1)

    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for url in ("/de/members/dresden/similar/", "/de/members/dresden/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return tuple(result)

    few = counts()
    setup_plans(commitments, others[1:], measures_per_commitment=6)
    for n in range(25):
        city(f"more-{n}", 700_000 + n)
    assert counts() == few
    with django_assert_max_num_queries(6):
        client.get("/de/members/dresden/similar/")


def compared_members(commitments):
    dresden = city("dresden", 560_000)
    duesseldorf = city("duesseldorf", 620_000)
    setup_plans(commitments, [dresden, duesseldorf])
    counselling = IndicatorFactory(plan=dresden.plan, commitment=commitments[1], name="Beratungsfälle", unit="Fälle",
                                   baseline_value=Decimal(40), target_value=Decimal(100))
    IndicatorValueFactory(indicator=counselling, date=dt.date(2023, 1, 1), value=Decimal(55))
    IndicatorValueFactory(indicator=counselling, date=dt.date(2024, 1, 1), value=Decimal(70))
    IndicatorFactory(plan=dresden.plan, commitment=commitments[1], name="Geheimer Indikator", is_public=False)
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), title="Bericht 2019–2022",
                  period_start=dt.date(2019, 1, 1), period_end=dt.date(2022, 12, 31))
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), title="Bericht 2015–2018",
                  period_start=dt.date(2015, 1, 1), period_end=dt.date(2018, 12, 31))
    ReportFactory(member=dresden, status=ReportStatus.DRAFT, title="Entwurf 2023–2024")
    return dresden, duesseldorf


def test_it_compares_members_commitment_by_commitment(client, commitments):
    compared_members(commitments)
    response = client.get("/en/compare/?members=dresden&members=duesseldorf")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Members side by side, commitment by commitment" in body
    # Three commitments × two members, in the phones' list and in the wider screens' table.
    assert body.count("4 measures") == 2 * 6
    assert "2 Planned, 2 Implemented" in body
    assert "Beratungsfälle: 70 Fälle" in body
    assert "50&nbsp;% of the way to 100 by 2027" in body  # (70 − 40) ÷ (100 − 40)
    assert "Geheimer Indikator" not in body and "intern" not in body
    assert "Bericht 2019–2022" in body and "Bericht 2015–2018" not in body and "Entwurf" not in body
    assert "none published yet" in body  # Düsseldorf
    assert "alert-warning" not in body


def test_it_keeps_the_comparison_bounded(client, commitments, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    members = [city(f"m{n}", 560_000 + n) for n in range(4)]
    setup_plans(commitments, members[:2], measures_per_commitment=1)
    url = "/de/compare/?" + "&".join(f"members=m{n}" for n in range(4))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    setup_plans(commitments, members[2:], measures_per_commitment=8)
    for member in members:
        for n in range(3):
            IndicatorValueFactory(indicator=IndicatorFactory(plan=member.plan, commitment=commitments[n]))
        ReportFactory(member=member, status=ReportStatus.PUBLISHED, published_at=timezone.now())
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    assert len(few) <= 10


@pytest.mark.parametrize(
    "query, message",
    [
        ("members=dresden", "Choose at least two members to compare them side by side."),
        ("", "Choose at least two members to compare them side by side."),
        ("members=dresden&members=nowhere", "There is no member with the address “nowhere”."),
        ("members=dresden&members=dresden", "“dresden” was chosen twice; it is shown once."),
        ("members=a&members=b&members=c&members=d&members=dresden",
         "At most 4 members can be compared side by side; the first 4 are shown."),
    ],
)
def test_it_explains_bad_choices_without_failing(client, commitments, query, message):
    for slug in ("dresden", "a", "b", "c", "d"):
        city(slug, 560_000)
    response = client.get(f"/en/compare/?{query}")
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if query.endswith("members=dresden") and query.startswith("members=a"):
        assert "Members side by side" in body and 'href="/en/members/dresden/"' not in body


def test_it_offers_similar_members_and_a_search_to_add_one(client, commitments):
    city("dresden", 560_000)
    city("leipzig", 600_000)
    city("heidelberg", 160_000)
    body = client.get("/en/compare/?members=dresden").content.decode()
    assert "Members similar to Dresden:" in body
    assert 'href="/en/compare/?members=dresden&amp;members=leipzig"' in body
    body = client.get("/en/compare/?members=dresden&q=Heidelberg").content.decode()
    assert 'href="/en/compare/?members=dresden&amp;members=heidelberg"' in body
    assert 'name="members" value="dresden"' in body  # the search keeps the choice
    MemberFactory(slug="duesseldorf", name="Landeshauptstadt Düsseldorf", population=600_000)
    for spelling in ("düsseldorf", "Duesseldorf"):
        body = client.get(f"/en/compare/?members=dresden&q={spelling}").content.decode()
        assert 'href="/en/compare/?members=dresden&amp;members=duesseldorf"' in body, spelling
    body = client.get("/en/compare/?members=dresden&q=Xyzzy").content.decode()
    assert "No member matches “Xyzzy”." in body


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "dresden_editor", "dresden_lead", "staff", "bare_staff"])
def test_it_shows_a_non_public_member_only_to_those_who_may_see_it(
    client, commitments, dresden, duesseldorf, dresden_editor, dresden_lead, outsider, staff, bare_staff, persona
):
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead, "staff": staff,
             "bare_staff": bare_staff}
    dresden.status = MemberStatus.APPLICANT
    dresden.population = duesseldorf.population = 560_000
    dresden.save()
    duesseldorf.save()
    if persona != "anonymous":
        client.force_login(users[persona])
    may_see = persona in {"dresden_editor", "dresden_lead", "staff"}

    compare = client.get("/en/compare/?members=dresden&members=duesseldorf")
    assert compare.status_code == 200
    body = compare.content.decode()
    assert ("Landeshauptstadt Dresden" in body) is may_see
    assert ("There is no member with the address “dresden”." in body) is not may_see

    similar = client.get("/en/members/dresden/similar/")
    assert similar.status_code == (200 if may_see else 404)
    # An applicant is never anyone's similar member, whoever looks.
    for url in ("/en/members/duesseldorf/", "/en/members/duesseldorf/similar/", "/en/compare/?members=duesseldorf"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Landeshauptstadt Dresden" not in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "dresden_editor", "dresden_lead", "staff", "bare_staff"])
def test_it_shows_the_public_pages_to_everyone(
    client, commitments, dresden, duesseldorf, dresden_editor, dresden_lead, outsider, staff, bare_staff, persona
):
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead, "staff": staff,
             "bare_staff": bare_staff}
    if persona != "anonymous":
        client.force_login(users[persona])
    for url in ("/de/members/dresden/similar/", "/de/compare/?members=dresden&members=duesseldorf", "/de/compare/"):
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


@pytest.mark.django_db(transaction=True)
def test_it_serves_the_new_pages_from_the_page_cache_and_renews_them_after_a_write(settings, commitments):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.public_cache import close_generation_reader

    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    try:
        city("dresden", 560_000)
        duesseldorf = city("duesseldorf", 620_000)
        plan = ActionPlanFactory(member=duesseldorf)
        paths = ["/de/members/dresden/similar/", "/de/compare/?members=dresden&members=duesseldorf",
                 "/de/compare/?members=dresden&q=Dues"]
        for path in paths:
            Client().get(path)
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(path).status_code == 200
            assert len(queries) == 0, path
        assert "<td><strong>1</strong></td>" not in Client().get(paths[1]).content.decode()
        MeasureFactory(plan=plan, commitment=commitments[0], title="Neue Beratungsstelle")
        assert "Neue Beratungsstelle" in Client().get(paths[0]).content.decode()
        assert "<td><strong>1</strong></td>" in Client().get(paths[1]).content.decode()  # Düsseldorf's public measures
    finally:
        cache.clear()
        close_generation_reader()


def test_it_lists_each_members_measure_titles_with_status_and_links_per_commitment(client, seeded):
    from actionplan.models import ActionPlan, Commitment
    from portal.tests.housing import add_housing_measures

    housing = add_housing_measures()
    duesseldorf = ActionPlan.objects.get(member__slug="duesseldorf")
    for n in range(7):
        MeasureFactory(plan=duesseldorf, commitment=Commitment.objects.get(number=3), title=f"Schulprojekt {n}",
                       status=MeasureStatus.IMPLEMENTED)
    body = client.get("/en/compare/?members=dresden&members=duesseldorf").content.decode()
    flats = housing["flats"]
    # In the phones' list and in the wider screens' table.
    assert body.count(f'<a href="/en/members/dresden/measures/{flats.pk}/" lang="de">Wohnungsvermittlung ohne Diskriminierung</a>'
                      ' <span class="text-body-secondary">(In progress)</span>') == 2
    assert body.count(">Fair housing counselling</a>") == 2
    assert body.count(">Beratung für Vermieter</a>") == 2  # Düsseldorf's, under the same commitment
    # Seven measures under one commitment: the first five by title, then a link to the rest on the member page.
    assert body.count(">Schulprojekt 4</a>") == 2 and ">Schulprojekt 5</a>" not in body
    assert body.count('href="/en/members/duesseldorf/#commitment-3-heading">and 2 more measures') == 2
