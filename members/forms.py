from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ContentLanguageField, DateInput, localized_formfield
from core.versioning import VersionedModelForm
from members.models import Contact, ContactConsent, Member


class MemberProfileForm(VersionedModelForm):
    # A choice, not free text: the value becomes the page's lang attribute.
    content_language = ContentLanguageField(label=_("language of the description"))

    class Meta:
        model = Member
        formfield_callback = localized_formfield
        fields = ["description", "content_language", "lead_department", "website", "population"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "website": _("The address of the municipality's page on its work against racism, or its home page."),
            "population": _("Inhabitants, a whole number. The member page shows it as your statement, with today's date."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Europe's largest city has under 15 million inhabitants: a larger figure is a typing error.
        self.fields["population"].validators.append(MaxValueValidator(50_000_000))


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        formfield_callback = localized_formfield
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


class LoginForm(AuthenticationForm):
    # Django's default speaks of "a correct username and password" and case sensitivity; people who are not
    # developers read that as a technical fault. Say plainly what went wrong and what to do.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or the password is wrong. Please check both; if you have forgotten your password, "
            "you can set a new one."
        ),
    }
