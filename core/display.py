"""Values as a person reads them: for the conflict table and the change history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _


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
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices if k != ""}
        key = str(getattr(value, "pk", value))
        if key in labels:
            return labels[key]
    return str(value)
