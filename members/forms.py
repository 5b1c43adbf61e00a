from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ContentLanguageField, DateInput
from core.versioning import VersionedModelForm
from members.models import Contact, ContactConsent, Member


class MemberProfileForm(VersionedModelForm):
    # A choice, not free text: the value becomes the page's lang attribute.
    content_language = ContentLanguageField(label=_("language of the description"))

    class Meta:
        model = Member
        fields = ["description", "content_language", "lead_department"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "fax", "consent", "consent_given_on", "publish"]
        widgets = {"consent_given_on": DateInput()}

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("publish") and cleaned.get("consent", ContactConsent.NONE) == ContactConsent.NONE:
            self.add_error("publish", _("A contact can only be published with recorded consent."))
        return cleaned


ContactFormSet = forms.inlineformset_factory(
    Member, Contact, form=ContactForm, extra=1, can_delete=True, can_delete_extra=False, max_num=50, validate_max=True
)
