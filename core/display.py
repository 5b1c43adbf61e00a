"""Values as a person reads them: for the conflict table and the change history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.forms import LocalizedIntegerField
from core.numbers import format_number


def display_value(field, value: Any) -> str:
    """`value` of a form or model field, e.g. a choice by its label and a date in the reader's format."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        # Stored in UTC; the reader's clock is the portal's (TIME_ZONE), as everywhere else on its pages.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int) and _grouped_whole(field):
        return format_number(value)
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices if k != ""}
        key = str(getattr(value, "pk", value))
        if key in labels:
            return labels[key]
    return str(value)


def _grouped_whole(field) -> bool:
    # Populations are grouped (566.222) as the form shows them; small integers (years, progress) are not.
    if isinstance(field, models.Field):
        return isinstance(field, models.IntegerField) and not isinstance(field, models.SmallIntegerField) and not field.choices
    return isinstance(field, LocalizedIntegerField)
