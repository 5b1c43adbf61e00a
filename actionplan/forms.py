from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, Commitment, Indicator, IndicatorValue, Measure, MeasureStatus, MeasureUpdate
from core.submissions import OnceOnlyFormMixin
from core.forms import ContentLanguageField, DateInput, PdfFileField, localized_formfield
from core.versioning import VersionedModelForm


class MeasureForm(OnceOnlyFormMixin, VersionedModelForm):
    # The language the coordinator writes in, whatever the page's language: it becomes the text's lang attribute.
    content_language = ContentLanguageField(
        label=_("Language of the text"),
        required=False,
        help_text=_("The language you write the title and description in."),
    )

    class Meta:
        model = Measure
        formfield_callback = localized_formfield
        fields = [
            "commitment",
            "title",
            "description",
            "responsible_unit",
            "partners",
            "status",
            "progress",
            "start_date",
            "end_date",
            "is_public",
            "content_language",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "progress": _("A whole number from 0 to 100. Leave empty if not known."),
            "is_public": _(
                "Public measures appear on the member page; internal ones only here. New measures start internal."
            ),
        }

    def __init__(self, *args, commitments: list[Commitment] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if commitments is not None:
            self.fields["commitment"].queryset = Commitment.objects.all()
            # The ten commitments are already loaded: no query per render.
            self.fields["commitment"].choices = [(c.pk, str(c)) for c in commitments]
        self.fields["commitment"].empty_label = None
        self.fields["progress"].validators += [MinValueValidator(0), MaxValueValidator(100)]
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "step": 1})

    def clean_content_language(self) -> str:
        # Not sent (an older form): the measure keeps its language.
        return self.cleaned_data.get("content_language") or self.instance.content_language or "de"

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return cleaned


def _not_in_future(date: dt.date | None) -> dt.date | None:
    # An entry reports what happened; a future date would also sit on top of the public "latest entries".
    if date and date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    return date


class TimelineEntryForm(forms.ModelForm):
    """A new entry, part of the measure form: one submit saves both, so nothing typed on the page is lost."""

    class Meta:
        model = MeasureUpdate
        formfield_callback = localized_formfield
        fields = ["date", "text"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("What happened?")}
        help_texts = {
            "text": _("Optional. A status you change above is recorded with this entry."),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)
        # Both optional: a save without an entry leaves them empty. A text needs its date.
        self.fields["text"].required = False
        self.fields["date"].required = False

    def clean_date(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("date"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("text", "").strip() and not cleaned.get("date") and "date" not in self.errors:
            self.add_error("date", forms.Field.default_error_messages["required"])
        return cleaned

    @property
    def has_entry(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("text", "").strip())


class TimelineEntryEditForm(VersionedModelForm):
    """Correcting an entry later: its date, text and the status it recorded."""

    class Meta:
        model = MeasureUpdate
        formfield_callback = localized_formfield
        fields = ["date", "text", "status_change"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("What happened?"), "status_change": _("Status recorded with this entry")}
        help_texts = {"status_change": _("Correcting it here does not change the measure's current status.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status_change"].choices = [("", _("(none)"))] + list(MeasureStatus.choices)

    def clean_date(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("date"))


class RemovalForm(forms.Form):
    """The optional reason for removing a timeline entry or a value; the history shows it with the removal."""

    # django-simple-history keeps the reason in a column of 100 characters.
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=100,
        required=False,
        help_text=_("At most 100 characters, e.g. “entered twice”. It is shown in the history of changes."),
    )


class PlanAdoptionForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        formfield_callback = localized_formfield
        fields = ["adopted_on", "adopting_body", "adoption_note", "resolution_document"]
        widgets = {"adopted_on": DateInput(), "adoption_note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"resolution_document": _("A PDF file, at most 20 MB.")}
        field_classes = {"resolution_document": PdfFileField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution_document"].widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})


class IndicatorForm(OnceOnlyFormMixin, VersionedModelForm):
    class Meta:
        model = Indicator
        formfield_callback = localized_formfield
        fields = ["name", "unit", "description", "baseline_value", "baseline_date", "target_value", "target_date", "is_public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DateInput(),
            "target_date": DateInput(),
        }
        help_texts = {
            "baseline_value": _("The figure at the start, e.g. before the measure began."),
            "target_value": _("Optional. The figure you aim for; it may also be lower than the baseline (e.g. fewer incidents)."),
            "target_date": _("The date by which the target is to be reached; needed with a target."),
            "is_public": _("Public indicators appear on the member page and the commitment page. New indicators start internal."),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        baseline_date = cleaned.get("baseline_date")
        if baseline_date and self.instance.pk:
            # Values already entered must stay on or after the baseline.
            earliest = self.instance.values.order_by("date").values_list("date", flat=True).first()
            if earliest and earliest < baseline_date:
                self.add_error(
                    "baseline_date",
                    _("There are values from %(date)s on; the baseline cannot be later than the first value.")
                    % {"date": formats.date_format(earliest, "DATE_FORMAT")},
                )
        return cleaned


class _IndicatorValueFields(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        formfield_callback = localized_formfield
        fields = ["date", "value", "source", "note"]
        widgets = {
            "date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_date(self) -> dt.date | None:
        date = self.cleaned_data.get("date")
        indicator = self.instance.indicator
        # The unique constraint names the indicator, which is not a field of the form: checked here, with a message.
        if date and indicator.pk and indicator.values.filter(date=date).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("There is already a value for %(date)s. Correct that value instead, or choose another date.")
                % {"date": formats.date_format(date, "DATE_FORMAT")},
                code="duplicate_date",
            )
        return date


class IndicatorValueForm(_IndicatorValueFields):
    """A new value, part of the indicator form: one submit saves both. All empty means no new value."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "value")
        super().__init__(*args, **kwargs)
        self.fields["date"].required = False
        self.fields["value"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        typed = any(cleaned.get(name) not in (None, "") for name in ("date", "value", "source", "note"))
        if typed:
            for name in ("date", "value"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned

    def _post_clean(self) -> None:
        # The model's check against the baseline only for a value that is entered at all.
        if self.cleaned_data.get("date") is None:
            return
        super()._post_clean()

    @property
    def has_value(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("date") is not None


class IndicatorValueEditForm(VersionedModelForm, _IndicatorValueFields):
    class Meta(_IndicatorValueFields.Meta):
        pass
