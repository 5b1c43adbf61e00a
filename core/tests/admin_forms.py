"""Test helper: what a browser would post back from an admin change form, with the user's changes."""

from django.db.models.fields.files import FieldFile


def admin_form_data(response) -> dict:
    """The change form of `response` posted back unchanged, its inline rows and hidden fields included."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or isinstance(value, FieldFile):
            continue  # unset, unchecked, or a stored file (an unchanged file input posts nothing)
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False) and not isinstance(value, FieldFile):
                    data[sub.add_prefix(name)] = "on" if value is True else value
    return data
