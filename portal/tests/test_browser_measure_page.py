"""A measure's own page in the browser: axe-clean in German and English, wide and on a phone, never sideways."""

import datetime as dt
from decimal import Decimal

import pytest

from actionplan.models import Measure, MeasureStatus
from actionplan.tests.factories import IndicatorFactory, IndicatorValueFactory, MeasureUpdateFactory
from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def measure(seeded_live):
    # The seeds' measures (those of Heilbronn), with what the seeds leave out added.
    measure = Measure.objects.public().select_related("plan__member").order_by("commitment__number", "pk").first()
    measure.responsible_unit = "Büro der Integrations- und Ausländerbeauftragten, Stabsstelle Partizipation und Integration"
    measure.partners = "Antidiskriminierungsnetzwerk Baden-Württemberg; Integrationsrat der Stadt"
    measure.save()
    MeasureUpdateFactory(measure=measure, date=dt.date(2025, 5, 2), text="Zweite Beratungsstelle eröffnet.", status_change=MeasureStatus.IN_PROGRESS)
    MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, 1), text="Beratung begonnen.")
    indicator = IndicatorFactory(plan=measure.plan, commitment=measure.commitment, measure=measure, name="Beratungsfälle pro Jahr")
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 12, 31), value=Decimal("55"))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 12, 31), value=Decimal("70"))
    return measure


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("width", [1280, 375])
def test_it_passes_axe_on_the_measure_page(page, seeded_live, measure, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    slug = measure.plan.member.slug
    page.goto(f"{seeded_live.url}/{lang}/members/{slug}/measures/{measure.pk}/")
    assert page.locator("h1").inner_text().startswith(measure.title[:20])
    assert page.locator("figure.indicator").count() == 1
    assert page.locator(".measure-timeline li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing cut off sideways
    assert axe_violations(page) == []
    screenshot(page, f"measure-{slug}-{lang}-{width}")
    # The breadcrumb leads back to the member page, whose title links lead here again.
    page.locator(f"nav .breadcrumb a[href='/{lang}/members/{slug}/']").click()
    page.locator(f"a[href='/{lang}/members/{slug}/measures/{measure.pk}/']").first.click()
    assert page.url.endswith(f"/{lang}/members/{slug}/measures/{measure.pk}/")
