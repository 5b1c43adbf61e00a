from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment
from core.dates import add_days, add_months, short_date, validate_plausible_date
from core.submissions import OnceOnlyFormMixin
from core.forms import LocalDateField, PdfFileField
from core.versioning import VersionField
from members.models import Member
from reports.models import ImplementationReport, ReportNarrative, overlapping_delivered_reports


# A period longer than two reporting intervals is most likely a typing slip (2020 for 2024).
def longest_plausible_months() -> int:
    return 2 * settings.REPORT_INTERVAL_MONTHS


class PlausiblePeriodForm(forms.Form):
    """The period of a report, new or corrected. End before start and an overlap with a delivered report are
    errors; an end in the future, a start before the admission and an unusually long period are warnings that
    need the confirmation box ticked (the form shows each reason and keeps what was typed)."""

    period_start = LocalDateField(label=_("Period start"), validators=[validate_plausible_date])
    period_end = LocalDateField(label=_("Period end"), validators=[validate_plausible_date])
    confirm_unusual = forms.BooleanField(label=_("Yes, this period is correct."), required=False)

    def __init__(self, *args, member: Member, report: ImplementationReport | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.report = report
        self.warnings: list[str] = []

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if not (start and end):
            return data
        if end < start:
            self.add_error("period_end", _("The end of the period must not be before its start."))
            return data
        clash = overlapping_delivered_reports(
            member=self.member, start=start, end=end, exclude_pk=self.report.pk if self.report else None
        ).first()
        if clash is not None:
            self.add_error(
                None,
                _("The period overlaps the accepted report %(period)s. Choose a period after it.") % {"period": clash.period_display},
            )
            return data
        self.warnings = period_warnings(member=self.member, start=start, end=end)
        if self.warnings and not data.get("confirm_unusual"):
            self.add_error("confirm_unusual", _("Please check the period and confirm it, or correct the dates."))
        return data

    def confirmed_text(self) -> str:
        return "\n".join(str(w) for w in self.warnings)


def period_warnings(*, member: Member, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    warnings = []
    if end > today:
        warnings.append(
            _("The period ends in the future (%(end)s). A report usually covers a period that is over.")
            % {"end": short_date(end)}
        )
    if member.admitted_on and start < member.admitted_on:
        warnings.append(
            _("The period starts before the admission to ECCAR (%(admitted)s).")
            % {"admitted": short_date(member.admitted_on)}
        )
    months = longest_plausible_months()
    if end > add_days(add_months(start, months), -1):
        warnings.append(
            _("The period is longer than %(years)s years; a report is due every %(interval)s months.")
            % {"years": months // 12 if months % 12 == 0 else f"{months / 12:.1f}", "interval": settings.REPORT_INTERVAL_MONTHS}
        )
    return warnings


class ReportPeriodForm(OnceOnlyFormMixin, PlausiblePeriodForm):
    """The period of a new report."""


class ReportPeriodChangeForm(PlausiblePeriodForm):
    """The corrected period of a draft; the version guards against a change made meanwhile."""

    version = VersionField()


DOCUMENT_FIELDS = ("document_file", "document_language", "document_title")

# The languages a report document is usually in come first; then every language Django names, in the
# reader's language. The stored value stays the two-letter code (it marks the link with lang=…).
_FIRST_LANGUAGES = ("de", "en", "fr", "it", "es", "nl", "pl")


def document_language_choices() -> list[tuple[str, str]]:
    names = {code: str(_(name)) for code, name in global_settings.LANGUAGES if len(code) == 2}
    first = [(code, names[code]) for code in _FIRST_LANGUAGES]
    rest = sorted(((c, n) for c, n in names.items() if c not in _FIRST_LANGUAGES), key=lambda pair: pair[1])
    return [("", _("Choose a language")), (_("Frequent"), first), (_("All languages"), rest)]


class ReportEditForm(forms.Form):
    """The draft editor: title, summary, a narrative per commitment and, optionally, one new PDF."""

    version = VersionField()
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    # The model field's own form field: its limit, its maxlength and the "At most N characters." help text.
    summary = ImplementationReport._meta.get_field("summary").formfield(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    document_file = PdfFileField(label=_("PDF file"), required=False, help_text=_("PDF only, at most 20 MB."))
    document_language = forms.ChoiceField(label=_("Language of the document"), required=False, choices=())
    document_title = forms.CharField(label=_("Title of the document"), max_length=300, required=False)

    def __init__(self, *args, commitments: list[Commitment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        self.fields["document_language"].choices = document_language_choices()
        self.fields["document_language"].widget.attrs["class"] = "form-select"
        for c in commitments:
            self.fields[f"narrative_{c.number}"] = ReportNarrative._meta.get_field("text").formfield(
                label=_("Narrative on commitment %(number)s") % {"number": c.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def narrative_field(self, number: int):
        return self[f"narrative_{number}"]

    @property
    def document_errors(self) -> bool:
        return any(name in self.errors for name in DOCUMENT_FIELDS)

    @property
    def text_is_valid(self) -> bool:
        """The text fields are valid: they are saved even when the document fields are not."""
        return not any(name in self.errors for name in self.fields if name not in DOCUMENT_FIELDS) and not self.non_field_errors()

    def clean(self) -> dict:
        data = super().clean()
        has_file = bool(data.get("document_file")) or "document_file" in self.errors
        if has_file:
            if not data.get("document_language") and "document_language" not in self.errors:
                self.add_error("document_language", _("Enter the language of the document."))
            if not data.get("document_title"):
                self.add_error("document_title", _("Enter the title of the document."))
        elif data.get("document_title"):
            self.add_error("document_file", _("Choose the PDF file for this document."))
        return data

    def narratives(self) -> dict[int, str]:
        return {c.number: self.cleaned_data.get(f"narrative_{c.number}", "") for c in self.commitments}
