"""The indicator's SVG line chart: points placed by date and value, a lower target, no target, one value."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from actionplan.indicator_chart import PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, figure, indicator_chart
from actionplan.models import Indicator, IndicatorValue


def make(baseline="40", target="100", target_date=dt.date(2026, 1, 1), values=()) -> tuple[Indicator, list[IndicatorValue]]:
    indicator = Indicator(pk=7, name="Beratungsfälle", unit="Fälle", baseline_value=Decimal(baseline), baseline_date=dt.date(2022, 1, 1),
                          target_value=Decimal(target) if target is not None else None, target_date=target_date if target is not None else None)
    return indicator, [IndicatorValue(date=d, value=Decimal(v)) for d, v in values]


def test_it_places_baseline_values_and_target_by_date_and_value():
    # 2022-01-01 … 2026-01-01 is 1461 days; the values run from 40 to 100.
    indicator, values = make(values=[(dt.date(2024, 1, 1), "70"), (dt.date(2023, 1, 1), "55")])
    chart = indicator_chart(indicator, values)
    assert (chart.baseline.x, chart.baseline.y) == (PLOT_LEFT, PLOT_BOTTOM)
    assert (chart.target.x, chart.target.y) == (PLOT_RIGHT, PLOT_TOP)
    assert [v.date for v in chart.values] == [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]  # sorted by date
    middle = chart.values[1]
    assert middle.x == pytest.approx(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * 730 / 1461)
    assert middle.y == pytest.approx((PLOT_TOP + PLOT_BOTTOM) / 2)
    assert chart.latest is middle and chart.percent == 50
    assert chart.line.split(" ")[0] == f"{PLOT_LEFT:.1f},{PLOT_BOTTOM:.1f}"
    with translation.override("en"):
        assert chart.share_text == "50 % of the way from the baseline to the target has been covered."
        assert (chart.y_min_label, chart.y_max_label, chart.x_first_label, chart.x_last_label) == ("40", "100", "01/01/2022", "01/01/2026")


def test_it_draws_a_lower_target_at_the_bottom_and_counts_going_down_as_progress():
    indicator, values = make(baseline="30", target="10", values=[(dt.date(2023, 1, 1), "25")])
    chart = indicator_chart(indicator, values)
    assert chart.baseline.y == PLOT_TOP and chart.target.y == PLOT_BOTTOM
    assert chart.percent == 25  # (25 − 30) ÷ (10 − 30)


def test_it_has_no_share_and_no_target_point_without_a_target():
    indicator, values = make(target=None, values=[(dt.date(2023, 1, 1), "50"), (dt.date(2024, 1, 1), "60")])
    chart = indicator_chart(indicator, values)
    assert chart.target is None and chart.share is None
    assert chart.values[-1].x == PLOT_RIGHT  # the last value ends the time axis
    with translation.override("en"):
        assert "No target has been set" in chart.share_text
        html = render_to_string("actionplan/includes/_indicator.html", {"indicator": _unsaved(indicator, values)})
    assert "target-point" not in html and "target-line" not in html


def test_it_draws_a_single_value_and_a_flat_series_inside_the_plot():
    indicator, values = make(target=None, values=[(dt.date(2023, 1, 1), "40")])
    chart = indicator_chart(indicator, values)
    assert len(chart.values) == 1 and chart.line.count(",") == 2
    assert chart.baseline.y == chart.values[0].y == pytest.approx((PLOT_TOP + PLOT_BOTTOM) / 2)


def test_it_describes_the_chart_in_words_in_the_pages_language():
    indicator, values = make(values=[(dt.date(2023, 3, 1), "62.5")])
    chart = indicator_chart(indicator, values)
    with translation.override("en"):
        assert chart.description == (
            "Baseline: 40 Fälle on 1 Jan 2022. Latest value: 62.5 Fälle on 1 Mar 2023. Number of values: 1. "
            "Target: 100 Fälle on 1 Jan 2026. 38 % of the way from the baseline to the target has been covered."
        )
    with translation.override("de"):
        assert figure(Decimal("62.50")) == "62,5" and figure(Decimal("40.00")) == "40"


@pytest.mark.django_db
def test_it_renders_an_accessible_figure_with_its_data_table(dresden, commitments):
    from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

    indicator = IndicatorFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], name="Geschulte", unit="Personen")
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 5, 1), value=Decimal("55"), source="Personalamt", note="Schätzung")
    with translation.override("en"):
        html = render_to_string("actionplan/includes/_indicator.html", {"indicator": indicator})
    assert 'role="img"' in html and f'aria-labelledby="indicator-{indicator.pk}-title indicator-{indicator.pk}-desc"' in html
    assert "<th scope=\"col\">Date</th>" in html and "Personalamt" in html and "Schätzung" in html
    assert html.count('class="value-point"') == 2  # the value and the legend
    assert "style=" not in html  # the CSP allows no inline styles


def _unsaved(indicator, values):
    # The partial reads the values as prefetched: give it the unsaved ones that way.
    indicator._prefetched_objects_cache = {"values": values}
    return indicator
