"""Form parts every app uses: the date input, the content languages, the lenient filter form, PDF uploads."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.files import validate_pdf
from core.i18n import LANGUAGE_CHOICES

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
