"""Indicators in Chromium: the coordinator's indicator page and the public member page section, both languages,
1280 and 375 px, zero axe violations and nothing cut off sideways. Screenshots go to screenshots/."""

import datetime as dt
from decimal import Decimal

import pytest

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def indicator(transactional_db, live_server, commitments, dresden, dresden_lead):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[5], title="Fortbildung Antidiskriminierung", is_public=True)
    indicator = IndicatorFactory(
        plan=plan, commitment=commitments[5], measure=measure, name="Geschulte Beschäftigte", unit="Personen",
        description="Teilnehmende der Pflichtfortbildung, gezählt vom Personalamt.",
        baseline_value=Decimal("40"), baseline_date=dt.date(2022, 1, 1), target_value=Decimal("400"), target_date=dt.date(2027, 12, 31),
    )
    for date, value, source in ((dt.date(2023, 1, 1), "95", "Personalamt"), (dt.date(2024, 1, 1), "162.5", "Personalbericht 2023"),
                                (dt.date(2025, 1, 1), "230", "")):
        IndicatorValueFactory(indicator=indicator, date=date, value=Decimal(value), source=source, author=dresden_lead)
    IndicatorFactory(plan=plan, commitment=commitments[0], name="Gemeldete Vorfälle", unit="Meldungen",
                     baseline_value=Decimal("120"), target_value=Decimal("60"))
    return indicator


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_on_the_indicator_pages_at_both_widths(page, live_server, indicator, lang):
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    urls = {
        "coordinator": f"/{lang}/dashboard/dresden/indicators/{indicator.pk}/",
        "plan": f"/{lang}/dashboard/dresden/plan/",
        "member": f"/{lang}/members/dresden/",
        "commitment": f"/{lang}/commitments/6/",
    }
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in urls.items():
            assert page.goto(live_server.url + path).status == 200, path
            if name != "plan":
                page.locator("details.chart-data summary").first.click()  # the data table is checked too
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            assert axe_violations(page) == [], (name, width)
            if name in ("coordinator", "member"):
                screenshot(page, f"indicators-{name}-{lang}-{width}")
