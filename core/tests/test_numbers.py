"""Numbers as people write them (core/numbers.py): the rules of each language, and figures shown grouped."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.numbers import NumberError, format_number, parse_decimal, parse_whole_number


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # German: decimal comma, thousands point.
        ("de", "1.234,5", "1234.5"), ("de", "1234,5", "1234.5"), ("de", "566.222", "566222"), ("de", "1,5", "1.5"),
        ("de", "1.234", "1234"), ("de", "1,234", "1.234"), ("de", "1.234.567,89", "1234567.89"), ("de", "-3", "-3"),
        ("de", "−1.234,5", "-1234.5"), ("de", "566 222", "566222"), ("de", "1\u00a0234,5", "1234.5"), ("de", ",5", "0.5"),
        # Both separators: the last one written is the decimal one, whatever the page's language.
        ("de", "1,234.5", "1234.5"), ("en", "1.234,5", "1234.5"),
        # English: decimal point, thousands comma.
        ("en", "1,234.5", "1234.5"), ("en", "1234.5", "1234.5"), ("en", "566,222", "566222"), ("en", "1.5", "1.5"),
        ("en", "1,234", "1234"), ("en", "1.234", "1.234"), ("en", "1,234,567.89", "1234567.89"), ("en", "566 222", "566222"),
    ],
)
def test_it_reads_a_number_as_the_language_writes_it(language, text, expected):
    assert parse_decimal(text, language=language) == Decimal(expected)


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        # The other language's decimal point alone is refused in a form: "2.50" and "2.500" must not differ silently.
        ("de", "1.5", "separator"), ("de", "12.50", "separator"), ("en", "1,5", "separator"), ("en", "12,50", "separator"),
        ("de", "abc", "invalid"), ("de", "", "invalid"), ("de", "1,2,3", "invalid"), ("de", "12,34.5", "invalid"),
        ("de", "--3", "invalid"), ("de", "5,", "invalid"), ("en", "1.234.567", "invalid"), ("de", "1 23,5", "invalid"),
        # A leading zero is no thousands group: "0.125" is a decimal typed the other way, never 125.
        ("de", "0.125", "separator"), ("de", "-0.500", "separator"), ("en", "0,125", "separator"),
    ],
)
def test_it_refuses_what_is_no_number_in_the_language(language, text, code):
    with pytest.raises(NumberError) as error:
        parse_decimal(text, language=language)
    assert error.value.code == code


@pytest.mark.parametrize(("language", "text", "expected"), [("de", "1.5", "1.5"), ("de", "12.50", "12.50"), ("en", "12,5", "12.5"), ("de", "0.125", "0.125")])
def test_it_reads_the_other_decimal_separator_in_a_spreadsheet(language, text, expected):
    assert parse_decimal(text, language=language, lenient=True) == Decimal(expected)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("de", "566.222", 566222), ("de", "566222", 566222), ("de", "1,0", 1), ("en", "566,222", 566222), ("en", "566 222", 566222)],
)
def test_it_reads_a_whole_number(language, text, expected):
    assert parse_whole_number(text, language=language) == expected


@pytest.mark.parametrize(("language", "text"), [("de", "566,2"), ("de", "566,222"), ("en", "566.2")])
def test_it_refuses_a_fraction_as_a_whole_number(language, text):
    with pytest.raises(NumberError) as error:
        parse_whole_number(text, language=language)
    assert error.value.code == "whole"


@pytest.mark.parametrize("text", ["566.222", "566,222", "566 222", "566'222", "566222"])
def test_it_reads_any_grouping_in_threes_as_a_whole_number_in_a_spreadsheet(text):
    assert parse_whole_number(text, language="de", lenient=True) == 566222


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [("de", Decimal("1234.50"), "1.234,5"), ("de", Decimal("55.00"), "55"), ("de", 566222, "566.222"),
     ("en", Decimal("1234.50"), "1,234.5"), ("en", 566222, "566,222"), ("en", Decimal("-0.25"), "-0.25")],
)
def test_it_shows_a_figure_grouped_in_the_language(language, value, shown):
    with translation.override(language):
        assert format_number(value) == shown
