from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, Commitment, Measure, MeasureStatus, MeasureUpdate
from core.forms import ContentLanguageField, DateInput, PdfFileField
from core.versioning import VersionedModelForm


class MeasureForm(VersionedModelForm):
    # The language the coordinator writes in, whatever the page's language: it becomes the text's lang attribute.
    content_language = ContentLanguageField(
        label=_("Language of the text"),
        required=False,
        help_text=_("The language you write the title and description in."),
    )

    class Meta:
        model = Measure
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
            "is_public": _("Public measures appear on the member page; internal ones only here."),
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


class TimelineEntryForm(forms.ModelForm):
    class Meta:
        model = MeasureUpdate
        fields = ["date", "text", "status_change"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("What happened?"), "status_change": _("Change the status to")}
        help_texts = {"status_change": _("Optional. Leave empty to keep the current status.")}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)
        self.fields["status_change"].choices = [("", _("(keep the current status)"))] + list(MeasureStatus.choices)


class PlanAdoptionForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = ["adopted_on", "adopting_body", "adoption_note", "resolution_document"]
        widgets = {"adopted_on": DateInput(), "adoption_note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"resolution_document": _("A PDF file, at most 20 MB.")}
        field_classes = {"resolution_document": PdfFileField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution_document"].widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
