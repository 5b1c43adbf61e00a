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


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_links_a_measures_earlier_timeline_entries_without_axe_violations(page, seeded_live, lang):
    import datetime as dt

    from actionplan.models import ActionPlan, Commitment
    from actionplan.tests.factories import MeasureFactory, MeasureUpdateFactory

    plan = ActionPlan.objects.get(member__slug="dresden")
    measure = MeasureFactory(plan=plan, commitment=Commitment.objects.get(number=3), title="Beratungsstelle bekannt machen")
    for day in range(1, 6):
        MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, day))
    more = "2 frühere Einträge auf der Seite der Maßnahme" if lang == "de" else "2 earlier entries on the measure's page"
    for size in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{seeded_live.url}/{lang}/members/dresden/")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        link = page.get_by_role("link", name=more)
        assert link.count() == 1
        assert axe_violations(page) == []
        screenshot(page, f"member-dresden-earlier-entries-{lang}-{size['width']}")
    link.click()
    assert page.evaluate("location.hash") == "#timeline-heading"
    assert page.locator("#timeline-heading ~ ol li").count() == 5
