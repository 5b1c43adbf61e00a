from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment
from core.forms import DateInput, PdfFileField, validate_language_code
from core.versioning import VersionField
from members.models import Member
from reports.models import overlapping_delivered_reports


class ReportPeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The end of the period must not be before its start."))
            else:
                clash = overlapping_delivered_reports(member=self.member, start=start, end=end).first()
                if clash is not None:
                    self.add_error(
                        None,
                        _("The period overlaps the accepted report %(period)s. Choose a period after it.")
                        % {"period": clash.period_display},
                    )
        return data


class ReportEditForm(forms.Form):
    """The draft editor: title, summary, a narrative per commitment and, optionally, one new PDF."""

    version = VersionField()
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    document_file = PdfFileField(label=_("PDF file"), required=False, help_text=_("PDF only, at most 20 MB."))
    document_language = forms.CharField(
        label=_("Language of the document"),
        max_length=8,
        required=False,
        help_text=_("ISO 639-1 code: de, en or another two-letter code."),
    )
    document_title = forms.CharField(label=_("Title of the document"), max_length=300, required=False)

    def __init__(self, *args, commitments: list[Commitment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        for c in commitments:
            self.fields[f"narrative_{c.number}"] = forms.CharField(
                label=_("Narrative on commitment %(number)s") % {"number": c.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def narrative_field(self, number: int):
        return self[f"narrative_{number}"]

    def clean_document_language(self) -> str:
        code = self.cleaned_data.get("document_language", "").strip().lower()
        if code:
            validate_language_code(code)
        return code

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
