"""PDF renders cannot tie up the app servers: one render per document and generation, shared by every request,
and at most PDF_RENDER_SLOTS at once (503 with Retry-After beyond). Renders are counted, not timed.

These tests commit (transactional_db): the public generation moves when a write commits, as in production.
"""

import contextlib
import math
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core import pdf, public_cache
from core.public_cache import close_generation_reader
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "/de/members/dresden/plan.pdf"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    yield
    with contextlib.suppress(Exception):
        cache.clear()
    close_generation_reader()
    public_cache._cache_breaker["retry_at"] = -math.inf  # noqa: SLF001


@pytest.fixture
def renders(monkeypatch):
    """Every real render, counted."""
    count = {"n": 0}
    original = pdf._render

    def counted(*args, **kwargs):
        count["n"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "_render", counted)
    return count


@pytest.fixture
def plan(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen")
    return plan


def in_threads(count: int, work) -> list:
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            results[i] = work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_it_renders_a_plan_once_for_concurrent_requests_and_serves_it_to_all(plan, renders, monkeypatch, dresden_lead):
    waiting, release = set(), threading.Event()
    original_render, original_pause = pdf._render, pdf._pause

    def render_when_all_wait(*args, **kwargs):
        release.wait(30)  # the other requests have found the render under way
        return original_render(*args, **kwargs)

    def pause():
        waiting.add(threading.get_ident())
        if len(waiting) >= 4:
            release.set()
        original_pause()

    monkeypatch.setattr(pdf, "_render", render_when_all_wait)
    monkeypatch.setattr(pdf, "_pause", pause)
    # Different query strings, a logged-in coordinator: none of it makes a new render.
    paths = [PLAN, f"{PLAN}?a=1", f"{PLAN}?a=2", f"{PLAN}?nocache=3", PLAN]

    def get(i: int):
        client = Client()
        if i == 4:
            client.force_login(dresden_lead)
        return client.get(paths[i])

    responses = in_threads(5, get)
    assert [r.status_code for r in responses] == [200] * 5
    assert len({r.content for r in responses}) == 1 and responses[0].content.startswith(b"%PDF")
    assert renders["n"] == 1
    # Later requests are served from the cache…
    assert Client().get(f"{PLAN}?b=4").content == responses[0].content and renders["n"] == 1
    # …until public data changes: then once more.
    Measure.objects.filter(plan=plan).update(title="Beratungsstelle in allen Stadtteilen")
    assert Client().get(PLAN).status_code == 200 and renders["n"] == 2
    assert Client().get("/en/members/dresden/plan.pdf").status_code == 200 and renders["n"] == 3  # per language


def test_it_answers_503_with_retry_after_when_every_render_slot_is_taken(plan, renders, settings, dresden):
    settings.PDF_RENDER_SLOTS = 2
    report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED)
    for slot in range(2):
        cache.add(f"pdf-render-slot:{slot}", "another request", 60)  # two renders running elsewhere
    for lang, heading in [("de", "Das PDF kann gerade nicht erstellt werden"), ("en", "The PDF cannot be prepared at this moment")]:
        for path in (f"/{lang}/members/dresden/plan.pdf", f"/{lang}/reports/{report.pk}/report.pdf"):
            response = Client().get(path)
            assert response.status_code == 503 and response["Retry-After"] == "30", path
            assert heading in response.content.decode()
    assert renders["n"] == 0
    cache.delete("pdf-render-slot:1")  # one render done
    assert Client().get(PLAN).status_code == 200 and renders["n"] == 1
    assert cache.get("pdf-render-slot:1") is None  # given back after the render


def test_it_limits_renders_without_the_page_cache_too(plan, renders, settings):
    settings.PUBLIC_PAGE_CACHE = False
    settings.PDF_RENDER_SLOTS = 1
    cache.add("pdf-render-slot:0", "another request", 60)
    assert Client().get(PLAN).status_code == 503 and renders["n"] == 0


def test_it_still_hides_a_cached_plan_from_whoever_may_not_see_the_member(plan, renders, dresden):
    assert Client().get(PLAN).status_code == 200
    dresden.status = "applicant"
    dresden.save()
    assert Client().get(PLAN).status_code == 404 and renders["n"] == 1
