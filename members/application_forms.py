"""The public application form: the membership, its authorities, the contact person, the council's decision."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PdfFileField, localized_formfield
from members.models import Authority, MembershipApplication

AUTHORITY_ROWS = 4  # enough for the joint memberships there are (Ratzeburg with Amt Lauenburgische Seen: two)


class ApplicationForm(forms.ModelForm):
    resolution = PdfFileField(label=_("Council resolution (PDF)"), required=False)
    # Hidden from people (and from screen readers); bots fill in every field they find.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = MembershipApplication
        formfield_callback = localized_formfield
        fields = [
            "name", "kind", "country", "region", "population", "website",
            "contact_name", "contact_role", "contact_email", "contact_phone", "contact_consent",
            "resolution", "council_resolution_on", "council_decision_expected_on", "motivation",
        ]
        labels = {
            "name": _("Name of the membership"),
            "contact_name": _("Name"),
            "contact_role": _("Function"),
            "contact_email": _("E-mail"),
            "contact_phone": _("Phone"),
            "contact_consent": _("The secretariat may contact this person about the application."),
            "council_resolution_on": _("Date of the council resolution"),
            "council_decision_expected_on": _("If the council has not decided yet: when it is expected to decide"),
            "motivation": _("Why does your town want to join?"),
        }
        help_texts = {
            "name": _('e.g. "Stadt Ratzeburg und Amt Lauenburgische Seen" for a joint membership'),
            "population": _("Inhabitants, as a whole number"),
        }
        widgets = {
            "council_resolution_on": DateInput(),
            "council_decision_expected_on": DateInput(),
            "motivation": forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_consent"].required = True
        self.fields["contact_consent"].error_messages["required"] = _("Please agree to be contacted; otherwise we cannot process the application.")
        self.fields["country"].choices = [("", "---------"), *self.fields["country"].choices[1:]]
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_homepage(self) -> str:
        if self.cleaned_data.get("homepage"):
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def clean(self):
        data = super().clean()
        resolution, decided_on, expected_on = (
            data.get("resolution"), data.get("council_resolution_on"), data.get("council_decision_expected_on")
        )
        if not resolution and not expected_on and "resolution" not in self.errors:
            self.add_error(
                "resolution", _("Please attach the council resolution as a PDF, or give the date the council is expected to decide.")
            )
        if resolution and not decided_on:
            self.add_error("council_resolution_on", _("Please give the date of the council resolution."))
        today = timezone.localdate()
        if decided_on and decided_on > today:
            self.add_error("council_resolution_on", _("The council resolution cannot be in the future."))
        if expected_on and expected_on < today - dt.timedelta(days=1):
            self.add_error("council_decision_expected_on", _("The expected date of the decision lies in the past."))
        return data

    def is_rate_limited(self, *, ip: str | None) -> bool:
        email = self.cleaned_data.get("contact_email", "")
        since = timezone.now() - dt.timedelta(hours=1)
        recent = MembershipApplication.objects.filter(created_at__gte=since)
        limit = settings.APPLICATIONS_PER_HOUR
        return recent.filter(contact_email__iexact=email).count() >= limit or (
            ip is not None and recent.filter(submitted_from=ip).count() >= limit
        )


class AuthorityForm(forms.Form):
    name = forms.CharField(label=_("Authority"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Authority.Kind.choices, required=False)


class BaseAuthorityFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        names = [f.cleaned_data.get("name", "").strip() for f in self.forms if f.cleaned_data]
        if not any(names):
            raise forms.ValidationError(_("Please name at least one authority (e.g. the city)."), code="none")
        filled = [n for n in names if n]
        if len(filled) != len({n.lower() for n in filled}):
            raise forms.ValidationError(_("Each authority is named once."), code="duplicate")

    def authorities(self) -> list[dict]:
        return [
            {"name": f.cleaned_data["name"].strip(), "kind": f.cleaned_data.get("kind") or Authority.Kind.CITY}
            for f in self.forms
            if f.cleaned_data.get("name", "").strip()
        ]


AuthorityFormSet = forms.formset_factory(AuthorityForm, formset=BaseAuthorityFormSet, extra=AUTHORITY_ROWS, max_num=AUTHORITY_ROWS)
