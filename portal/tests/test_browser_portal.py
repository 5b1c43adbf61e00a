"""The public pages in Chromium: axe on every one, no third-party request, no cookie, reflow, keyboard, print."""

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PAGES = [
    "/{lang}/", "/{lang}/members/", "/{lang}/members/?q=Ratzeburg&kind=joint", "/{lang}/members/dresden/",
    "/{lang}/members/ratzeburg-amt-lauenburgische-seen/", "/{lang}/commitments/", "/{lang}/commitments/3/",
    "/{lang}/commitments/6/?q=Rassismus&status=in_progress", "/{lang}/working-groups/", "/{lang}/networks/",
    "/{lang}/statistics/", "/{lang}/open-data/", "/{lang}/reports/", "/{lang}/privacy/", "/{lang}/imprint/",
    "/{lang}/accessibility/",
]
SHOTS = {"home": "/{lang}/", "directory": "/{lang}/members/?q=Stadt", "directory-search": "/{lang}/members/?q=Beratung",
         "member": "/{lang}/members/dresden/", "commitments": "/{lang}/commitments/", "commitment": "/{lang}/commitments/6/",
         "statistics": "/{lang}/statistics/", "open-data": "/{lang}/open-data/", "imprint": "/{lang}/imprint/",
         "networks": "/{lang}/networks/", "working-groups": "/{lang}/working-groups/", "reports": "/{lang}/reports/"}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_and_stays_on_its_own_origin_on_every_public_page(page, seeded_live, lang):
    origin = seeded_live.url
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in PAGES:
        url = origin + path.format(lang=lang)
        assert page.goto(url).status == 200, url
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main#main").count() == 1 and page.locator("header").count() == 1
        assert page.locator("footer").count() == 1
        assert axe_violations(page) == [], url
    assert [u for u in requests if not (u.startswith(origin + "/") or u.startswith("data:"))] == []
    # An anonymous visitor who only reads gets no cookie at all.
    assert page.context.cookies() == []


def test_it_reflows_at_200_percent_zoom_without_horizontal_scrolling(page, seeded_live):
    # 1280 px at 200 % zoom is a 640 CSS px viewport; WCAG 1.4.10 (reflow) even asks for 320 px (400 %).
    for width in (640, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(seeded_live.url + path.format(lang="de"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)


def test_it_can_be_searched_with_the_keyboard_alone_with_visible_focus(page, seeded_live):
    page.goto(seeded_live.url + "/en/members/")
    search = page.locator("#id_q")
    for _ in range(40):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    assert search.evaluate("el => el === document.activeElement")
    assert search.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.type("ländliche Gebiete")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=l*")
    assert "Ratzeburg" in page.locator("table").inner_text()
    # The link to the result is reachable by keyboard and shows its focus.
    link = page.get_by_role("link", name="Stadt Ratzeburg und Amt Lauenburgische Seen")
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"


def test_it_prints_member_and_commitment_pages_without_navigation(page, seeded_live):
    page.emulate_media(media="print")
    for name, path in [("member", "/de/members/dresden/"), ("commitment", "/de/commitments/6/")]:
        page.goto(seeded_live.url + path)
        assert not page.locator("header.site-header").is_visible()
        assert not page.locator("footer").is_visible()
        assert not page.locator("form").first.is_visible() if page.locator("form").count() else True
        assert page.locator("h1").is_visible()
        screenshot(page, f"print-{name}-de")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_and_fits_the_screen_at_1280_and_375_px(page, seeded_live, lang):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in SHOTS.items():
            page.goto(seeded_live.url + path.format(lang=lang))
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            assert axe_violations(page) == [], (name, width)
            screenshot(page, f"{name}-{lang}-{width}")
