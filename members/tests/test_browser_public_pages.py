import pytest

from eccar_portal.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PUBLIC_PATHS = ["/{lang}/", "/{lang}/members/", "/{lang}/members/dresden/", "/{lang}/members/staedteregion-aachen/",
                "/{lang}/commitments/", "/{lang}/commitments/3/", "/{lang}/working-groups/"]


@pytest.fixture
def seeded_live(transactional_db, live_server):
    from members.services import seed_eccar

    seed_eccar()
    return live_server


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_has_no_axe_violations_and_no_third_party_requests(page, seeded_live, lang):
    origin = seeded_live.url
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in PUBLIC_PATHS:
        url = origin + path.format(lang=lang)
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], url
    foreign = [u for u in requests if not (u.startswith(origin) or u.startswith("data:"))]
    assert foreign == []


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
