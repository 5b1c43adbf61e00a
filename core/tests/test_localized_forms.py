"""The form fields of core/forms.py: figures, dates and web addresses as people type them, in German and English."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from core.forms import LocalDateField, LocalizedDecimalField, LocalizedIntegerField, WebAddressField


class FiguresForm(forms.Form):
    value = LocalizedDecimalField(max_digits=16, decimal_places=2, required=False)
    population = LocalizedIntegerField(min_value=0, required=False)
    date = LocalDateField(required=False)
    website = WebAddressField(required=False)


def cleaned(language: str, **data) -> dict:
    with translation.override(language):
        form = FiguresForm(data)
        assert form.is_valid(), form.errors
        return form.cleaned_data


def errors(language: str, **data) -> dict:
    with translation.override(language):
        form = FiguresForm(data)
        assert not form.is_valid()
        return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    ("language", "value", "population"),
    [("de", "1.234,5", "566.222"), ("de", "1234,5", "566222"), ("en", "1,234.5", "566,222"), ("en", "1234.5", "566 222")],
)
def test_it_takes_figures_as_the_language_writes_them(language, value, population):
    data = cleaned(language, value=value, population=population)
    assert (data["value"], data["population"]) == (Decimal("1234.5"), 566222)


def test_it_reads_a_german_point_as_thousands_and_a_comma_as_decimals():
    assert cleaned("de", value="1.234")["value"] == Decimal("1234")
    assert cleaned("de", value="1,5")["value"] == Decimal("1.5")
    assert cleaned("en", value="1.5")["value"] == Decimal("1.5")
    assert cleaned("en", value="1,234")["value"] == Decimal("1234")


@pytest.mark.parametrize(
    ("language", "data", "field", "message"),
    [
        ("de", {"value": "1,234"}, "value", "Geben Sie höchstens 2 Nachkommastellen ein, z. B. 12,25."),
        ("en", {"value": "1.234"}, "value", "Enter at most 2 decimal places, e.g. 12.25."),
        ("de", {"value": "1.5"}, "value", "„1.5“ ist keine Zahl, wie man sie hier schreibt: Der Punkt trennt Tausender in "
                                          "Dreiergruppen (1.234), das Komma die Dezimalstellen (12,5)."),
        ("en", {"value": "1,5"}, "value", "“1,5” is not a number as written here: a comma groups thousands in threes "
                                          "(1,234), a point separates the decimals (12.5)."),
        ("de", {"value": "viel"}, "value", "Geben Sie eine Zahl wie 1.234,5 oder 12,5 ein."),
        ("en", {"value": "viel"}, "value", "Enter a number such as 1,234.5 or 12.5."),
        ("de", {"population": "566,2"}, "population", "Geben Sie eine ganze Zahl wie 566.222 ein."),
        ("en", {"population": "566.2"}, "population", "Enter a whole number such as 566,222."),
        ("de", {"population": "viele"}, "population", "Geben Sie eine ganze Zahl wie 566.222 ein."),
    ],
)
def test_it_explains_a_figure_it_cannot_take(language, data, field, message):
    assert errors(language, **data) == {field: [message]}


@pytest.mark.parametrize(
    ("language", "shown_value", "shown_population"), [("de", 'value="1.234,5"', 'value="566.222"'), ("en", 'value="1,234.5"', 'value="566,222"')]
)
def test_it_shows_stored_figures_as_they_would_be_typed(language, shown_value, shown_population):
    with translation.override(language):
        html = str(FiguresForm(initial={"value": Decimal("1234.50"), "population": 566222}))
    assert shown_value in html and shown_population in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html


def test_it_keeps_a_typed_figure_it_refuses():
    with translation.override("de"):
        html = str(FiguresForm({"value": "1,234", "population": "566,2"}))
    assert 'value="1,234"' in html and 'value="566,2"' in html


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("de", "31.02.2026", "Diesen Tag gibt es nicht: Der Februar 2026 hat 28 Tage."),
        ("de", "2028-02-30", "Diesen Tag gibt es nicht: Der Februar 2028 hat 29 Tage."),
        ("de", "31.04.26", "Diesen Tag gibt es nicht: Der April 2026 hat 30 Tage."),
        ("en", "2026-02-31", "This day does not exist: February 2026 has 28 days."),
        ("en", "31/02/2026", "This day does not exist: February 2026 has 28 days."),
        ("de", "12.13.2026", "Diesen Monat gibt es nicht: Ein Jahr hat 12 Monate."),
        ("de", "morgen", "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_it_names_a_day_that_does_not_exist(language, text, message):
    assert errors(language, date=text) == {"date": [message]}


def test_it_takes_a_real_day():
    assert cleaned("de", date="29.02.2028")["date"] == dt.date(2028, 2, 29)
    assert cleaned("en", date="2026-02-28")["date"] == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("www.dresden.de", "https://www.dresden.de"), ("dresden.de/vielfalt", "https://dresden.de/vielfalt"),
     ("http://www.dresden.de", "http://www.dresden.de"), ("https://www.dresden.de", "https://www.dresden.de")],
)
def test_it_assumes_https_for_a_web_address_without_scheme(typed, saved):
    assert cleaned("de", website=typed)["website"] == saved
