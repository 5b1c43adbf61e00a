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
    assert page.count("<li>") == 10
    assert "4 öffentliche Maßnahmen zu 2 der zehn Verpflichtungen." in page
    assert "1 Geplant, 2 Umgesetzt" in page  # commitment 1
    assert "1 In Umsetzung" in page  # commitment 5: the internal and the retired measure are left out
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


def test_it_shows_a_member_without_a_plan(client, dresden, commitments):
    page = client.get(embed_url("dresden")).content.decode()
    assert page.count("<li>") == 10
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


def test_it_stays_under_20_kb_with_the_longest_titles(client, dresden, commitments):
    for commitment in commitments:
        commitment.title_de = "Ü" * 200
        commitment.save()
    dresden.name = "Ä" * 200
    dresden.save()
    plan = ActionPlanFactory(member=dresden)
    for commitment in commitments:
        for status in MeasureStatus.values:
            MeasureFactory(plan=plan, commitment=commitment, status=status)
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, title="B" * 300, period_label="P" * 100)
    html = client.get(embed_url("dresden")).content
    css = Path(finders.find(EMBED_CSS)).read_bytes()
    assert EMBED_CSS.encode() in html
    assert len(html) + len(css) < 20 * 1024, (len(html), len(css))


def test_it_costs_the_same_few_queries_however_many_measures(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[0])
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED)
    # The member with its plan's figures, the counts by commitment and status, the commitments, the latest report;
    # and the request's savepoint and its release (ATOMIC_REQUESTS).
    with django_assert_max_num_queries(6):
        client.get(embed_url("dresden"))
    for commitment in commitments:
        for status in MeasureStatus.values:
            MeasureFactory.create_batch(3, plan=plan, commitment=commitment, status=status)
    with django_assert_max_num_queries(6):
        assert "151 öffentliche Maßnahmen" in client.get(embed_url("dresden")).content.decode()


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
    # Every other page, cached too, keeps its refusal.
    Client().get(reverse("members:detail", args=["dresden"]))
    with django_assert_num_queries(0):
        member_page = Client().get(reverse("members:detail", args=["dresden"]))
    assert "frame-ancestors 'none'" in member_page.headers["Content-Security-Policy"]
    assert member_page.headers["X-Frame-Options"] == "DENY"
