"""Dresden's member page on a phone: the plan at a glance and the report within the first two screens."""

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_the_plan_at_a_glance_and_the_report_within_two_phone_screens(page, seeded_live, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded_live.url}/{lang}/members/dresden/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing cut off sideways
    glance = page.locator("table.glance-table")
    assert glance.locator("tbody tr").count() == 10
    report = page.locator("#reports-heading ~ article a").first
    assert report.is_visible()
    assert report.bounding_box()["y"] + report.bounding_box()["height"] < 2 * PHONE["height"]
    assert glance.bounding_box()["y"] < PHONE["height"]
    # Ten empty commitments no longer come before the report: they are one line further down.
    assert page.locator(".empty-commitments").count() == 1
    assert axe_violations(page) == []
    screenshot(page, f"member-dresden-{lang}-375")
    # A jump link takes the reader to the facts.
    page.locator("nav.jump-links a[href='#facts-heading']").click()
    assert page.evaluate("location.hash") == "#facts-heading"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_on_the_wide_member_page(page, seeded_live, lang):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{seeded_live.url}/{lang}/members/ratzeburg-amt-lauenburgische-seen/")
    assert page.locator("table.glance-table tbody tr").count() == 10
    assert axe_violations(page) == []
    screenshot(page, f"member-ratzeburg-{lang}-1280")
