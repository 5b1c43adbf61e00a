"""The comparison page and the similar-members page in Chromium: axe-clean in both languages, usable at 375 px."""

import datetime as dt
from decimal import Decimal

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PHONE = {"width": 375, "height": 740}


def add_indicator() -> None:
    from actionplan.models import ActionPlan, Commitment
    from actionplan.tests.factories import IndicatorFactory, IndicatorValueFactory

    plan = ActionPlan.objects.get(member__slug="dresden")
    indicator = IndicatorFactory(plan=plan, commitment=Commitment.objects.get(number=3), name="Beratungsfälle pro Jahr",
                                 unit="Fälle", baseline_value=Decimal(40), target_value=Decimal(100))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 6, 30), value=Decimal(70))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_compares_three_members_on_a_phone(page, seeded_live, lang):
    add_indicator()
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded_live.url}/{lang}/compare/?members=dresden&members=duesseldorf&members=heilbronn")
    # On a phone the commitments come one below the other, each with the three members; nothing scrolls sideways.
    assert not page.locator("table.compare-table").is_visible()
    stacked = page.locator(".compare-stacked")
    assert stacked.locator("h3").count() == 11  # the facts and the ten commitments
    assert stacked.locator("ul.border-start").first.locator("> li").count() == 3
    indicator = stacked.locator(".compare-indicators li").first
    assert indicator.is_visible() and indicator.inner_text().startswith("Beratungsfälle pro Jahr: 70 Fälle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    screenshot(page, f"compare-{lang}-375")
    # Wider screens get the table, with three rows of facts and the ten commitments.
    page.set_viewport_size({"width": 1024, "height": 900})
    table = page.locator("table.compare-table")
    assert table.is_visible() and table.locator("tbody tr").count() == 13
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_picks_members_without_javascript(browser, page, seeded_live, lang):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    plain = context.new_page()
    plain.goto(f"{seeded_live.url}/{lang}/members/dresden/")
    plain.locator("#similar-heading ~ p a[href$='compare/?members=dresden']").click()
    plain.locator("#compare-q").fill("Ratzeburg")
    plain.locator(".compare-choice form button[type=submit]").click()
    plain.locator(".compare-results a").first.click()
    assert plain.locator("table.compare-table thead th").count() == 3  # the commitment column and two members
    url = plain.url
    context.close()
    # axe-core is a script: it checks the same page in a browser with JavaScript.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    assert axe_violations(page) == []
    screenshot(page, f"compare-{lang}-1280")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_lists_similar_members_by_commitment_on_a_phone(page, seeded_live, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded_live.url}/{lang}/members/dresden/similar/")
    assert page.locator(".similar-list li").count() == 2  # Düsseldorf and Heilbronn: German cities
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    screenshot(page, f"similar-{lang}-375")
