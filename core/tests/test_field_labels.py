"""Every field of the portal's models has a translatable label, so no admin column reads "CREATED AT" in German."""

import pytest
from django.apps import apps
from django.utils.functional import Promise


@pytest.mark.parametrize("app", ["members", "actionplan", "reports", "secretariat"])
def test_it_gives_every_field_a_translatable_label(app):
    plain = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config(app).get_models()
        # PlanFigures: counts the database keeps from the measures, shown in no admin and no form.
        if not model.__name__.startswith("Historical") and model.__name__ != "PlanFigures"
        for field in model._meta.get_fields()
        if hasattr(field, "verbose_name") and not field.auto_created and field.name not in {"id", "version"}
        and not isinstance(field.verbose_name, Promise)
    ]
    assert plain == []
