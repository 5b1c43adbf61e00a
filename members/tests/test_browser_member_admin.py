"""The member admin at 1280 px in real Chromium: Düsseldorf's seeded networks fit, in German and English, and the
pages changed for the secretariat (the member page, revoking an invitation, the language switch) pass axe-core."""

import pytest

from core.tests.browser import axe_violations, enter_second_factor, give_app, screenshot
from members.models import Member
from members.services import invitation_send

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


def test_it_fits_the_member_admin_into_1280_pixels_and_switches_its_language(browser, seeded_live, staff):
    duesseldorf = Member.objects.get(slug="duesseldorf")
    assert duesseldorf.network_memberships.count() >= 3  # the seeded networks that made the page 2,549 px wide
    invitation = invitation_send(member=duesseldorf, email="neu@duesseldorf.de", role="editor", language="de", by=staff)
    origin = seeded_live.url
    page = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}).new_page()
    give_app("secretariat")
    page.goto(f"{origin}/admin/login/")
    page.locator("#id_username").fill("secretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    enter_second_factor(page, "secretariat")
    paths = [f"/admin/members/member/{duesseldorf.pk}/change/", f"/admin/members/invitation/{invitation.pk}/revoke/"]
    for lang, switch in (("de", "English"), ("en", "Deutsch")):
        for path in paths:
            page.goto(origin + path)
            assert page.evaluate("document.documentElement.lang") == lang, path
            width = page.evaluate("document.documentElement.scrollWidth")
            screenshot(page, f"admin-{path.strip('/').replace('/', '-')}-{lang}")
            assert width <= 1280, (path, lang, width)
            violations = axe_violations(page)
            assert violations == [], (path, lang)
        page.get_by_role("button", name=switch).click()
        page.wait_for_load_state()
        assert page.url.endswith(paths[-1])
