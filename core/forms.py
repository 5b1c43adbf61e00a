from django import forms


class LenientFilterForm(forms.Form):
    """GET filters of a public list: an unknown value is ignored (the list shows everything), never refused."""

    def value(self, name: str) -> str:
        # A valid value, or "" when the field is missing or invalid.
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
