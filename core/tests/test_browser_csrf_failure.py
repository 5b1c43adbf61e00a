"""A real stale form token in Chromium: a measure page open in one tab, a new login in another, then saving."""

import pytest

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
HEADINGS = {"de": "Dieses Formular konnte nicht gesendet werden", "en": "This form could not be sent"}


def log_in(page, origin: str, lang: str) -> None:
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_explains_a_stale_token_and_keeps_the_typed_text_one_page_back(
    browser, transactional_db, live_server, commitments, dresden, dresden_lead, lang
):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2], title="Beratung")
    origin = live_server.url
    context = browser.new_context(locale="de-DE" if lang == "de" else "en-GB")
    form_tab = context.new_page()
    log_in(form_tab, origin, lang)
    form_url = f"{origin}/{lang}/dashboard/dresden/measures/{measure.pk}/"
    form_tab.goto(form_url)
    form_tab.locator("#id_update-text").fill("Ein langer Text, an dem lange geschrieben wurde.")

    # Logging in again in another tab gives the browser a new token; the open form still carries the old one.
    log_in(context.new_page(), origin, lang)
    with form_tab.expect_response(lambda r: r.request.method == "POST") as posted:
        form_tab.locator("main form button[type=submit]").first.click()
    assert posted.value.status == 403
    form_tab.wait_for_load_state()
    assert form_tab.locator("h1").inner_text() == HEADINGS[lang]
    body = form_tab.locator("body").inner_text()
    assert "DEBUG" not in body and "CSRF" not in body
    back = form_tab.locator("main a.btn-primary")
    assert back.get_attribute("href") == form_url
    for width in (1280, 375):
        form_tab.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(form_tab) == [], width
        assert form_tab.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(form_tab, f"csrf-failure-{lang}-{width}")

    form_tab.go_back()
    assert form_tab.locator("#id_update-text").input_value() == "Ein langer Text, an dem lange geschrieben wurde."
    context.close()
