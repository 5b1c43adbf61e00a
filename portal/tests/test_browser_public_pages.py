import pytest

from core.tests.browser import screenshot

pytestmark = [pytest.mark.browser]

# axe-core and the own-origin check over every public page live in test_browser_portal.py.


def test_it_shows_the_member_page_at_phone_width(page, seeded_live):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(seeded_live.url + "/de/members/dresden/")
    assert page.get_by_role("heading", level=1).inner_text() == "Landeshauptstadt Dresden"
    # No horizontal scrolling at 375 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "member-dresden-de-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(seeded_live.url + "/en/members/ratzeburg-amt-lauenburgische-seen/")
    screenshot(page, "member-ratzeburg-en-1280")


def test_it_has_a_working_skip_link(page, seeded_live):
    page.goto(seeded_live.url + "/de/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_draws_every_chart_label_inside_the_chart_on_a_phone(page, seeded_live, lang):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{seeded_live.url}/{lang}/statistics/")
    # "Verpflichtung 10" and "nicht angegeben" were cut at the chart's left edge.
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('svg.bar-chart text')]"
        ".filter(t => t.getBBox().x < 0 || t.getBBox().x + t.getBBox().width > t.ownerSVGElement.viewBox.baseVal.width)"
        ".map(t => t.textContent)"
    )
    assert clipped == []
