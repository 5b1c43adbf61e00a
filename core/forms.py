"""Form parts every app uses: the date input and field, figures and web addresses as people type them, the content
languages, the lenient filter form, PDF uploads."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import nonexistent_date_message
from core.files import validate_pdf
from core.i18n import LANGUAGE_CHOICES
from core.numbers import NumberError, format_number, parse_decimal, parse_whole_number

_ISO_639_1 = re.compile(r"^[a-z]{2}$")


def validate_language_code(value: str) -> None:
    """A two-letter ISO 639-1 code (de, en, fr …): it marks text and becomes part of stored file names."""
    if not _ISO_639_1.match(value or ""):
        raise ValidationError(_("Enter a two-letter ISO 639-1 language code, e.g. de or en."), code="language")


class ContentLanguageField(forms.ChoiceField):
    """The language a text is written in, whatever the page's language: it becomes the text's lang attribute."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=LANGUAGE_CHOICES, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalDateField(forms.DateField):
    """A date in the page's formats (and ISO, as the date picker sends it); a day that does not exist, such as
    31.02.2026, is named as such instead of being called unreadable."""

    widget = DateInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            message = nonexistent_date_message(value) if isinstance(value, str) else None
            if error.code == "invalid" and message:
                raise ValidationError(message, code="nonexistent") from error
            raise


# The catalogues write the examples the way the language does: "1.234,5" in German, "1,234.5" in English.
_NUMBER_MESSAGES = {
    "invalid": _("Enter a number such as 1,234.5 or 12.5."),
    "separator": _(
        "“%(value)s” is not a number as written here: a comma groups thousands in threes (1,234), a point "
        "separates the decimals (12.5)."
    ),
    "whole": _("Enter a whole number such as 566,222."),
    "max_decimal_places": _("Enter at most %(max)s decimal places, e.g. 12.25."),
}


def _readable_limits(error: ValidationError) -> ValidationError:
    # "at most 50.000.000", not Django's "50000000": the limit written as the figure would be typed.
    for item in error.error_list:
        if item.code in ("max_value", "min_value") and item.params and "limit_value" in item.params:
            item.params = {**item.params, "limit_value": format_number(item.params["limit_value"])}
    return error


def _number_error(error: NumberError, value: Any, *, whole: bool = False) -> ValidationError:
    code = "whole" if whole and error.code == "invalid" else error.code
    return ValidationError(_NUMBER_MESSAGES[code], code=code, params={"value": str(value)[:40]})


class LocalizedDecimalField(forms.DecimalField):
    """A figure typed as the page's language writes it (core/numbers.py has the rules); shown the same way,
    thousands grouped and without trailing zeros: 1.234,5 in German, 1,234.5 in English."""

    widget = forms.TextInput
    default_error_messages = {k: v for k, v in _NUMBER_MESSAGES.items() if k != "whole"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_decimal(str(value))
        except NumberError as error:
            raise _number_error(error, value) from error

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value)
        return value

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}


class LocalizedIntegerField(forms.IntegerField):
    """A whole number typed as the page's language writes it: 566.222 in German, 566,222 in English."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _NUMBER_MESSAGES["whole"], "separator": _NUMBER_MESSAGES["separator"]}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_whole_number(str(value))
        except NumberError as error:
            raise _number_error(error, value, whole=True) from error

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise _readable_limits(error) from None

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        return value

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}


class WebAddressField(forms.URLField):
    """A web address; typed without its scheme (www.dresden.de) it becomes https://www.dresden.de."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


def localized_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model form's field typed as people write it: dates, figures and web addresses (Meta.formfield_callback)."""
    if db_field.choices or isinstance(db_field, models.AutoField | models.ForeignKey):
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.DateTimeField):
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.DateField):
        kwargs.setdefault("widget", DateInput())
        return db_field.formfield(form_class=LocalDateField, **kwargs)
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=LocalizedDecimalField, **kwargs)
    if isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.SmallIntegerField):
        # Populations; small integers (progress in percent, years) keep the number input, ungrouped.
        return db_field.formfield(form_class=LocalizedIntegerField, **kwargs)
    if isinstance(db_field, models.URLField):
        return db_field.formfield(form_class=WebAddressField, **kwargs)
    return db_field.formfield(**kwargs)


class PdfFileField(forms.FileField):
    """A PDF upload, checked by content and size; a field left unchanged keeps the stored file unchecked."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "application/pdf,.pdf")

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):  # a new upload, not the stored file
            validate_pdf(value)
        return value


class LenientFilterForm(forms.Form):
    """GET filters of a public list: an unknown value is ignored (the list shows everything), never refused."""

    def value(self, name: str) -> str:
        # A valid value, or "" when the field is missing or invalid.
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
