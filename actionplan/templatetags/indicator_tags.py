from __future__ import annotations

from django import template

from actionplan.indicator_chart import IndicatorChart, figure as figure_text
from actionplan.indicator_chart import indicator_chart as build_chart

register = template.Library()


@register.simple_tag
def indicator_chart(indicator) -> IndicatorChart:
    """{% indicator_chart indicator as chart %}: built from the indicator's prefetched values."""
    return build_chart(indicator)


@register.filter
def figure(value) -> str:
    return figure_text(value)
