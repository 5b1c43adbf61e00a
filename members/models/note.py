"""The secretariat's notes on a member: calls, letters, meetings, agreements.

Internal working notes of the secretariat: never shown to coordinators, never public, never in open data or an
export. Each edit stays in the note's history (who changed what, when)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import validate_plausible_date
from core.fields import BoundedTextField
from members.models.member import Member


class MemberNoteKind(models.TextChoices):
    CALL = "call", _("Phone call")
    LETTER = "letter", _("Letter or e-mail")
    MEETING = "meeting", _("Meeting")
    AGREEMENT = "agreement", _("Agreement")
    OTHER = "other", _("Other")


def validate_not_in_future(value: dt.date | None) -> None:
    # A note records a contact that took place; an appointment ahead is not a note yet.
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date of the contact cannot be in the future."), code="future_date")


class MemberNote(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notes", verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=20, choices=MemberNoteKind.choices, default=MemberNoteKind.CALL)
    contact_on = models.DateField(
        _("date of the contact"), default=timezone.localdate, validators=[validate_plausible_date, validate_not_in_future]
    )
    text = BoundedTextField(_("text of the note"), max_length=5000)
    # Filled from the request, never typed: who wrote the note.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-contact_on", "-created_at"]
        verbose_name = pgettext_lazy("member note", "note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["member", "-contact_on", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {formats.date_format(self.contact_on, 'SHORT_DATE_FORMAT')}"
