"""Numbers as people write them, in the page's language: reading "1.234,5" or "1,234.5", and showing figures grouped.

The rules, for German (decimal comma, thousands point) and mirrored for English (decimal point, thousands comma):

- The page's decimal separator once: "1234,5" and "1,5" are decimals (1234.5, 1.5).
- The page's thousands separator only between groups of three digits: "1.234" and "566.222" are whole numbers
  (1234, 566222); "1.234.567,5" is 1234567.5. A space groups thousands in both languages ("566 222").
- Both separators in one number: the one written last is the decimal separator ("1,234.5" on a German page is
  1234.5), whatever the language, since no other reading is possible.
- A thousands separator not followed by three digits ("1.5" or "12.50" on a German page) is refused in forms:
  it is the other language's decimal point, and reading it so would make "2.50" two and a half but "2.500" two
  thousand five hundred. A spreadsheet (`lenient=True`) was often written by a program in another language;
  there such a separator is read as the decimal one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, translation

# Spaces that group thousands: the ordinary one, the no-break space and the narrow no-break space (French, ISO).
_SPACES = re.compile(r"[ \u00a0\u202f]")
_SIGN = re.compile(r"^([+-]?)\s*(.*)$")
# Whole numbers in a spreadsheet: 566222, 566.222, 566,222, 566 222 or 566'222 (Swiss), groups of three only, so
# that a decimal such as 566,2 is refused rather than read as 5662.
_GROUPED_WHOLE = re.compile(r"^\d{1,3}(?:([.,\u00a0\u202f ']|’)\d{3})(?:\1\d{3})*$|^\d+$")


class NumberError(ValueError):
    """A text that is no number in the page's language; `code` says why ("invalid" or "separator")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def separators(language: str | None = None) -> tuple[str, str]:
    """(decimal separator, thousands separator) of `language` (by default the active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return formats.get_format("DECIMAL_SEPARATOR", language), formats.get_format("THOUSAND_SEPARATOR", language)


def _grouped(whole: str, group: str) -> bool:
    # The first group starts with 1-9: "0.125" or "-0,500" is a decimal typed the other way, not 125 or 500.
    return bool(re.fullmatch(r"[1-9]\d{0,2}(?:%s\d{3})+" % re.escape(group), whole))


def _whole_digits(whole: str, group: str | None) -> str:
    # Plain digits, or groups of three separated by `group` or by spaces.
    if re.fullmatch(r"\d*", whole):
        return whole
    if group and _grouped(whole, group):
        return whole.replace(group, "")
    if _grouped(whole, " "):
        return whole.replace(" ", "")
    raise NumberError("invalid")


def parse_decimal(text: str, *, language: str | None = None, lenient: bool = False) -> Decimal:
    """The number `text` means on a page in `language`; NumberError when it means none (see the module's rules)."""
    decimal_sep, group_sep = separators(language)
    text = _SPACES.sub(" ", str(text).strip()).replace("\u2212", "-")
    sign, body = _SIGN.match(text).groups()
    body = body.strip()
    if not body or not re.fullmatch(r"[\d., ]+", body) or not re.search(r"\d", body):
        raise NumberError("invalid")
    if "," in body and "." in body:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
    elif group_sep in body and decimal_sep not in body:
        if _grouped(body.replace(" ", ""), group_sep) and " " not in body:
            return Decimal(sign + body.replace(group_sep, ""))
        if not lenient or body.count(group_sep) > 1:
            raise NumberError("separator")
        decimal_sep, group_sep = group_sep, decimal_sep
    whole, point, fraction = body.partition(decimal_sep)
    if decimal_sep in fraction or (point and not re.fullmatch(r"\d+", fraction)):
        raise NumberError("invalid")
    digits = _whole_digits(whole, group_sep if group_sep in whole else None)
    if not digits and not fraction:
        raise NumberError("invalid")
    try:
        return Decimal(f"{sign}{digits or 0}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation as error:  # pragma: no cover - the patterns above admit digits only
        raise NumberError("invalid") from error


def parse_whole_number(text: str, *, language: str | None = None, lenient: bool = False) -> int:
    """A whole number: in forms as parse_decimal reads it ("1,0" is 1); in a spreadsheet (`lenient`) also any
    grouping in threes, by point, comma, space or apostrophe, whatever the language, as a fraction is never meant."""
    compact = str(text).strip()
    if lenient:
        if _GROUPED_WHOLE.match(compact.replace("\u00a0", " ")):
            return int(re.sub(r"\D", "", compact))
        raise NumberError("invalid")
    value = parse_decimal(compact, language=language)
    if value != value.to_integral_value():
        raise NumberError("whole")
    return int(value)


def plain(value: Decimal) -> Decimal:
    """55 rather than a stored 55.00, 12.5 rather than 12.50: a figure as it was typed."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def format_number(value: Decimal | int | float, *, decimal_pos: int | None = None) -> str:
    """A figure as the page's language writes it, thousands grouped: "1.234,5" in German, "1,234.5" in English."""
    if isinstance(value, Decimal) and decimal_pos is None and value.is_finite():
        value = plain(value)
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)
