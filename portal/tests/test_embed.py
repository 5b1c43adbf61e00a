"""The plan at a glance for a member's own website: what it shows, who may frame it, and what it costs."""

import contextlib
import datetime as dt
import math
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actionplan.embed_layout import NARROW, TITLE_CHARS, WIDE, EmbedRow, page_height, public_measure_url
from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import MemberStatus
from members.tests.factories import MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

EMBED_CSS = "css/embed.css"


def embed_url(slug: str, lang: str = "de") -> str:
    with translation.override(lang):
        return reverse("members:embed", args=[slug])


def size_url(slug: str, lang: str = "de") -> str:
    with translation.override(lang):
        return reverse("members:embed_size", args=[slug])


@pytest.fixture
def plan(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.PLANNED)
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.IMPLEMENTED)
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.IMPLEMENTED)
    MeasureFactory(plan=plan, commitment=commitments[4], status=MeasureStatus.IN_PROGRESS)
    # Neither an internal nor a retired measure is counted.
    MeasureFactory(plan=plan, commitment=commitments[4], status=MeasureStatus.PLANNED, is_public=False)
    MeasureFactory(plan=plan, commitment=commitments[4], status=MeasureStatus.PLANNED, retired_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return plan


def test_it_shows_the_ten_commitments_with_their_public_measures_by_status(client, plan):
    ReportFactory(member=plan.member, status=ReportStatus.PUBLISHED, title="Zwischenbericht 2023", period_end=dt.date(2023, 12, 31))
    latest = ReportFactory(member=plan.member, status=ReportStatus.PUBLISHED, title="Umsetzungsbericht 2024")
    ReportFactory(member=plan.member, status=ReportStatus.DRAFT, title="Entwurf 2026", period_end=dt.date(2026, 6, 30))
    response = client.get(embed_url("dresden"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<li class="commitment">') == 10
    assert "4 öffentliche Maßnahmen zu 2 der zehn Verpflichtungen." in page
    assert "<li>1 Geplant</li><li>2 Umgesetzt</li></ul>" in page  # commitment 1
    assert "<li>1 In Umsetzung</li></ul>" in page  # commitment 5: the internal and the retired measure are left out
    assert f'href="{latest.get_absolute_url()}" target="_blank" rel="noopener"' in page
    assert "Umsetzungsbericht 2024" in page and "Entwurf 2026" not in page and "Zwischenbericht" not in page
    assert f'href="{reverse("members:detail", args=["dresden"])}" target="_blank"' in page
    assert 'lang="de"' in page and "<script" not in page and "<form" not in page


def test_it_shows_the_english_page_under_the_english_address(client, plan, commitments):
    page = client.get(embed_url("dresden", "en")).content.decode()
    assert '<html lang="en">' in page
    assert "4 public measures under 2 of the ten commitments." in page
    assert commitments[0].title_en in page and commitments[0].title_de not in page
    assert 'href="/en/members/dresden/"' in page
    assert "none published yet" in page


def test_it_lists_the_first_five_public_titles_of_each_commitment_linked_to_the_measure(client, plan, commitments):
    titles = [f"Maßnahme {letter}" for letter in "GFEDCBA"]  # created out of order: the embed sorts by title
    made = {title: MeasureFactory(plan=plan, commitment=commitments[2], title=title) for title in titles}
    MeasureFactory(plan=plan, commitment=commitments[2], title="Maßnahme 0 intern", is_public=False)
    page = client.get(embed_url("dresden")).content.decode()
    third = page.split('<li class="commitment"><span class="number">3.</span>')[1].split('<li class="commitment">')[0]
    shown = sorted(titles)[:5]
    for title in shown:
        url = public_measure_url(member_slug="dresden", measure_id=made[title].pk)
        assert f'<a href="{url}" target="_blank" rel="noopener">{title}<span class="visually-hidden">' in third
    assert third.index(shown[0]) < third.index(shown[4])
    assert "Maßnahme F" not in third and "Maßnahme G" not in third and "intern" not in third
    assert (
        '<a href="/de/members/dresden/#commitment-3-heading" target="_blank" rel="noopener">und 2 weitere'
        '<span class="visually-hidden"> unter dieser Verpflichtung (öffnet in einem neuen Tab)</span></a>'
    ) in third
    # The internal and the retired measure of commitment 5 are not listed either: one title there, no "more".
    fifth = page.split('<span class="number">5.</span>')[1].split('<li class="commitment">')[0]
    assert fifth.count('<ul class="measures"><li>') == 1 and "weitere" not in fifth


def test_it_links_each_title_to_the_measures_own_page(client, plan):
    measure = plan.measures.public().first()
    url = public_measure_url(member_slug="dresden", measure_id=measure.pk)
    assert url == f"/de/members/dresden/measures/{measure.pk}/"
    assert f'href="{url}"' in client.get(embed_url("dresden")).content.decode()
    assert client.get(url).status_code == 200


def test_it_marks_a_title_in_another_language_than_the_page(client, plan, commitments):
    MeasureFactory(plan=plan, commitment=commitments[1], title="Welcome desk", content_language="en")
    german = client.get(embed_url("dresden")).content.decode()
    english = client.get(embed_url("dresden", "en")).content.decode()
    assert 'lang="en">Welcome desk' in german and 'rel="noopener">Welcome desk' in english
    assert 'href="/en/members/dresden/measures/' in english


def test_it_gives_its_height_in_each_layout_to_any_site_without_a_cookie(client, plan):
    response = client.get(size_url("dresden"), headers={"Origin": "https://www.dresden.de"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies and "Set-Cookie" not in response.headers
    narrow, wide = response.json()["layouts"]
    assert (narrow["name"], narrow["min_width_em"], wide["name"], wide["min_width_em"]) == ("narrow", 0, "wide", 40)
    assert narrow["height_rem"] > wide["height_rem"] > 0
    assert narrow["height_px"] == math.ceil(narrow["height_rem"] * 16) + 4
    assert client.get(size_url("dresden", "en")).json() == response.json()  # the layout is the same in every language


def test_it_grows_by_one_title_line_per_measure_up_to_five_and_one_line_for_the_rest(client, plan, commitments):
    def narrow() -> float:
        return client.get(size_url("dresden")).json()["layouts"][0]["height_rem"]

    before = narrow()
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.PLANNED)  # a fourth title, same statuses
    assert narrow() == before + 1.5
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.PLANNED)  # the fifth
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.PLANNED)  # "and 1 more"
    MeasureFactory(plan=plan, commitment=commitments[0], status=MeasureStatus.PLANNED)  # still one line
    assert narrow() == before + 3 * 1.5


def test_it_computes_the_wide_row_as_the_taller_of_titles_and_counts():
    segments = [(value, label, 1, 0.0, 20.0) for value, label in MeasureStatus.choices]
    one_title = EmbedRow(1, "T", 5, segments)
    no_measure = EmbedRow(1, "T", 0, [])
    # Wide: the title line and its five titles beside the counts (1.375 + three rows of statuses); the plan's
    # five statuses in two rows of three. Narrow: all under each other, the plan's statuses in three rows of two.
    assert page_height([one_title], 5, WIDE) - page_height([no_measure], 0, WIDE) == pytest.approx(
        1.3125 + 0.25 + 5 * 1.5 - 1.375 + (0.5 + 0.75 + 2 * 1.25)
    )
    assert page_height([one_title], 5, NARROW) - page_height([no_measure], 0, NARROW) == pytest.approx(
        3 * 1.25 + 0.25 + 5 * 1.5 + (0.5 + 0.75 + 3 * 1.25)
    )


@pytest.mark.parametrize("status", [MemberStatus.APPLICANT, MemberStatus.DECLINED])
def test_it_gives_no_height_for_a_member_that_is_not_public(client, commitments, status):
    MemberFactory(slug="bewerberstadt", status=status)
    assert client.get(size_url("bewerberstadt")).status_code == 404
    assert client.get(size_url("gibt-es-nicht")).status_code == 404
    assert client.post(size_url("bewerberstadt")).status_code == 405


def test_it_shows_a_member_without_a_plan(client, dresden, commitments):
    page = client.get(embed_url("dresden")).content.decode()
    assert page.count('<li class="commitment">') == 10
    assert 'class="measures"' not in page
    assert "0 öffentliche Maßnahmen zu 0 der zehn Verpflichtungen." in page


@pytest.mark.parametrize("status", [MemberStatus.APPLICANT, MemberStatus.DECLINED])
def test_it_does_not_exist_for_a_member_that_is_not_public(client, commitments, status):
    MemberFactory(slug="bewerberstadt", status=status)
    assert client.get(embed_url("bewerberstadt")).status_code == 404
    assert client.get(embed_url("gibt-es-nicht")).status_code == 404


def test_it_may_be_framed_by_any_site_and_no_other_page_may(client, plan):
    embed = client.get(embed_url("dresden"))
    policy = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'none'" in policy and "'none'" not in policy.split("frame-ancestors")[1]
    assert "X-Frame-Options" not in embed.headers
    for path in [reverse("members:detail", args=["dresden"]), reverse("home"), reverse("members:list")]:
        response = client.get(path)
        assert response.status_code == 200
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_it_keeps_its_policy_in_a_not_modified_answer(client, plan):
    # A browser merges a 304's headers into its stored copy: the usual frame-ancestors 'none' there would block
    # the frame from the second visit on.
    etag = client.get(embed_url("dresden")).headers["ETag"]
    again = client.get(embed_url("dresden"), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in again.headers
    member_page = reverse("members:detail", args=["dresden"])
    etag = client.get(member_page).headers["ETag"]
    again = client.get(member_page, headers={"If-None-Match": etag})
    assert again.status_code == 304 and "frame-ancestors 'none'" in again.headers["Content-Security-Policy"]


def test_it_sets_no_cookie(client, plan):
    response = client.get(embed_url("dresden"))
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert not client.cookies


def test_it_stays_under_40_kb_with_the_longest_titles(client, dresden, commitments):
    for commitment in commitments:
        commitment.title_de = "Ü" * 200
        commitment.save()
    dresden.name = "Ä" * 200
    dresden.save()
    plan = ActionPlanFactory(member=dresden)
    for commitment in commitments:
        for status in MeasureStatus.values:
            MeasureFactory.create_batch(2, plan=plan, commitment=commitment, status=status, title="Ö" * 300)
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, title="B" * 300, period_label="P" * 100)
    page = client.get(embed_url("dresden")).content
    css = Path(finders.find(EMBED_CSS)).read_bytes()
    assert EMBED_CSS.encode() in page
    # Five titles under each commitment, each cut to 80 characters (CSS shows one line of them): in two-byte
    # letters 8 KB of the page; with ten 200-letter commitments and the name the page was 20 KB before the titles.
    assert page.decode().count("Ö" * (TITLE_CHARS - 1) + "…") == 50 and "Ö" * TITLE_CHARS not in page.decode()
    assert len(page) + len(css) < 40 * 1024, (len(page), len(css))


def test_it_costs_the_same_few_queries_however_many_measures(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[0])
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED)
    # The member with its plan's figures, the counts by commitment and status, the first titles of each commitment,
    # the commitments, the latest report; and the request's savepoint and its release (ATOMIC_REQUESTS).
    with django_assert_max_num_queries(7):
        client.get(embed_url("dresden"))
    with django_assert_max_num_queries(5):  # no titles and no report for the sizes
        client.get(size_url("dresden"))
    for commitment in commitments:
        for status in MeasureStatus.values:
            MeasureFactory.create_batch(3, plan=plan, commitment=commitment, status=status)
    with django_assert_max_num_queries(7):
        page = client.get(embed_url("dresden")).content.decode()
    assert "151 öffentliche Maßnahmen" in page and page.count("und 10 weitere") == 9 and "und 11 weitere" in page
    with django_assert_max_num_queries(5):
        client.get(size_url("dresden"))


@pytest.fixture
def page_cache(settings):
    from core import public_cache

    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    yield
    with contextlib.suppress(Exception):
        cache.clear()
    public_cache.close_generation_reader()  # its connection would keep the test database from being dropped
    public_cache._cache_breaker["retry_at"] = -math.inf  # noqa: SLF001


@pytest.mark.django_db(transaction=True)
def test_it_is_served_from_the_page_cache_with_its_own_policy(page_cache, dresden, commitments, django_assert_num_queries):
    MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    first = Client().get(embed_url("dresden"))
    with django_assert_num_queries(0):
        cached = Client().get(embed_url("dresden"))
    assert cached.content == first.content
    assert "frame-ancestors *" in cached.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in cached.headers and "Set-Cookie" not in cached.headers
    # So are the sizes, with their CORS header.
    Client().get(size_url("dresden"))
    with django_assert_num_queries(0):
        sizes = Client().get(size_url("dresden"))
    assert sizes.headers["Access-Control-Allow-Origin"] == "*" and "Set-Cookie" not in sizes.headers
    # Every other page, cached too, keeps its refusal.
    Client().get(reverse("members:detail", args=["dresden"]))
    with django_assert_num_queries(0):
        member_page = Client().get(reverse("members:detail", args=["dresden"]))
    assert "frame-ancestors 'none'" in member_page.headers["Content-Security-Policy"]
    assert member_page.headers["X-Frame-Options"] == "DENY"
