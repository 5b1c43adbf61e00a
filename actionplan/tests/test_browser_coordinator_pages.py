"""Every coordinator page this work changed, in Chromium: both languages, 1280 and 375 px, zero axe violations and
nothing cut off sideways. Screenshots go to screenshots/."""

import datetime as dt

import pytest

from actionplan.services import indicator_value_remove, timeline_entry_remove
from actionplan.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MeasureUpdateFactory,
)
from core.tests.browser import axe_violations, screenshot
from reports.services import report_create

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"
WIDTHS = (1280, 375)


@pytest.fixture
def pages(transactional_db, live_server, commitments, dresden, dresden_lead):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen", progress=40)
    entry = MeasureUpdateFactory(measure=measure, author=dresden_lead, date=dt.date(2026, 3, 1), text="Flyer verteilt.")
    report = report_create(member=dresden, start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 30), by=dresden_lead)
    # A history with every kind of record: an entry corrected, another removed with a reason, a value removed.
    removed = MeasureUpdateFactory(measure=measure, author=dresden_lead, date=dt.date(2026, 2, 1), text="Doppelt")
    timeline_entry_remove(entry=removed, by=dresden_lead, reason="Doppelt eingetragen")
    entry.text = "Flyer und Plakate verteilt."
    entry.save()
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2], name="Beratungsfälle")
    value = IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1))
    indicator_value_remove(value=IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 1, 1)), by=dresden_lead, reason="Falsche Quelle")
    base = "/{lang}/dashboard/dresden"
    return live_server.url, {
        "dashboard": "/{lang}/dashboard/",
        "plan": f"{base}/plan/",
        "measure": f"{base}/measures/{measure.pk}/",
        "entry-edit": f"{base}/measures/{measure.pk}/entries/{entry.pk}/",
        "entry-remove": f"{base}/measures/{measure.pk}/entries/{entry.pk}/remove/",
        "measure-history": f"{base}/measures/{measure.pk}/history/",
        "indicator-history": f"{base}/indicators/{indicator.pk}/history/",
        "value-remove": f"{base}/indicators/{indicator.pk}/values/{value.pk}/remove/",
        "profile": f"{base}/profile/",
        "report-new": f"{base}/reports/new/",
        "report-editor": f"{base}/reports/{report.pk}/",
        "report-preview": f"{base}/reports/{report.pk}/review/",
    }


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_at_both_widths_on_every_changed_coordinator_page(page, pages, lang):
    origin, urls = pages
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in urls.items():
            response = page.goto(origin + path.format(lang=lang))
            assert response.status == 200, path
            assert axe_violations(page) == [], (name, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            screenshot(page, f"coordinator-{name}-{lang}-{width}")
