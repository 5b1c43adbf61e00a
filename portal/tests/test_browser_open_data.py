"""The open-data page and a member page's open-data links in Chromium: axe at both widths and in both languages,
no sideways scrolling on a phone, and no Content-Security-Policy violation from the JSON-LD markup."""

import pytest

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PAGES = {"open-data": "/{lang}/open-data/", "member": "/{lang}/members/dresden/"}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("width", [1280, 375])
def test_it_passes_axe_on_the_open_data_page_and_the_member_page(page, seeded_live, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective))"
    )
    for name, path in PAGES.items():
        url = seeded_live.url + path.format(lang=lang)
        assert page.goto(url).status == 200, url
        assert axe_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        screenshot(page, f"open-data-{name}-{lang}-{width}")
        assert page.evaluate("window.__csp") == [], url
    # The JSON-LD is a data block, never run: the policy (script-src 'self') has nothing to refuse.
    assert [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m] == []


def test_it_reads_the_structured_data_and_downloads_from_the_member_page(page, seeded_live):
    page.goto(seeded_live.url + "/en/open-data/")
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert {item["@type"] for item in data["@graph"]} == {"Dataset"}
    page.goto(seeded_live.url + "/en/members/dresden/")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX – Public measures").click()
    assert download.value.suggested_filename == "eccar-dresden-measures.xlsx"
