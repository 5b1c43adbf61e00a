from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from core.numbers import format_number

register = template.Library()


@register.filter
def figure(value) -> str:
    """{{ value|figure }}: a figure as the page's language writes it, thousands grouped, no trailing zeros:
    1.234,5 in German, 1,234.5 in English; the way forms show and take it."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            return value
    return format_number(value)
