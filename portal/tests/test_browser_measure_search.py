"""The measure search, the comparison with its measure titles, the directory's ranking and the commitment page's
indicators in Chromium: axe-clean in both languages at 1280 and 375 px, nothing scrolls sideways on a phone, and on
a phone the comparison starts on the first screen."""

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PHONE = {"width": 375, "height": 700}
DESKTOP = {"width": 1280, "height": 900}


def check(page, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], f"{name} at {label} px"
        assert axe_violations(page) == [], f"{name} at {label} px"
        screenshot(page, f"{name}-{label}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_starts_the_comparison_on_a_phones_first_screen_with_measure_titles(page, seeded_live, lang):
    from portal.tests.housing import add_housing_measures

    add_housing_measures()
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded_live.url}/{lang}/compare/?members=dresden&members=duesseldorf")
    section = page.locator("section[aria-labelledby=comparison-heading]")
    assert section.bounding_box()["y"] < PHONE["height"]
    stacked = page.locator(".compare-stacked")
    assert stacked.is_visible() and stacked.bounding_box()["y"] < PHONE["height"]
    link = stacked.locator(".compare-measures a", has_text="Wohnungsvermittlung ohne Diskriminierung")
    assert link.is_visible()
    link.click()
    assert "/members/dresden/measures/" in page.url
    page.go_back()
    # The picker is still there, after the comparison.
    assert page.locator("#choice-heading").bounding_box()["y"] > section.bounding_box()["y"]
    check(page, f"compare-measures-{lang}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_searches_measures_across_commitments(page, seeded_live, lang):
    from portal.tests.housing import add_housing_measures

    add_housing_measures()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_live.url}/{lang}/members/")
    page.locator("a[href$='/measures/']").first.click()
    page.locator("#id_q").fill("racism in housing")
    page.locator("#id_country").select_option("DE")
    page.locator(".filter-form button[type=submit]").click()
    assert "country=DE" in page.url and "q=racism+in+housing" in page.url
    first = page.locator(".measure-hits > li").first
    assert "Racism in housing: testing landlords" in first.inner_text()
    assert page.locator("a[href*='measures.csv?q=racism']").count() == 1
    check(page, f"measure-search-{lang}")
    page.goto(f"{seeded_live.url}/{lang}/measures/")
    check(page, f"measure-search-all-{lang}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_ranks_the_directory_and_filters_the_commitment_pages_indicators(page, seeded_live, lang):
    from portal.tests.housing import add_housing_measures

    add_housing_measures()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_live.url}/{lang}/members/?q=housing&country=DE")
    assert page.locator(".directory-table tbody tr").first.inner_text().startswith("Landeshauptstadt Dresden")
    check(page, f"directory-housing-{lang}")
    page.goto(f"{seeded_live.url}/{lang}/commitments/7/?country=DE&q=Wohnung")
    indicators = page.locator("section[aria-labelledby=indicators-heading]")
    assert "Vermittelte Wohnungen" in indicators.inner_text() and "Grazer" not in indicators.inner_text()
    check(page, f"commitment-filtered-{lang}")
